"""The loaded knowledge base: answers per topic and language, the referral directory, crisis lexicons."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from knowledge.counsellor_phrases import Phrases
from knowledge.schema import CrisisLexicon, Service, Translation
from knowledge.scope import Scope
from knowledge.slang import SlangLexicon
from knowledge.topics import TOPIC_IDS

SERVICE_TOKEN = re.compile(r"\{service:([a-z0-9_]+)\}")


@dataclass(frozen=True)
class Answer:
    topic_id: str
    lang: str
    title: str
    html: str
    status: str
    is_fallback: bool


RIGHT_TO_LEFT = frozenset({"ar"})


def phone_text(phone: str, lang: str) -> str:
    """A phone number as written in `lang`: in right-to-left text, isolated (U+2068 … U+2069) so that
    "078 05 58 00" is not shown with its groups reversed."""
    escaped = html.escape(phone, quote=False)
    return f"\u2068{escaped}\u2069" if lang in RIGHT_TO_LEFT else escaped


def render_service(service: Service, lang: str) -> str:
    """How an answer names a service: bold name, and the phone when known and not already the name."""
    name = service.display_name(lang)
    text = f"<b>{html.escape(name, quote=False)}</b>"
    if service.phone and service.phone not in name:
        text += f" (☎ {phone_text(service.phone, lang)})"
    return text


def render_answer(raw: str, lang: str, services: dict[str, Service]) -> str:
    """Replace `{service:ID}` tokens; unknown ids are left for the loader to report."""

    def _sub(match: re.Match[str]) -> str:
        service = services.get(match.group(1))
        return render_service(service, lang) if service else match.group(0)

    return SERVICE_TOKEN.sub(_sub, raw)


@dataclass
class KnowledgeBase:
    translations: dict[str, dict[str, Translation]] = field(default_factory=dict)
    services: dict[str, Service] = field(default_factory=dict)
    crisis: dict[str, CrisisLexicon] = field(default_factory=dict)
    slang: dict[str, SlangLexicon] = field(default_factory=dict)
    scope: Scope = field(default_factory=Scope)
    phrases: Phrases = field(default_factory=dict)  # language → id → counsellor phrase (/say)
    _rendered: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.rerender()

    def rerender(self) -> None:
        self._rendered = {
            (topic, lang): render_answer(tr.answer, lang, self.services)
            for topic, by_lang in self.translations.items()
            for lang, tr in by_lang.items()
        }

    @property
    def topic_ids(self) -> list[str]:
        """Topics that have at least one translation, in menu order."""
        return [topic for topic in TOPIC_IDS if self.translations.get(topic)]

    def languages(self) -> set[str]:
        return {lang for by_lang in self.translations.values() for lang in by_lang}

    def translation(self, topic_id: str, chain: Iterable[str]) -> tuple[str, Translation] | None:
        by_lang = self.translations.get(topic_id, {})
        for lang in chain:
            if lang in by_lang:
                return lang, by_lang[lang]
        return None

    def answer(self, topic_id: str, chain: list[str]) -> Answer | None:
        """The answer in the first language of `chain` that has one, noting whether it is a fallback."""
        found = self.translation(topic_id, chain)
        if found is None:
            # Any translation is better than none; the reference languages first.
            found = self.translation(topic_id, ["en", "nl", *sorted(self.translations.get(topic_id, {}))])
            if found is None:
                return None
        lang, tr = found
        return Answer(
            topic_id=topic_id,
            lang=lang,
            title=tr.title,
            html=self._rendered[(topic_id, lang)],
            status=tr.status,
            is_fallback=bool(chain) and lang != chain[0] and lang != chain[0].split("-")[0],
        )

    def phrase(self, phrase_id: str, lang: str) -> str | None:
        """A counsellor phrase in `lang`, else in English (a person is better served than not)."""
        for candidate in (lang, "en"):
            found = self.phrases.get(candidate, {}).get(phrase_id)
            if found is not None:
                return found.text
        return None

    def title(self, topic_id: str, chain: list[str]) -> str:
        found = self.translation(topic_id, [*chain, "en", "nl"])
        return found[1].title if found else topic_id
