"""App wiring: configuration, the command line, the aiogram application and its Telegram adapter."""

from bot import lazy_telegram_types

lazy_telegram_types.install()  # before anything imports aiogram: ~110 MB less per process

from bot import bot_context_init  # noqa: E402  (aiogram is imported now)

bot_context_init.install()  # each aiogram object made sets its bot once, not through nested wrappers
