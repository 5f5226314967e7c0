"""/start: a greeting in the client's language, the language picker, then the main menu."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import CommandStart
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from flows.filters import PRIVATE_CHAT
from flows.keyboards import language_picker, main_menu
from flows.texts import main_menu_text


async def start(message: Message, person_language: str | None = None, i18n_locale: str | None = None) -> None:
    greeting = _(
        "Hello! I am Vraagbaak, an anonymous helpdesk for sex workers in Belgium. Ask me about health, "
        "safety, the law, money or housing — day and night, free. I do not keep your name or number."
    )
    if person_language is None:
        await message.answer(greeting + "\n\n" + _("Choose your language:"), reply_markup=language_picker(i18n_locale))
        return
    await message.answer(greeting + "\n\n" + main_menu_text(), reply_markup=main_menu())


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.filter(PRIVATE_CHAT)
    router.message.register(start, CommandStart())
    return router
