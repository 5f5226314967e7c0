"""A counsellor removed from the group loses access at the next press, not a minute later."""

from __future__ import annotations

from typing import Any

from aiogram.types import ChatMemberLeft, ChatMemberMember, User

from bot.config import Settings
from handoff.access import CounsellorAccess

USER = User(id=777001, is_bot=False, first_name="Sara")


class Group:
    """Answers getChatMember as Telegram would, for one group whose membership changes."""

    def __init__(self) -> None:
        self.member = True
        self.asked = 0

    async def get_chat_member(self, chat_id: int, user_id: int) -> Any:
        self.asked += 1
        return ChatMemberMember(user=USER) if self.member else ChatMemberLeft(user=USER)


async def test_a_removed_counsellor_is_refused_at_once(settings: Settings) -> None:
    access = CounsellorAccess(settings.model_copy(update={"counsellor_chat_id": -100123}))
    group = Group()
    assert await access.allowed(group, USER.id)  # type: ignore[arg-type]
    group.member = False
    assert not await access.allowed(group, USER.id)  # type: ignore[arg-type]
    asked = group.asked
    assert not await access.allowed(group, USER.id)  # type: ignore[arg-type]
    assert group.asked == asked, "a refusal is remembered for a while"
