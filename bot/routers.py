"""Every user-facing router, in the order aiogram tries them: the flows and the handoff's."""

from __future__ import annotations

from aiogram import Router


def get_routers() -> list[Router]:
    """All user-facing routers in the order they are tried; free-text matching comes last."""
    from flows import (
        answers,
        danger_check,
        edit,
        errors,
        feedback,
        help,
        language,
        menu,
        privacy,
        service_messages,
        services,
        stale_buttons,
        start,
    )
    from handoff import counsellor, person

    # Telegram's service messages are set aside first. The handoff comes before menus and free text:
    # while a conversation is open, what the person sends goes to their counsellor.
    modules = (errors, service_messages, start, language, help, edit, privacy, services, person, counsellor, menu,
               feedback, danger_check, answers, stale_buttons)
    # A fresh router per call: a router can belong to one dispatcher only, and tests and
    # benchmarks run several.
    return [module.create_router() for module in modules]
