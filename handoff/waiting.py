"""While someone waits for a counsellor: a question the knowledge base answers with confidence is
answered at once (the counsellor still gets it), with a reminder that they are still in the queue."""

from __future__ import annotations

from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from sqlalchemy.ext.asyncio import AsyncSession

from flows.answer_view import answer_text
from knowledge.engine import KnowledgeHolder
from storage import conversations, stats


def still_waiting_note() -> str:
    return _("<i>You are still in the queue: a counsellor will read your message too.</i>")


async def answer_while_waiting(
    message: Message, session: AsyncSession, kb: KnowledgeHolder, conversation_id: int, language: str
) -> None:
    words = message.text or message.caption
    if not words:
        return
    state = await conversations.state_of(session, conversation_id)
    if state is None or state[0] != "waiting":  # a counsellor is on it: they answer
        return
    reply = kb.engine.ask(words, language)
    if reply.crisis is not None or reply.answer is None:  # danger has its own reply
        return
    await stats.count(session, "answered", language=reply.answer.lang, topic=reply.answer.topic_id)
    await message.answer(answer_text(reply.answer, ask_feedback=False) + "\n\n" + still_waiting_note())
