"""Compiling the translation catalogs (locales/*/LC_MESSAGES/messages.po → .mo), with Babel's own
reader and writer: `make catalogs` runs it for all, and the bot at start-up for any that is missing
or older than its .po (aiogram would stop with a bare RuntimeError on a catalog not compiled)."""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.i18n import DOMAIN, LOCALES_DIR


def _stale(po: Path) -> bool:
    mo = po.with_suffix(".mo")
    return not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime


def compile_catalogs(locales: Path = LOCALES_DIR, *, only_stale: bool = False) -> list[str]:
    """Compile each catalog (only the missing or outdated ones with `only_stale`); one summary line each."""
    lines = []
    for po in sorted(locales.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        if only_stale and not _stale(po):
            continue
        lang = po.parent.parent.name
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        messages = [m for m in catalog if m.id]
        done = sum(
            1
            for m in messages
            if not m.fuzzy and (all(m.string) if isinstance(m.string, tuple) else m.string)
        )
        with po.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog)
        lines.append(f"{lang}: {done} of {len(messages)} messages translated")
    return lines


def main() -> int:
    lines = compile_catalogs()
    print(f"catalogs compiled: {len(lines)}\n  " + "\n  ".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
