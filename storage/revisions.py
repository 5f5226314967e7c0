"""Saved versions of the knowledge base's texts. Repositories never commit."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import KnowledgeRevision


class Text(Protocol):
    """One topic's text in one language, as the knowledge base holds it (knowledge.schema.Translation)."""

    status: str
    title: str
    questions: Sequence[str]
    answer: str


async def save(session: AsyncSession, topic_id: str, lang: str, tr: Text, *, editor: str, note: str,
               now: dt.datetime, replaces: int) -> KnowledgeRevision:
    """`replaces`: the newest version's id (`newest_id`) this one was made from. Raises IntegrityError
    (at the flush) if another version was already made from it."""
    revision = KnowledgeRevision(topic_id=topic_id, lang=lang, title=tr.title, questions=json.dumps(
        list(tr.questions), ensure_ascii=False), answer=tr.answer, status=tr.status, editor=editor, note=note,
        created_at=now, replaces=replaces)
    session.add(revision)
    await session.flush()
    return revision


async def newest(session: AsyncSession, topic_id: str, lang: str) -> KnowledgeRevision | None:
    return await session.scalar(
        select(KnowledgeRevision).where(KnowledgeRevision.topic_id == topic_id, KnowledgeRevision.lang == lang)
        .order_by(KnowledgeRevision.id.desc()).limit(1))


async def newest_id(session: AsyncSession, topic_id: str, lang: str) -> int:
    """The id of the text's newest version; 0 while it is as shipped."""
    return int(await session.scalar(select(func.coalesce(func.max(KnowledgeRevision.id), 0)).where(
        KnowledgeRevision.topic_id == topic_id, KnowledgeRevision.lang == lang)) or 0)


async def of_language(session: AsyncSession, lang: str) -> list[KnowledgeRevision]:
    """Every version of every text in one language, oldest first."""
    return list((await session.execute(
        select(KnowledgeRevision).where(KnowledgeRevision.lang == lang).order_by(KnowledgeRevision.id)
    )).scalars())


async def latest(session: AsyncSession) -> dict[tuple[str, str], KnowledgeRevision]:
    """The newest revision of every (topic, language) that has one."""
    newest = (select(func.max(KnowledgeRevision.id)).group_by(KnowledgeRevision.topic_id, KnowledgeRevision.lang))
    rows = (await session.execute(select(KnowledgeRevision).where(KnowledgeRevision.id.in_(newest)))).scalars()
    return {(r.topic_id, r.lang): r for r in rows}


async def history(session: AsyncSession, topic_id: str, lang: str) -> list[KnowledgeRevision]:
    return list((await session.execute(
        select(KnowledgeRevision).where(KnowledgeRevision.topic_id == topic_id, KnowledgeRevision.lang == lang)
        .order_by(KnowledgeRevision.id.desc())
    )).scalars())


async def version(session: AsyncSession) -> int:
    """Changes whenever anything is saved: how instances notice that the knowledge base changed."""
    return int(await session.scalar(select(func.coalesce(func.max(KnowledgeRevision.id), 0))) or 0)
