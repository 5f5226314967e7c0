"""The command menu Telegram shows, registered per language with setMyCommands."""

from __future__ import annotations

from aiogram import Bot
from aiogram.types import BotCommand, BotCommandScopeAllPrivateChats, BotCommandScopeChat
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import lazy_gettext as __

USER_COMMANDS = (
    ("start", __("Start and menu")),
    ("help", __("How this works")),
    ("language", __("Change language")),
    ("talk", __("Talk to a counsellor")),
    ("services", __("Organisations and helplines")),
    ("end", __("End the conversation")),
    ("privacy", __("What we keep about you")),
    ("forget", __("Delete what we keep about you")),
    ("wipe", __("Erase this chat from your phone")),
)
COUNSELLOR_COMMANDS = (
    ("queue", __("Waiting and claimed conversations")),
    ("close", __("Close this conversation")),
    ("release", __("Hand this conversation back to the queue")),
    ("send", __("Send an answer in the person's language")),
    ("say", __("Send a phrase in the person's language")),
)


def _commands(i18n: I18n, locale: str, table: tuple[tuple[str, object], ...]) -> list[BotCommand]:
    with i18n.context(), i18n.use_locale(locale):
        return [BotCommand(command=name, description=str(text)) for name, text in table]


async def register_commands(bot: Bot, i18n: I18n, counsellor_chat_id: int | None) -> None:
    scope = BotCommandScopeAllPrivateChats()
    await bot.set_my_commands(_commands(i18n, i18n.default_locale, USER_COMMANDS), scope=scope)
    for locale in sorted(i18n.available_locales):
        await bot.set_my_commands(_commands(i18n, locale, USER_COMMANDS), scope=scope, language_code=locale)
    if counsellor_chat_id is not None:
        await bot.set_my_commands(
            _commands(i18n, i18n.default_locale, COUNSELLOR_COMMANDS), scope=BotCommandScopeChat(chat_id=counsellor_chat_id)
        )
