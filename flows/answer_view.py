"""How an answer from the knowledge base is shown: title, text, and honest notes about its language."""

from __future__ import annotations

import html

from aiogram.utils.i18n import gettext as _

from flows.texts import draft_note, fallback_note
from knowledge.base import Answer
from knowledge.languages import native_name


def answer_text(answer: Answer, *, ask_feedback: bool = True) -> str:
    parts = [f"<b>{html.escape(answer.title, quote=False)}</b>", answer.html]
    if answer.is_fallback:
        parts.append(fallback_note(native_name(answer.lang)))
    elif answer.status == "draft":
        parts.append(draft_note())
    if ask_feedback:
        parts.append(_("Was this helpful?"))
    return "\n\n".join(parts)
