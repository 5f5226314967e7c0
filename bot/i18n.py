"""Interface language: the one the person chose, else their Telegram client's, else the default."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from aiogram.types import TelegramObject, User
from aiogram.utils.i18n import I18n, I18nMiddleware

from knowledge.languages import base_language


def _locales_dir() -> Path:
    """The repository's `locales/` in a checkout; `<prefix>/share/vraagbaak/locales` when installed."""
    in_checkout = Path(__file__).resolve().parent.parent / "locales"
    return in_checkout if in_checkout.is_dir() else Path(sys.prefix) / "share" / "vraagbaak" / "locales"


LOCALES_DIR = _locales_dir()
DOMAIN = "messages"


def create_i18n(default_language: str) -> I18n:
    return I18n(path=LOCALES_DIR, default_locale=default_language, domain=DOMAIN)


def client_language(user: User | None, available: set[str] | tuple[str, ...]) -> str | None:
    lang = base_language(user.language_code if user else None)
    return lang if lang in available else None


class PersonLanguageMiddleware(I18nMiddleware):
    """Runs after PersonMiddleware, which puts the stored choice in `data["person_language"]`."""

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        chosen = data.get("person_language")
        if chosen in self.i18n.available_locales:
            locale = str(chosen)
        else:
            user = data.get("event_from_user")
            locale = client_language(user, self.i18n.available_locales) or self.i18n.default_locale
        data["i18n_locale"] = locale  # handlers pick the answer language from it
        return locale
