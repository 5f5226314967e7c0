"""The Topics page (/admin): every topic and, per language, the state of its text; filters by
language and state (GET parameters, so a filtered view can be bookmarked)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from aiohttp import web

from bot.parts import AppParts
from knowledge.editing import TranslationState
from knowledge.languages import SUPPORTED_LANGUAGES
from knowledge.topics import CATEGORIES
from web.admin.common import STATES, edit_url, topic_title
from web.admin.render import page

STATE_SYMBOLS = {"missing": "–", "draft": "✎", "reviewed": "✓", "outdated": "!"}


@dataclass(frozen=True)
class Cell:
    lang: str
    state: TranslationState
    url: str
    shown: bool  # False: filtered out by state (kept as an empty cell so columns line up)


@dataclass(frozen=True)
class Row:
    topic_id: str
    title: str
    cells: list[Cell]


class TopicsViews:
    def __init__(self, parts: AppParts) -> None:
        self.parts = parts

    async def index(self, request: web.Request) -> web.Response:
        lang_filter = request.query.get("lang", "")
        lang_filter = lang_filter if lang_filter in SUPPORTED_LANGUAGES else ""
        state_filter = request.query.get("state", "")
        state_filter = state_filter if state_filter in STATES else ""
        langs = [lang_filter] if lang_filter else list(SUPPORTED_LANGUAGES)

        states = {(s.topic_id, s.lang): s for s in await self.parts.editing.states()}
        counts = Counter(s.state for (_, lang), s in states.items() if lang in langs)
        categories: list[tuple[str, list[Row]]] = []
        for category, topic_ids in CATEGORIES.items():
            rows = []
            for topic_id in topic_ids:
                cells = [Cell(lang, states[(topic_id, lang)], edit_url(topic_id, lang),
                              not state_filter or states[(topic_id, lang)].state == state_filter)
                         for lang in langs]
                if any(cell.shown for cell in cells):
                    rows.append(Row(topic_id, topic_title(self.parts.kb, topic_id), cells))
            if rows:
                categories.append((category, rows))
        return page(request, "topics.html", categories=categories, langs=langs, lang_filter=lang_filter,
                    state_filter=state_filter, states=STATES, counts=counts, symbols=STATE_SYMBOLS,
                    shown=sum(len(rows) for _, rows in categories))


def setup(app: web.Application, parts: AppParts) -> None:
    views = TopicsViews(parts)
    app.router.add_get("/admin", views.index)
