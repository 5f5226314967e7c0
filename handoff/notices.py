"""What counsellors see in their group: the topic name and the notice whose first button claims it.
Only the alias, language and topic asked about — never a name, username, id or profile.

Everything the bot itself says in the group starts with BOT_MARK: the person's words arrive as
copies sent by the same bot, and a counsellor must never take one for the other."""

from __future__ import annotations

import datetime as dt
import html

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handoff.callbacks import claim_button_data
from knowledge.languages import native_name
from storage.models import Conversation
from storage.secrets import Pseudonymizer

TOPIC_NAME_LIMIT = 128
BOT_MARK = "🤖 Vraagbaak: "


def marked(text: str) -> str:
    """`text` as the bot's own word in the group."""
    return BOT_MARK + text


def danger_label(kind: str) -> str:
    """The danger a crisis kind names, for counsellors. A kind without a label yet (added by the
    detector before its label here) is still named, by its id."""
    labels = {
        "violence_now": _("violence happening now"),
        "held": _("held, cannot leave"),
        "suicide": _("suicide or self-harm"),
        "medical": _("medical emergency"),
    }
    return labels.get(kind) or html.escape(kind.replace("_", " "))  # a kind from button data: never markup


def topic_name(conversation: Conversation, title: str, claimer: str | None = None) -> str:
    """`title`: the human title of the topic asked about; `claimer`: who has it, if claimed."""
    mark = "🆘 " if conversation.crisis else ""
    name = f"{mark}{conversation.alias} · {conversation.language} · {title or '—'}"
    if claimer and conversation.status == "claimed":
        name += f" · ✋ {claimer}"
    return name[:TOPIC_NAME_LIMIT]


def notice_text(
    conversation: Conversation, timezone: dt.tzinfo, title: str, counsellor_name: str | None = None
) -> str:
    """`counsellor_name`: who claimed it, decrypted by the caller (only counsellors see this)."""
    lines = []
    if conversation.crisis:
        lines.append(_("🆘 <b>CRISIS</b> — first in the queue. Emergency numbers were shown to the person."))
    lines.append(_("<b>{alias}</b> would like to talk.").format(alias=conversation.alias))
    lines.append(
        _("Language: {language}").format(
            language=f"{native_name(conversation.language)} ({conversation.language})"
        )
    )
    lines.append(_("Topic: {topic}").format(topic=html.escape(title) if title else "—"))
    queued = conversation.queued_at.astimezone(timezone)
    lines.append(_("Waiting since {time}").format(time=f"{queued:%H:%M}"))
    if conversation.status == "claimed":
        lines.append(
            _(
                "✋ Claimed by {name}. Write in this topic to answer; /close to end, /release to hand it back."
            ).format(name=html.escape(counsellor_name) if counsellor_name else _("a counsellor"))
        )
    elif conversation.status == "closed":
        lines.append(_("✔️ Closed."))
    return marked("\n".join(lines))


def topic_link(group_id: int, thread_id: int) -> str:
    """A link that opens the topic in the group (t.me/c/ takes the supergroup id without its -100)."""
    internal = str(-group_id)[3:] if str(group_id).startswith("-100") else str(abs(group_id))
    return f"https://t.me/c/{internal}/{thread_id}"


def wait_words(wait: dt.timedelta) -> str:
    minutes = max(0, int(wait.total_seconds() // 60))
    if minutes < 120:
        return ngettext("{n} minute", "{n} minutes", minutes).format(n=minutes)
    hours = minutes // 60
    return ngettext("{n} hour", "{n} hours", hours).format(n=hours)


def queue_line(
    conversation: Conversation, *, group_id: int, title: str, claimer: str | None, now: dt.datetime
) -> str:
    """One open conversation in /queue: its topic (a link), the language, the wait, who has it."""
    mark = "🆘 " if conversation.crisis else ""
    alias = html.escape(conversation.alias)
    name = (
        f'<a href="{topic_link(group_id, conversation.thread_id)}">{alias}</a>'
        if conversation.thread_id
        else alias
    )
    parts = [f"{mark}{name}", native_name(conversation.language), html.escape(title) if title else "—"]
    if conversation.status == "claimed":
        parts.append(_("✋ {name}").format(name=html.escape(claimer) if claimer else _("a counsellor")))
    else:
        parts.append(_("waiting {wait}").format(wait=wait_words(now - conversation.queued_at)))
    return " · ".join(parts)


def notice_buttons(conversation: Conversation, pseudonyms: Pseudonymizer) -> InlineKeyboardMarkup | None:
    if conversation.status != "waiting":
        return None
    kb = InlineKeyboardBuilder()
    kb.button(text=_("✋ Claim this conversation"), callback_data=claim_button_data(pseudonyms, conversation))
    return kb.as_markup()
