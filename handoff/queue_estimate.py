"""What someone waiting is told about their place and wait: one way, said the same to everyone.

Each place ahead costs one typical wait (Desk.estimate_wait); place N waits between N-1 and N of
them. So the range grows with the place, two people never share a place (crisis first, then by
time: the queue's own order), and the minutes are said with the plural forms of the language."""

from __future__ import annotations

import datetime as dt
import math

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from sqlalchemy.ext.asyncio import AsyncSession

from handoff.desk import Desk
from storage import conversations
from storage.models import Conversation

STEP_MINUTES = 5  # rounded to: a wait told to the minute would promise more than is known


def wait_range(slot: dt.timedelta, place: int) -> tuple[int, int]:
    """Minutes, multiples of STEP_MINUTES: the wait of the places ahead, to one slot more."""
    per_place = slot.total_seconds() / 60
    low = STEP_MINUTES * math.floor(per_place * max(place - 1, 0) / STEP_MINUTES)
    high = max(STEP_MINUTES, STEP_MINUTES * math.ceil(per_place * max(place, 1) / STEP_MINUTES))
    return low, max(high, low + STEP_MINUTES)


def wait_range_words(low: int, high: int) -> str:
    if low == 0:
        return ngettext("up to {n} minute", "up to {n} minutes", high).format(n=high)
    return ngettext("{low} to {n} minute", "{low} to {n} minutes", high).format(low=low, n=high)


def place_words(place: int, low: int, high: int) -> str:
    return _("You are number {place} in line. Expected wait: {wait}.").format(
        place=place, wait=wait_range_words(low, high)
    )


async def queue_words(desk: Desk, session: AsyncSession, conversation: Conversation) -> str:
    """The person's place and wait as the queue stands now (opening hours assumed)."""
    place = max(await conversations.position(session, conversation), 1)
    slot = await desk.estimate_wait(session, 1)
    low, high = wait_range(slot, place)
    return place_words(place, low, high)
