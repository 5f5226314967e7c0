"""Every interface language has every string, with its placeholders and tags intact."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.i18n import LOCALES_DIR
from knowledge.languages import SUPPORTED_LANGUAGES

PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
TAG = re.compile(r"</?[a-z-]+>")
COMMAND = re.compile(r"/[a-z]+\b")


def catalog(lang: str):  # type: ignore[no-untyped-def]
    with open(LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=lang)


def template_ids() -> set[str]:
    with open(LOCALES_DIR / "messages.pot", "rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


def test_the_template_has_every_string_in_the_code(tmp_path: Path) -> None:
    out = tmp_path / "fresh.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run([str(pybabel), "extract", "--keywords", "_ __ gettext lazy_gettext ngettext:1,2",
                    "-o", str(out), "bot", "flows", "handoff", "knowledge"],
                   check=True, cwd=LOCALES_DIR.parent, capture_output=True)
    with open(out, "rb") as handle:
        fresh = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    missing = fresh - template_ids()
    assert not missing, f"run `make extract` and translate: {sorted(missing)[:5]}"


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_every_catalog_translates_every_string(lang: str) -> None:
    messages = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalog(lang) if m.id}
    missing = sorted(template_ids() - set(messages))
    untranslated = [mid for mid, m in messages.items()
                    if (not m.string or (isinstance(m.string, tuple) and not all(m.string))) or m.fuzzy]
    assert not missing and not untranslated, f"{lang}: missing {missing[:3]}, untranslated {untranslated[:3]}"


@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
def test_translations_keep_placeholders_tags_and_commands(lang: str) -> None:
    problems = []
    for message in catalog(lang):
        if not message.id or not message.string:
            continue
        source = message.id if isinstance(message.id, str) else message.id[-1]
        targets = message.string if isinstance(message.string, tuple) else (message.string,)
        for target in targets:
            for pattern in (PLACEHOLDER, TAG, COMMAND):
                if sorted(set(pattern.findall(source))) != sorted(set(pattern.findall(target))):
                    problems.append(f"{source[:40]!r}: {pattern.pattern} differs in {target[:40]!r}")
    assert not problems, f"{lang}: " + "; ".join(problems[:3])


def test_the_written_out_language_names_are_what_cldr_says() -> None:
    from knowledge.languages import NATIVE_NAMES, cldr_name

    assert set(NATIVE_NAMES) == set(SUPPORTED_LANGUAGES)
    assert {code: cldr_name(code) for code in SUPPORTED_LANGUAGES} == NATIVE_NAMES
