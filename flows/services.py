"""/services: the referral directory — organisations, helplines and emergency numbers — from
knowledge/services.yaml, the same data the answers name. What is not known is said, not guessed."""

from __future__ import annotations

import html

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from flows.callbacks import MenuNav
from flows.filters import PRESS_IN_PRIVATE_CHAT, PRIVATE_CHAT
from flows.in_place import edit_in_place
from knowledge.base import phone_text
from knowledge.engine import KnowledgeHolder
from knowledge.schema import Service

KIND_ORDER = ("emergency", "helpline", "organisation", "public")


class ServiceView(CallbackData, prefix="svc"):
    service: str = ""


def directory_buttons(kb: KnowledgeHolder, lang: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    services = kb.engine.kb.services
    for service_id in _ordered(services):
        builder.button(text=services[service_id].display_name(lang), callback_data=ServiceView(service=service_id))
    builder.button(text=_("📋 Menu"), callback_data=MenuNav())
    builder.adjust(2)
    return builder.as_markup()


def _ordered(services: dict[str, Service]) -> list[str]:
    return sorted(services, key=lambda s: (KIND_ORDER.index(services[s].kind), s))


def directory_line(service: Service, lang: str) -> str:
    """One line: the name, what it is for, and how and when to reach it where the directory knows."""
    esc = lambda value: html.escape(value, quote=False)  # noqa: E731
    line = f"• <b>{esc(service.display_name(lang))}</b>"
    if service.for_whom:
        line += f": {esc(service.who(lang))}"
    reach = [", ".join(map(esc, service.cities))] if 0 < len(service.cities) <= 3 else []
    if service.phone and service.phone not in service.display_name(lang):
        reach.append(f"☎ {phone_text(service.phone, lang)}")
    if service.hours:
        reach.append(esc(service.opening(lang)))
    elif service.website:
        reach.append(esc(service.website))
    return line + (f" — {', '.join(reach)}" if reach else "")


def directory_text(kb: KnowledgeHolder, lang: str) -> str:
    services = kb.engine.kb.services
    lines = [directory_line(services[service_id], lang) for service_id in _ordered(services)]
    return _("Services that can help. Choose one:") + "\n\n" + "\n".join(lines)


def service_text(service: Service, lang: str) -> str:
    esc = lambda value: html.escape(value, quote=False)  # noqa: E731
    lines = [f"<b>{esc(service.display_name(lang))}</b>"]
    if service.cities:
        lines.append(_("Where: {cities}").format(cities=esc(", ".join(service.cities))))
    if service.for_whom:
        lines.append(_("For: {who}").format(who=esc(service.who(lang))))
    if service.address:
        lines.append(_("Address: {address}").format(address=esc(service.address)))
    if service.hours:
        lines.append(_("Hours: {hours}").format(hours=esc(service.opening(lang))))
    if service.website:
        lines.append(_("Website: {site}").format(site=esc(service.website)))
    if service.phone:
        lines.append(_("Phone: {phone}").format(phone=phone_text(service.phone, lang)))
    else:
        lines.append(_("Phone number and hours: ask a counsellor (/talk). We only give numbers we have checked."))
    traits = []
    if service.free:
        traits.append(_("free"))
    if service.anonymous:
        traits.append(_("anonymous"))
    if traits:
        lines.append("✓ " + ", ".join(traits))
    return "\n".join(lines)


async def show_directory(message: Message, kb: KnowledgeHolder, i18n_locale: str) -> None:
    await message.answer(directory_text(kb, i18n_locale), reply_markup=directory_buttons(kb, i18n_locale))


async def show_service(query: CallbackQuery, callback_data: ServiceView, kb: KnowledgeHolder, i18n_locale: str) -> None:
    service = kb.engine.kb.services.get(callback_data.service)
    if service is None:
        await query.answer(_("This button is no longer valid."))
        return
    builder = InlineKeyboardBuilder()
    builder.button(text=_("⬅️ Back"), callback_data=ServiceView())
    await edit_in_place(query, service_text(service, i18n_locale), builder.as_markup())
    await query.answer()


async def back_to_directory(query: CallbackQuery, kb: KnowledgeHolder, i18n_locale: str) -> None:
    await edit_in_place(query, directory_text(kb, i18n_locale), directory_buttons(kb, i18n_locale))
    await query.answer()


def create_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.filter(PRESS_IN_PRIVATE_CHAT)
    router.message.register(show_directory, Command("services"), PRIVATE_CHAT)
    router.callback_query.register(back_to_directory, ServiceView.filter(F.service == ""))
    router.callback_query.register(show_service, ServiceView.filter())
    return router
