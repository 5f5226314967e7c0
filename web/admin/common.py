"""Small things several pages need: the signed-in editor, a topic and language from the URL, titles."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from knowledge.engine import KnowledgeHolder
from knowledge.languages import SUPPORTED_LANGUAGES
from knowledge.topics import CATEGORIES, TOPIC_IDS
from storage.admin_auth import EditorSession

STATES = ("missing", "draft", "reviewed", "outdated")
DATABASE_ID = re.compile(r"[0-9]{1,18}")  # fits a 64-bit integer column; str.isdigit() would also take "²"
# Where the admin middleware puts the signed-in editor on the request (a typed key on aiohttp ≥ 3.13).
EDITOR_KEY: Any = web.RequestKey("editor", EditorSession) if hasattr(web, "RequestKey") else "editor"


def editor_of(request: web.Request) -> EditorSession:
    editor = request.get(EDITOR_KEY)
    assert isinstance(editor, EditorSession), "the admin middleware lets no request through without one"
    return editor


def parse_id(value: object) -> int | None:
    """A row id from a form or URL, or None for anything else."""
    return int(value) if isinstance(value, str) and DATABASE_ID.fullmatch(value) else None


def topic_and_lang(request: web.Request) -> tuple[str, str]:
    """The topic id and language of the URL; 404 for anything that is not one of ours."""
    topic_id, lang = request.match_info.get("topic_id", ""), request.match_info.get("lang", "")
    if topic_id not in TOPIC_IDS or lang not in SUPPORTED_LANGUAGES:
        raise web.HTTPNotFound()
    return topic_id, lang


def topic_title(holder: KnowledgeHolder, topic_id: str) -> str:
    return holder.engine.kb.title(topic_id, ["en"])


@dataclass(frozen=True)
class TopicOption:
    topic_id: str
    title: str


def topic_options(holder: KnowledgeHolder) -> list[tuple[str, list[TopicOption]]]:
    """Every topic, by category, for a <select> with <optgroup>s."""
    return [(category, [TopicOption(t, topic_title(holder, t)) for t in topics])
            for category, topics in CATEGORIES.items()]


def edit_url(topic_id: str, lang: str) -> str:
    return f"/admin/topics/{topic_id}/{lang}"
