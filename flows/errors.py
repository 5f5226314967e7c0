"""When handling fails (a database that is down, a Telegram error): a clear, calm reply; no content logged."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.types import ErrorEvent
from aiogram.utils.i18n import I18n

from flows.texts import error_text
from storage.outages import is_infrastructure_error

log = logging.getLogger(__name__)


class InfrastructureDown(Exception):
    """Raised from the errors handler so the webhook answers 503 and Telegram retries."""


async def on_error(event: ErrorEvent, i18n: I18n, i18n_locale: str | None = None,
                   redeliverable: bool = False) -> bool:
    # The type only: an exception message may quote what the person wrote.
    log.error("handling an update failed: %s", type(event.exception).__name__)
    if redeliverable and is_infrastructure_error(event.exception):
        # By webhook, Telegram delivers this update again once we answer 503: nothing is lost.
        raise InfrastructureDown from event.exception
    update = event.update
    try:
        # The failure may have happened before the language was known: use the default then.
        with i18n.context(), i18n.use_locale(i18n_locale or i18n.default_locale):
            text = error_text()
        if update.message and update.message.chat.type == "private":
            await update.message.answer(text)
        elif update.callback_query:
            await update.callback_query.answer(text, show_alert=True)
    except Exception as exc:  # the reply itself may fail for the same reason
        log.warning("could not tell the person about the failure: %s", type(exc).__name__)
    return True


def create_router() -> Router:
    router = Router(name=__name__)
    router.errors.register(on_error)
    return router
