"""Inline keyboards. Texts come through gettext, so they follow the person's language.

Each keyboard is built once per language and arguments and then reused: building one (pydantic
models, copied on export) cost more than the rest of a menu press. Keyboards are never mutated.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import get_i18n
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from flows.callbacks import Feedback, LanguageChoice, MenuNav, TalkRequest
from flows.texts import CATEGORY_NAMES
from knowledge.languages import SUPPORTED_LANGUAGES, native_name
from knowledge.topics import CATEGORIES

P = ParamSpec("P")


def per_language(build: Callable[P, InlineKeyboardMarkup]) -> Callable[P, InlineKeyboardMarkup]:
    """Remember `build`'s keyboards by the current interface language and the arguments."""

    @functools.lru_cache(maxsize=2048)
    def cached(locale: str, *args: object, **kwargs: object) -> InlineKeyboardMarkup:
        return build(*args, **kwargs)

    @functools.wraps(build)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> InlineKeyboardMarkup:
        return cached(get_i18n().current_locale, *args, **kwargs)

    return wrapper


@per_language
def language_picker(current: str | None = None) -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for code in SUPPORTED_LANGUAGES:
        mark = "✓ " if code == current else ""
        kb.button(text=mark + native_name(code), callback_data=LanguageChoice(code=code))
    kb.adjust(2)
    return kb.as_markup()


@per_language
def main_menu() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    for category in CATEGORIES:
        kb.button(text=str(CATEGORY_NAMES[category]), callback_data=MenuNav(category=category))
    kb.button(text=_("📍 Services and helplines"), callback_data="svc:")
    kb.button(text=_("💬 Talk to a counsellor"), callback_data=TalkRequest())
    kb.button(text=_("🌐 Language"), callback_data=LanguageChoice(code="?"))
    kb.adjust(1, 1, 1, 1, 1, 1, 2)
    return kb.as_markup()


@per_language
def category_menu(titles: tuple[tuple[str, str], ...]) -> InlineKeyboardMarkup:
    """`titles`: (topic id, title in the person's language)."""
    kb = InlineKeyboardBuilder()
    for topic_id, title in titles:
        kb.button(text=title, callback_data=MenuNav(category=topic_id.split(".")[0], topic=topic_id))
    kb.button(text=_("⬅️ Back"), callback_data=MenuNav())
    kb.adjust(1)
    return kb.as_markup()


@per_language
def answer_buttons(
    topic_id: str,
    *,
    feedback: bool = True,
    back_to_category: bool = False,
    also: tuple[tuple[str, str], ...] = (),
) -> InlineKeyboardMarkup:
    """`also`: (topic id, title) of a second need the message stated, offered as one more answer."""
    kb = InlineKeyboardBuilder()
    sizes: list[int] = []
    for other, title in also:
        kb.button(text=f"➕ {title}", callback_data=MenuNav(category=other.split(".")[0], topic=other))
        sizes.append(1)
    if feedback:
        kb.button(text="👍", callback_data=Feedback(topic=topic_id, helpful=True))
        kb.button(text="👎", callback_data=Feedback(topic=topic_id, helpful=False))
        sizes.append(2)
    kb.button(text=_("💬 Talk to a counsellor"), callback_data=TalkRequest(topic=topic_id))
    back = MenuNav(category=topic_id.split(".")[0]) if back_to_category else MenuNav()
    kb.button(text=_("📋 Menu"), callback_data=back)
    sizes.extend([1, 1])
    kb.adjust(*sizes)
    return kb.as_markup()


@per_language
def no_answer_buttons() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=_("💬 Talk to a counsellor"), callback_data=TalkRequest())
    kb.button(text=_("📋 Menu"), callback_data=MenuNav())
    kb.adjust(1)
    return kb.as_markup()


@per_language
def suggestion_buttons(titles: tuple[tuple[str, str], ...]) -> InlineKeyboardMarkup:
    """“Did you mean…?”: `titles` (topic id, title in the person's language) open that answer;
    the last button is for everything else."""
    kb = InlineKeyboardBuilder()
    for topic_id, title in titles:
        kb.button(text=title, callback_data=MenuNav(category=topic_id.split(".")[0], topic=topic_id))
    kb.button(text=_("💬 Something else: talk to a counsellor"), callback_data=TalkRequest())
    kb.adjust(1)
    return kb.as_markup()
