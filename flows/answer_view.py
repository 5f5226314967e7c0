"""How an answer from the knowledge base is shown: title, text, and honest notes about its language."""

from __future__ import annotations

import html

from aiogram.utils.i18n import gettext as _

from bot.config import Settings
from flows.operator import operator_text
from flows.texts import draft_note, fallback_note
from knowledge.base import Answer
from knowledge.languages import native_name

ABOUT_TOPIC = "service.about"  # who runs the bot is the deployment's to say: appended from the settings


def answer_text(answer: Answer, *, ask_feedback: bool = True, settings: Settings | None = None,
                draft_note_due: bool = True) -> str:
    """`draft_note_due`: False when this person has just been told the translations are drafts."""
    parts = [f"<b>{html.escape(answer.title, quote=False)}</b>", answer.html]
    if answer.topic_id == ABOUT_TOPIC and settings is not None:
        parts.append(operator_text(settings))
    if answer.is_fallback:
        parts.append(fallback_note(native_name(answer.lang)))
    elif answer.status == "draft" and draft_note_due:
        parts.append(draft_note())
    if ask_feedback:
        parts.append(_("Was this helpful?"))
    return "\n\n".join(parts)
