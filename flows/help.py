"""/help: what the bot can do and its commands."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.config import Settings
from flows.filters import PRIVATE_CHAT
from flows.keyboards import main_menu
from flows.operator import operator_text


async def show_help(message: Message, settings: Settings) -> None:
    await message.answer(
        _(
            "Type your question in your own words, in your own language, or choose a topic.\n\n"
            "/start – the menu\n/language – change language\n/talk – talk to a counsellor\n"
            "/services – organisations and helplines\n"
            "/end – end the conversation with a counsellor\n/privacy – what we keep about you\n"
            "/forget – delete what we keep about you\n/wipe – erase this chat from your phone\n\n"
            "In danger? Call 112."
        )
        + "\n\n"
        + operator_text(settings),
        reply_markup=main_menu(),
    )


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(show_help, Command("help"), PRIVATE_CHAT)
    return router
