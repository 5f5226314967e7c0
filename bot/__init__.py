"""App wiring: configuration, the command line, the aiogram application and its Telegram adapter."""

from bot import lazy_telegram_types

lazy_telegram_types.install()  # before anything imports aiogram: ~110 MB less per process

from bot import bot_context_init  # noqa: E402  (aiogram is imported now)

bot_context_init.install()  # each aiogram object made sets its bot once, not through nested wrappers

from bot import update_event_type  # noqa: E402

update_event_type.install()  # an update is not kept once handled (aiogram cached the last 128)
