"""How the stand-in was started: the bot's token and who is who in the counsellors' group."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Config:
    """How the playground was started; not persisted, so a restart may change it."""

    bot_token: str
    counsellor_chat_id: int
    counsellor_ids: list[int]
    editor_ids: list[int]
    counsellor_chat_title: str

    @property
    def bot_id(self) -> int:
        return int(self.bot_token.split(":", 1)[0])

    @property
    def bot_user(self) -> dict[str, Any]:
        return {"id": self.bot_id, "is_bot": True, "first_name": "Vraagbaak", "username": "vraagbaak_bot"}
