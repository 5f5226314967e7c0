"""App wiring: configuration, the command line, the aiogram application and its Telegram adapter."""
