"""Buttons of the handoff. The claim button carries a keyed check so that guessed or forged
conversation ids are refused even when pressed by a counsellor."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData

from storage.models import Conversation
from storage.secrets import Pseudonymizer


class Claim(CallbackData, prefix="claim"):
    conversation: int
    check: str


class ShareConfirm(CallbackData, prefix="share"):
    """Send a location or contact card the person shared, after they confirm."""

    message_id: int
    send: bool


class Rate(CallbackData, prefix="rate"):
    helpful: bool


def claim_check(pseudonyms: Pseudonymizer, conversation: Conversation) -> str:
    """Bound to the conversation's alias too: SQLite gives a deleted conversation's id (after /forget)
    to the next one, and the old notice's button must not claim that."""
    return pseudonyms.token("claim", f"{conversation.id}:{conversation.alias}")[:12]


def claim_button_data(pseudonyms: Pseudonymizer, conversation: Conversation) -> Claim:
    return Claim(conversation=conversation.id, check=claim_check(pseudonyms, conversation))
