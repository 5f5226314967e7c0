"""What counsellors see in their group: the topic name and the notice whose first button claims it.
Only the alias, language and topic asked about — never a name, username, id or profile."""

from __future__ import annotations

import datetime as dt
import html

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handoff.callbacks import claim_button_data
from knowledge.languages import native_name
from storage.models import Conversation
from storage.secrets import Pseudonymizer

TOPIC_NAME_LIMIT = 128


def topic_name(conversation: Conversation) -> str:
    mark = "🆘 " if conversation.crisis else ""
    name = f"{mark}{conversation.alias} · {conversation.language} · {conversation.topic or '—'}"
    return name[:TOPIC_NAME_LIMIT]


def notice_text(conversation: Conversation, timezone: dt.tzinfo, counsellor_name: str | None = None) -> str:
    """`counsellor_name`: who claimed it, decrypted by the caller (only counsellors see this)."""
    lines = []
    if conversation.crisis:
        lines.append(_("🆘 <b>CRISIS</b> — first in the queue. Emergency numbers were shown to the person."))
    lines.append(_("<b>{alias}</b> would like to talk.").format(alias=conversation.alias))
    lines.append(_("Language: {language}").format(language=f"{native_name(conversation.language)} ({conversation.language})"))
    lines.append(_("Topic: {topic}").format(topic=conversation.topic or "—"))
    queued = conversation.queued_at.astimezone(timezone)
    lines.append(_("Waiting since {time}").format(time=f"{queued:%H:%M}"))
    if conversation.status == "claimed":
        lines.append(_("✋ Claimed by {name}. Write in this topic to answer; /close to end, /release to hand it back.").format(
            name=html.escape(counsellor_name) if counsellor_name else _("a counsellor")))
    elif conversation.status == "closed":
        lines.append(_("✔️ Closed."))
    return "\n".join(lines)


def notice_buttons(conversation: Conversation, pseudonyms: Pseudonymizer) -> InlineKeyboardMarkup | None:
    if conversation.status != "waiting":
        return None
    kb = InlineKeyboardBuilder()
    kb.button(text=_("✋ Claim this conversation"), callback_data=claim_button_data(pseudonyms, conversation))
    return kb.as_markup()
