"""The `vraagbaak` command: `run` (the bot), `playground` (local Telegram stand-in), `kb ...`."""

from __future__ import annotations

import argparse
import asyncio
import errno
import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from knowledge import cli as kb_cli


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vraagbaak", description="Anonymous multilingual helpdesk bot.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the bot (the playground when no VRAAGBAAK_BOT_TOKEN is set)")
    playground = sub.add_parser("playground", help="run a local Telegram stand-in with the real bot")
    playground.add_argument("--port", type=int, default=None, help="default: VRAAGBAAK_LISTEN_PORT or 8080")
    playground.add_argument(
        "--data-dir", type=Path, default=None, help="default: VRAAGBAAK_DATA_DIR or ./data"
    )
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
    _compile_missing_catalogs()
    if args.command == "playground" or settings.bot_token is None:
        from playground.runner import run_playground

        port = getattr(args, "port", None) or settings.listen_port
        data_dir = getattr(args, "data_dir", None) or settings.data_dir
        return _serving(
            lambda: run_playground(settings, port=port, data_dir=data_dir), settings.listen_host, port
        )
    from bot.process_tuning import fix_mmap_threshold
    from bot.runner import run_bot

    if settings.tuning:
        fix_mmap_threshold()  # before the knowledge base is loaded
    return _serving(lambda: run_bot(settings), settings.listen_host, settings.listen_port)


def _compile_missing_catalogs() -> None:
    from bot.catalogs import compile_catalogs

    try:
        for line in compile_catalogs(only_stale=True):
            print(f"compiled the catalog {line}", file=sys.stderr)
    except OSError as exc:  # an installed, read-only copy: the image compiles them at build time
        print(f"the translation catalogs could not be compiled: {exc}", file=sys.stderr)


def _serving(run: Callable[[], Coroutine[Any, Any, None]], host: str, port: int) -> int:
    """Run until stopped; a port already in use is one line, not a traceback."""
    try:
        asyncio.run(run())
    except OSError as exc:
        if exc.errno != errno.EADDRINUSE:
            raise
        print(
            f"vraagbaak: {host}:{port} is already in use; stop what uses it or set VRAAGBAAK_LISTEN_PORT "
            "(or --port) to another port",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
