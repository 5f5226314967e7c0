"""Buttons of the handoff. The claim button carries a keyed check so that guessed or forged
conversation ids are refused even when pressed by a counsellor."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData

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


def claim_check(pseudonyms: Pseudonymizer, conversation_id: int) -> str:
    return pseudonyms.token("claim", str(conversation_id))[:12]


def claim_button_data(pseudonyms: Pseudonymizer, conversation_id: int) -> Claim:
    return Claim(conversation=conversation_id, check=claim_check(pseudonyms, conversation_id))
