"""The languages Vraagbaak speaks, and how a requested language falls back to one that has text."""

from __future__ import annotations

from collections.abc import Iterable

# Order is the order of the language picker.
SUPPORTED_LANGUAGES: tuple[str, ...] = ("nl", "fr", "en", "es", "pt", "ro", "bg", "hu", "sq", "ru", "th", "ar")
REFERENCE_LANGUAGES: tuple[str, ...] = ("nl", "en")
RTL_LANGUAGES = frozenset({"ar"})


def base_language(code: str | None) -> str | None:
    """`pt-BR` → `pt`, `EN_us` → `en`; None for empty input."""
    if not code:
        return None
    return code.replace("_", "-").split("-")[0].lower()


# Each language's name in itself, as CLDR gives it through Babel (`cldr_name`; a test checks they
# still agree). Written out because asking Babel at run time loads twelve whole CLDR locales into
# the bot process: ~15 MB for twelve words.
NATIVE_NAMES: dict[str, str] = {
    "nl": "Nederlands", "fr": "Français", "en": "English", "es": "Español", "pt": "Português",
    "ro": "Română", "bg": "Български", "hu": "Magyar", "sq": "Shqip", "ru": "Русский", "th": "ไทย",
    "ar": "العربية",
}


def native_name(code: str) -> str:
    """The language's name in itself (e.g. `Nederlands`, `العربية`)."""
    return NATIVE_NAMES.get(code) or cldr_name(code)


def cldr_name(code: str) -> str:
    from babel import Locale

    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def fallback_chain(requested: str | None, fallbacks: Iterable[str]) -> list[str]:
    """Languages to try in order: the requested one (full, then base), then the configured fallbacks."""
    chain: list[str] = []
    if requested:
        chain.append(requested.replace("_", "-"))
        base = base_language(requested)
        if base:
            chain.append(base)
    chain.extend(fallbacks)
    seen: set[str] = set()
    return [lang for lang in chain if not (lang in seen or seen.add(lang))]
