"""Starting, ending and forgetting conversations."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession


async def forget_person(session: AsyncSession, pseudonym: str) -> None:
    """Delete any conversation of this person (filled in with the handoff tables)."""
