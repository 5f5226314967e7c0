"""Interface sentences used by more than one flow, in one place for translators."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import lazy_gettext as __

CATEGORY_NAMES = {
    "health": __("🩺 Health"),
    "safety": __("🛡 Safety"),
    "legal": __("⚖️ Law and papers"),
    "social": __("🏠 Money, housing, life"),
    "service": __("ℹ️ About this service"),
}


def main_menu_text() -> str:
    return _(
        "What would you like to know? Choose a topic, or just type your question in your own words."
    )


def no_answer_text() -> str:
    return _(
        "I don't have a good answer to that. I only answer with texts written by our team, and I would "
        "rather not guess.\n\nYou can look through the topics, or talk to a counsellor — anonymous and free."
    )


def did_you_mean_text() -> str:
    return _("I am not sure I understood. Is your question about one of these?")


def abroad_text() -> str:
    return _(
        "This service covers Belgium only: I cannot tell you the rules of another country, and Belgian "
        "rules may not apply there. A counsellor can help you find out where to ask — anonymous and free."
    )


def help_now_line() -> str:
    """Ends every reply without an answer: the way to help now is never more than a glance away."""
    return _("In danger right now? Call 112. To talk to a person: /talk")


def fallback_note(language_name: str) -> str:
    return _("<i>This answer is not yet written in your language; here it is in {language}.</i>").format(
        language=language_name
    )


def draft_note() -> str:
    return _("<i>This translation has not yet been checked by a native speaker.</i>")


def error_text() -> str:
    return _("Sorry, something went wrong on our side. Please try again in a minute. In danger, call 112.")
