"""What flows ask of the counsellors' desk. The dispatcher hands every handler the desk
(handoff/desk.py) as `desk`; flows name only what they use of it, because handoff builds on flows
(its handlers use flows' filters, buttons and crisis texts), never the other way round."""

from __future__ import annotations

from typing import Protocol

from aiogram import Bot

from storage.models import Conversation


class Desk(Protocol):
    def is_open(self) -> bool:
        """Within opening hours now."""
        ...

    async def close_topic_after_forget(self, bot: Bot, conversation: Conversation) -> None: ...
