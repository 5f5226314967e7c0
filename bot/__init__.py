"""App wiring: configuration, the command line, the aiogram application and its Telegram adapter."""

from bot import lazy_telegram_types

lazy_telegram_types.install()  # before anything imports aiogram: ~110 MB less per process
