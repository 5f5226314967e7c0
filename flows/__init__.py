"""What people experience: menus, answers, crisis replies, privacy commands."""

from __future__ import annotations

from aiogram import Router


def get_routers() -> list[Router]:
    """All user-facing routers in the order they are tried; free-text matching comes last."""
    from flows import answers, errors, feedback, help, language, menu, privacy, start, stale_buttons

    return [
        errors.router,
        start.router,
        language.router,
        help.router,
        privacy.router,
        menu.router,
        feedback.router,
        answers.router,
        stale_buttons.router,
    ]
