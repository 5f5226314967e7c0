"""Any button press nobody else handled: old, forged or from a removed feature. Say so, change nothing."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _


async def stale(query: CallbackQuery) -> None:
    await query.answer(_("This button is no longer valid."))


def create_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(stale)
    return router
