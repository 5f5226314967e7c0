"""Passing messages between a person and their counsellor: always copies (copyMessage), never
forwards, which would show the sender's name and account. Nothing relayed is stored or logged."""

from __future__ import annotations

import enum
import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramForbiddenError

log = logging.getLogger(__name__)


class Relayed(enum.Enum):
    OK = "ok"
    BLOCKED = "blocked"  # the person blocked the bot: 403
    THREAD_GONE = "thread_gone"  # the forum topic was deleted by hand
    TOPIC_CLOSED = "topic_closed"  # closed: by /close a moment ago (not committed yet), or by hand
    REFUSED = "refused"  # any other refusal (a message type that cannot be copied), or Telegram failing


async def copy(bot: Bot, *, to_chat: int, from_chat: int, message_id: int, thread_id: int | None = None) -> Relayed:
    try:
        await bot.copy_message(chat_id=to_chat, from_chat_id=from_chat, message_id=message_id,
                               message_thread_id=thread_id)
    except TelegramForbiddenError:
        return Relayed.BLOCKED
    except TelegramBadRequest as exc:
        reason = exc.message.lower()
        if "topic_closed" in reason:
            return Relayed.TOPIC_CLOSED
        if "thread" in reason or "topic" in reason:
            return Relayed.THREAD_GONE
        log.warning("a message could not be relayed (telegram said bad request)")
        return Relayed.REFUSED
    except TelegramAPIError as exc:  # 5xx, a long 429 or the network, after the retries: say so, not lose it
        log.warning("a message could not be relayed: %s", type(exc).__name__)
        return Relayed.REFUSED
    return Relayed.OK
