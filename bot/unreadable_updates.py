"""Updates aiogram cannot read are skipped, with one log line that holds no content.

Telegram sometimes sends an update that the pinned aiogram's models reject (a forwarded old message
whose origin lacks a field aiogram requires, a new kind of object). Left to aiogram:
- in polling, the whole `getUpdates` batch fails to parse; aiogram logs the `ClientDecodeError`, whose
  text holds the raw batch (names, usernames, messages of everyone in it), sleeps and asks for the same
  batch again, for ever: the helpline stops answering and the log fills with people's words;
- by webhook, the update is answered 400 and Telegram delivers it again, for ever.
Here each update of a batch is read on its own; one that cannot be read is replaced by a bare update
with only its `update_id` (so aiogram confirms it and moves on), which `SkipBareUpdates` then drops.
Both use aiogram's public seams: a session request middleware and an outer update middleware.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.exceptions import ClientDecodeError
from aiogram.methods import GetUpdates, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import TelegramObject, Update
from aiogram.types.update import UpdateTypeLookupError
from pydantic import ValidationError

log = logging.getLogger(__name__)


def _where(error: ValidationError) -> str:
    """The failing field's path (names from aiogram's models, never values from the update)."""
    first = error.errors()[0] if error.errors() else {}
    return ".".join(str(part) for part in first.get("loc", ()) if isinstance(part, str)) or "?"


def read_update(raw: Any, bot: Bot) -> Update | None:
    """The update, or a bare one (only its id) when aiogram cannot read it; None when `raw` is not an
    update at all (no integer update_id)."""
    if not isinstance(raw, dict) or not isinstance(raw.get("update_id"), int) or isinstance(raw["update_id"], bool):
        return None
    try:
        return Update.model_validate(raw, context={"bot": bot})
    except ValidationError as error:
        log.warning("an update could not be read and was skipped: %s (%d problems)", _where(error),
                    error.error_count())
        return Update(update_id=raw["update_id"])


class SkipUnreadableUpdates(BaseRequestMiddleware):
    """Around `getUpdates`: when the batch cannot be read as a whole, read it update by update."""

    async def __call__(
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot, method: TelegramMethod[TelegramType]
    ) -> TelegramType:
        try:
            return await make_request(bot, method)
        except ClientDecodeError as error:
            if not isinstance(method, GetUpdates):
                raise
            batch = error.data.get("result") if isinstance(error.data, dict) else None
            if not (isinstance(batch, list) and error.data.get("ok") is True):
                raise ClientDecodeError("getUpdates answered something that is not a batch of updates",
                                        error.original, "(content not logged)") from None
            updates = [u for u in (read_update(raw, bot) for raw in batch) if u is not None]
            return updates  # type: ignore[return-value]  # a request middleware returns the result


class SkipBareUpdates:
    """Outer middleware on `dp.update`: an update with no kind aiogram knows is dropped here, before
    aiogram would warn about it with the whole update in the message."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if isinstance(event, Update):
            try:
                event.event_type  # noqa: B018 -- raises for an update of no known kind
            except UpdateTypeLookupError:
                log.warning("an update of no known kind was skipped")
                return UNHANDLED
        return await handler(event, data)
