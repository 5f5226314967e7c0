"""Counsellor phrases (`phrases/<lang>.yaml`): short sentences a counsellor sends with /say in the
person's language, which they rarely speak. Curated content like the answers, never generated: each
language's file has every phrase, checked by the loader with errors naming file and field."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, StrictStr, field_validator

from knowledge.languages import SUPPORTED_LANGUAGES
from knowledge.schema import Status
from knowledge.telegram_html import TelegramHTMLError, check_html

if TYPE_CHECKING:
    from knowledge.loader import _Reader

# The order of /say's picker. An id never changes once shipped: buttons carry it.
PHRASE_IDS = ("here", "safe_now", "tell_more", "back_soon", "addresses")
PHRASE_LIMIT = 300  # a sentence or two, on a button's page


class Phrase(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    status: Status
    text: StrictStr = Field(min_length=1, max_length=PHRASE_LIMIT)

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value.strip()


Phrases = dict[str, dict[str, Phrase]]  # language → phrase id → phrase


def load_phrases(reader: _Reader, folder: Path) -> Phrases:
    phrases: Phrases = {}
    for path in sorted(folder.glob("*.y*ml")) if folder.exists() else []:
        lang = path.stem
        if lang not in SUPPORTED_LANGUAGES:
            reader.problem(path, "", f"unknown language {lang!r}")
            continue
        by_id: dict[str, Phrase] = {}
        for phrase_id, entry in (reader.yaml_mapping(path) or {}).items():
            phrase_id = str(phrase_id)
            if phrase_id not in PHRASE_IDS:
                reader.problem(path, phrase_id, f"unknown phrase id; use {', '.join(PHRASE_IDS)}")
                continue
            phrase = reader.validated(Phrase, entry, path, phrase_id)
            if phrase is None:
                continue
            try:
                check_html(phrase.text)
            except TelegramHTMLError as exc:
                reader.problem(path, f"{phrase_id}.text", f"Telegram would refuse this HTML: {exc}")
                continue
            by_id[phrase_id] = phrase
        for phrase_id in PHRASE_IDS:
            if phrase_id not in by_id and not any(
                p.field.startswith(phrase_id) for p in reader.problems if p.file == reader.rel(path)
            ):
                reader.problem(path, phrase_id, "phrase missing", "incomplete")
        phrases[lang] = by_id
    for lang in SUPPORTED_LANGUAGES:
        if lang not in phrases:
            reader.problem(folder / f"{lang}.yaml", "", "counsellor phrases missing", "incomplete")
    return phrases
