"""A person's preferences, by pseudonym. Repositories never commit: the caller owns the unit of work."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from sqlalchemy import bindparam, delete, exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.conversations import IS_OPEN
from storage.models import Conversation, Person
from storage.upsert import insert_for


async def get_language(session: AsyncSession, pseudonym: str) -> str | None:
    return await session.scalar(select(Person.language).where(Person.pseudonym == pseudonym))


async def set_language(session: AsyncSession, pseudonym: str, language: str) -> None:
    stmt = insert_for(session, Person).values(pseudonym=pseudonym, language=language, last_seen_on=dt.date.today())
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[Person.pseudonym], set_={"language": language, "last_seen_on": dt.date.today()}
        )
    )


async def forget(session: AsyncSession, pseudonym: str) -> int:
    # A row noted in this same update (their first message: /forget) is not in the database yet:
    # drop it from the session, or the commit would store it right after they asked to be forgotten.
    for pending in [p for p in session.new if isinstance(p, Person) and p.pseudonym == pseudonym]:
        session.expunge(pending)
    result = await session.execute(delete(Person).where(Person.pseudonym == pseudonym))
    return result.rowcount or 0  # type: ignore[attr-defined]


async def purge_inactive(session: AsyncSession, before: dt.date) -> int:
    result = await session.execute(delete(Person).where(Person.last_seen_on < before))
    return result.rowcount or 0  # type: ignore[attr-defined]


# Telegram lets a bot delete messages of the last 48 hours. A chat silent for longer than that (plus
# the hour `last_written_at` is rounded to, plus a margin) has nothing older left to delete: its window
# starts again. While someone keeps writing, the window's start stays, and Telegram skips what has
# become too old when /wipe asks (deleteMessages leaves out what it cannot delete).
SILENCE = dt.timedelta(hours=50)
MAX_WIPE_IDS = 3000  # ids asked for at most (30 calls): far more than anyone writes in 48 hours


def _hour(moment: dt.datetime) -> dt.datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


# Read on every update: made once, run as Core. Whether they have an open conversation comes along,
# so the many messages of people who have none skip looking for it (handoff/person.py).
_NOTE = select(
    Person.language, Person.last_seen_on, Person.wipe_from_message_id, Person.last_written_at,
    exists().where(Conversation.person == Person.pseudonym, IS_OPEN).label("in_conversation"),
).where(Person.pseudonym == bindparam("pseudonym"))


class Noted(NamedTuple):
    language: str | None  # their chosen language, if any
    # An open conversation (waiting or claimed) when the update began; None: not known, because they
    # have no row (a conversation can be open without one: /forget, then an old "talk" button).
    in_conversation: bool | None


async def note_message(session: AsyncSession, pseudonym: str, message_id: int | None, now: dt.datetime) -> Noted:
    """Note that this person wrote, and where this chat's deletable window starts (see SILENCE). One
    read; a write (at the update's end) only when something changed: the first message of a day or
    of an hour, or of a new window."""
    row = (await session.execute(_NOTE, {"pseudonym": pseudonym})).first()
    if row is None:
        noted = Noted(None, None)
    else:
        language, last_seen_on, wipe_from_message_id, last_written_at, in_conversation = row
        noted = Noted(language, bool(in_conversation))
    if message_id is None:
        return noted
    hour = _hour(now)
    if row is None:
        session.add(Person(pseudonym=pseudonym, last_seen_on=now.date(), wipe_from_message_id=message_id,
                           last_written_at=hour))
        return noted
    changes: dict[str, object] = {}
    if last_seen_on != now.date():
        changes["last_seen_on"] = now.date()
    if wipe_from_message_id is None or last_written_at is None or now - last_written_at > SILENCE:
        changes.update(wipe_from_message_id=message_id, last_written_at=hour)
    elif last_written_at != hour:
        changes["last_written_at"] = hour
    if changes:
        person = await session.get(Person, pseudonym)
        if person is not None:
            for name, value in changes.items():
                setattr(person, name, value)
    return noted


async def wipe_range_start(session: AsyncSession, pseudonym: str) -> int | None:
    # Through the session, so a window moved by this update's `note_message` (written at the end) counts.
    person = await session.get(Person, pseudonym)
    return person.wipe_from_message_id if person is not None else None


def wipe_ids(start: int | None, last: int) -> list[int]:
    """The message ids /wipe asks Telegram to delete, up to `last` (its own command). Where the window
    starts is not known (after /forget, or when they were forgotten for silence): as far back as it
    may go, and Telegram skips what it cannot delete."""
    first = max(start if start is not None else 1, last - MAX_WIPE_IDS + 1, 1)
    return list(range(first, last + 1))


async def note_message_after_wipe(session: AsyncSession, pseudonym: str, message_id: int) -> None:
    """After /wipe, the deletable window starts again at the bot's confirmation."""
    person = await session.get(Person, pseudonym)
    if person is not None:
        person.wipe_from_message_id = message_id
        person.last_written_at = _hour(dt.datetime.now(dt.UTC))
