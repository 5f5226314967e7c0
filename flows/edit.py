"""/edit: an editor gets a one-time sign-in link to the editors' pages (10 minutes, usable once).
Anyone else gets no link: the command then means nothing special."""

from __future__ import annotations

import datetime as dt

from aiogram import Router
from aiogram.filters import Command, Filter
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from bot.config import Settings
from flows.filters import PRIVATE_CHAT
from storage import admin_auth
from storage.secrets import Pseudonymizer


class IsEditor(Filter):
    async def __call__(self, message: Message, settings: Settings) -> bool:
        return message.from_user is not None and settings.is_editor(message.from_user.id)


def editor_alias(pseudonyms: Pseudonymizer, user_id: int) -> str:
    return "Editor " + pseudonyms.token("editor", str(user_id))[:4].upper()


async def send_sign_in_link(message: Message, session: AsyncSession, settings: Settings, pseudonyms: Pseudonymizer) -> None:
    assert message.from_user is not None
    if not settings.public_url:
        await message.answer(_("The editors' pages are not set up: VRAAGBAAK_PUBLIC_URL is missing."))
        return
    editor = pseudonyms.token("editor", str(message.from_user.id))
    token = await admin_auth.create_login_token(session, editor, editor_alias(pseudonyms, message.from_user.id),
                                                dt.datetime.now(dt.UTC))
    link = f"{settings.public_url}/admin/login?token={token}"
    await message.answer(
        _("Your sign-in link for the editors' pages (valid 10 minutes, once):") + f'\n<a href="{link}">{link}</a>',
        link_preview_options={"is_disabled": True},  # type: ignore[arg-type]
    )


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(send_sign_in_link, Command("edit"), PRIVATE_CHAT, IsEditor())
    return router
