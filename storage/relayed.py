"""Which copy the bot made of which relayed message, so that an edit reaches the copy too: a
counsellor correcting a phone number, a person fixing a typo. Message numbers only; the rows go
when their conversation is deleted (forgotten or purged), by the foreign key's cascade."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import RelayedMessage
from storage.upsert import prebuilt


def _remember(insert):  # type: ignore[no-untyped-def]
    stmt = insert(RelayedMessage).values(
        conversation_id=bindparam("conversation_id"), to_person=bindparam("to_person"),
        source_message_id=bindparam("source"), copy_message_id=bindparam("copy"))
    # Telegram numbers a chat's messages once; a repeat is a redelivered update copied again.
    return stmt.on_conflict_do_update(index_elements=["conversation_id", "to_person", "source_message_id"],
                                      set_={"copy_message_id": stmt.excluded.copy_message_id})


_REMEMBER = prebuilt(_remember)
_COPY_OF = select(RelayedMessage.copy_message_id).where(
    RelayedMessage.conversation_id == bindparam("conversation_id"),
    RelayedMessage.to_person == bindparam("to_person"),
    RelayedMessage.source_message_id == bindparam("source"))


async def remember(session: AsyncSession, conversation_id: int, *, to_person: bool, source: int, copy: int) -> None:
    params = {"conversation_id": conversation_id, "to_person": to_person, "source": source, "copy": copy}
    await (await session.connection()).execute(_REMEMBER(session), params)


async def copy_of(session: AsyncSession, conversation_id: int, *, to_person: bool, source: int) -> int | None:
    row = (await session.execute(_COPY_OF, {"conversation_id": conversation_id, "to_person": to_person,
                                           "source": source})).first()
    return int(row[0]) if row is not None else None
