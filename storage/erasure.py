"""Making deleted rows gone from the disk, not only from the tables.

SQLite: every connection runs with `secure_delete` (storage/database.py), so a deleted row's bytes
are overwritten in the database file. The write-ahead log (`-wal`) still holds the pages as they were
before, until it starts over; the regular checkpoint is passive and rarely gets there. After /forget
and after a purge, a truncating checkpoint copies the log back and cuts it to zero bytes.

PostgreSQL keeps dead row versions until VACUUM reuses their space, and its own write-ahead log for
a while; what a copy of its disk may hold is said in the README.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from storage.database import checkpoint_truncate

log = logging.getLogger(__name__)


async def erase_deleted(bind: AsyncEngine | AsyncConnection | None) -> None:
    """Call after deleting someone's rows, once committed. SQLite: the log is emptied (waiting for
    other writers up to the busy timeout); PostgreSQL: nothing to do here."""
    if bind is None or bind.dialect.name != "sqlite":
        return
    engine = bind.engine if isinstance(bind, AsyncConnection) else bind
    try:
        if not await checkpoint_truncate(engine):
            log.warning("the SQLite log could not be emptied now (busy); the next purge tries again")
    except SQLAlchemyError as exc:
        log.warning("the SQLite log could not be emptied: %s", type(exc).__name__)
