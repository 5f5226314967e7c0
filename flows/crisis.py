"""The crisis reply. Its order is the same for every kind of danger and every language: what to do
now, the number for this danger in the person's language, then honestly when a counsellor reads them."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.opening_hours import Availability
from flows.callbacks import TalkRequest
from knowledge.base import KnowledgeBase, render_service
from knowledge.crisis import CrisisHit

# Which numbers to show for each kind of danger (ids from knowledge/services.yaml). 112 is for every
# emergency; 1712 is not an emergency line and the trafficking centres are reached through one 24/7 line.
NUMBERS = {
    "violence_now": ("emergency_112",),
    "held": ("emergency_112", "trafficking_line"),
    "medical": ("emergency_112",),
}
# Suicide lines by the language they speak (facts.md). Other languages have none: they are told so.
SUICIDE_LINES = {"nl": "suicide_line_1813", "fr": "suicide_line_fr", "de": "telefonhilfe_108"}
OTHER_LANGUAGE_SUICIDE_LINES = ("suicide_line_1813", "suicide_line_fr")


# The answers that may follow a crisis reply: about the same danger. Whatever else the words match
# ("je veux mourir" also resembles the questions about living with HIV) would push the numbers up the
# screen under "Was this helpful?", and read as mocking.
COMPANIONS = {
    "violence_now": frozenset(
        {"health.after_assault", "safety.violent_client", "safety.stealthing", "safety.report_police"}
    ),
    "held": frozenset({"safety.trafficking"}),
    "suicide": frozenset({"health.mental"}),
    "medical": frozenset(),  # at an overdose, nothing between the person and 112
}


def _lines(kb: KnowledgeBase, lang: str, service_ids: tuple[str, ...]) -> str:
    """One line per service: its name and number, and when it answers where the directory knows."""
    lines = []
    for service_id in service_ids:
        service = kb.services.get(service_id)
        if service is None:
            continue
        hours = service.opening(lang)
        lines.append(f"• {render_service(service, lang)}" + (f" — {hours}" if hours else ""))
    return "\n".join(lines)


def message_received(availability: Availability, lang: str) -> str:
    """Said for every message left while no counsellor is in: it arrived, when it is read, and 112."""
    when = availability.when(lang)
    if when is None:
        return _("Received. It is read first when the counsellors are back. In danger now: 112.")
    return _(
        "Received. The next counsellor reads it on {day} at {time} ({timezone} time). In danger now: 112."
    ).format(**when)


def _counsellors(availability: Availability | None, lang: str, in_queue: bool) -> str:
    if availability is None or availability.open:
        if in_queue:
            # Their real place follows (handoff/person.py): two in danger are not both "first".
            return _("You are now ahead of everyone who wrote about something less urgent: a counsellor from our "
                     "team will answer you here.")
        return _("A counsellor from our team will answer you first. Tap the button below.")
    if in_queue:  # what they wrote went to the team: it is acknowledged like any message left
        return message_received(availability, lang)
    when = availability.when(lang)
    if when is None:
        return _(
            "Our counsellors are not online right now. With the button below you can leave a message for the "
            "team: it is read first when they are back."
        )
    return _(
        "Our counsellors are not online right now. With the button below you can leave a message for the "
        "team: the next counsellor reads it on {day} at {time} ({timezone} time)."
    ).format(**when)


def crisis_text(
    hit: CrisisHit,
    kb: KnowledgeBase,
    lang: str,
    *,
    availability: Availability | None = None,
    in_queue: bool = False,
) -> str:
    """The reply to danger in `lang`. `availability`: whether counsellors are in (None: they are);
    `in_queue`: said in a conversation that is waiting for a counsellor (no button to press)."""
    later: list[str] = []  # lines in other languages, after the counsellors
    if hit.kind == "suicide" and (own := SUICIDE_LINES.get(lang)) in kb.services:
        parts = [
            _(
                "🆘 I am sorry you feel this way. You do not have to go through this alone. You can talk to someone "
                "right now, anonymously and free:"
            ),
            _lines(kb, lang, (own, "emergency_112")),
        ]
    elif hit.kind == "suicide":
        parts = [
            _(
                "🆘 I am sorry you feel this way. You do not have to go through this alone. We found no Belgian suicide "
                "line in your language. If you are in danger now, call 112:"
            ),
            _lines(kb, lang, ("emergency_112",)),
        ]
        later = [
            _("Suicide lines in Dutch and in French, free and anonymous, day and night:")
            + "\n"
            + _lines(kb, lang, OTHER_LANGUAGE_SUICIDE_LINES)
        ]
    elif hit.kind == "held":
        parts = [
            _(
                "🆘 If you are held or cannot leave, you have rights and there is help. In danger now, call 112."
            ),
            _lines(kb, lang, NUMBERS["held"]),
        ]
    elif hit.kind == "medical":
        parts = [
            _(
                "🆘 Call 112 now: it is free and answers day and night. If this is about someone else, stay with "
                "them until help comes."
            ),
            _lines(kb, lang, NUMBERS["medical"]),
        ]
    else:
        parts = [
            _(
                "🆘 If you are in danger now, call 112. If you can, go to a safe place or where other people are."
            ),
            _lines(kb, lang, NUMBERS["violence_now"]),
        ]
    return "\n\n".join([*filter(None, parts), _counsellors(availability, lang, in_queue), *later])


def crisis_buttons(availability: Availability | None = None, *, kind: str = "", source: int = 0) -> InlineKeyboardMarkup:
    """The button says what pressing it really does: a talk now, or a message for later. `kind` and
    `source` (the message that raised it) are shown to the counsellor who takes it."""
    kb = InlineKeyboardBuilder()
    request = TalkRequest(topic="crisis", kind=kind, source=source)
    if availability is None or availability.open:
        kb.button(text=_("💬 Talk to a counsellor now"), callback_data=request)
    else:
        kb.button(text=_("✉️ Leave a message for the team"), callback_data=request)
    return kb.as_markup()
