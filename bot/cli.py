"""The `vraagbaak` command: `run` (the bot), `playground` (local Telegram stand-in), `kb ...`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from knowledge import cli as kb_cli


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vraagbaak", description="Anonymous multilingual helpdesk bot.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the bot (the playground when no VRAAGBAAK_BOT_TOKEN is set)")
    playground = sub.add_parser("playground", help="run a local Telegram stand-in with the real bot")
    playground.add_argument("--port", type=int, default=8080)
    playground.add_argument("--data-dir", type=Path, default=None, help="default: VRAAGBAAK_DATA_DIR or ./data")
    kb_cli.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "kb":
        return kb_cli.run(args)

    from bot.config import ConfigError, load_settings
    from bot.logging_setup import setup_logging

    try:
        settings = load_settings()
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    setup_logging(settings.log_level)
    if settings.tuning:  # before anything imports aiogram
        from bot import lazy_telegram_types

        lazy_telegram_types.apply()
    if args.command == "playground" or settings.bot_token is None:
        from playground.runner import run_playground

        port = getattr(args, "port", 8080)
        data_dir = getattr(args, "data_dir", None) or settings.data_dir
        asyncio.run(run_playground(settings, port=port, data_dir=data_dir))
        return 0
    from bot.process_tuning import fix_mmap_threshold
    from bot.runner import run_bot

    if settings.tuning:
        fix_mmap_threshold()  # before the knowledge base is loaded
    asyncio.run(run_bot(settings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
