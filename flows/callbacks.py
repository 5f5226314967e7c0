"""Inline-button payloads. aiogram's CallbackData packs and checks them; handlers still check that
the values make sense (a forged topic id or language is refused, not trusted)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class LanguageChoice(CallbackData, prefix="lang"):
    code: str


class MenuNav(CallbackData, prefix="menu"):
    """`category` empty: the main menu; `topic` set: that topic's answer."""

    category: str = ""
    topic: str = ""


class Feedback(CallbackData, prefix="fb"):
    topic: str
    helpful: bool


class FeedbackWhy(CallbackData, prefix="fbw"):
    """What was wrong with an answer marked 👎 (flows/feedback.py's REASONS)."""

    topic: str
    reason: str


class TalkRequest(CallbackData, prefix="talk"):
    """From a crisis reply, `kind` says which danger and `source` is the person's message that raised
    it: both go to the counsellors' topic."""

    topic: str = ""
    kind: str = ""
    source: int = 0
