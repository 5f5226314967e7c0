"""The crisis reply: emergency numbers at once, and a counsellor first in the queue."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from flows.callbacks import TalkRequest
from knowledge.base import KnowledgeBase, render_service
from knowledge.crisis import CrisisHit

# Which numbers to show for each kind of danger (ids from knowledge/services.yaml).
NUMBERS = {
    "violence_now": ("emergency_112", "police_101", "violence_line_1712"),
    "held": ("emergency_112", "police_101", "payoke", "pag_asa", "surya"),
    "suicide": ("suicide_line_1813", "emergency_112"),
    "medical": ("emergency_112",),
}


# The answers that may follow a crisis reply: about the same danger. Whatever else the words match
# ("je veux mourir" also resembles the questions about living with HIV) would push the numbers up the
# screen under "Was this helpful?", and read as mocking.
COMPANIONS = {
    "violence_now": frozenset({"health.after_assault", "safety.violent_client", "safety.stealthing",
                               "safety.report_police"}),
    "held": frozenset({"safety.trafficking"}),
    "suicide": frozenset({"health.mental"}),
    "medical": frozenset({"health.drugs"}),
}


def crisis_text(hit: CrisisHit, kb: KnowledgeBase, lang: str, *, desk_open: bool = True,
                in_queue: bool = False) -> str:
    """The danger's numbers, and what a counsellor can do: answer first (`desk_open`), or not yet.
    `in_queue`: said in a conversation that is waiting for a counsellor (no button to press)."""
    lines = [f"• {render_service(kb.services[sid], lang)}" for sid in NUMBERS[hit.kind] if sid in kb.services]
    if hit.kind == "suicide":
        head = _(
            "🆘 I am sorry you feel this way. You do not have to go through this alone. "
            "You can talk to someone right now, anonymously and free:"
        )
    elif hit.kind == "held":
        head = _("🆘 If you are held or cannot leave, you have rights and there is help. In danger now, call 112.")
    else:
        head = _("🆘 If you are in danger now, call 112. If you can, go to a safe place or where other people are.")
    if not desk_open:
        tail = _("Our counsellors are not online right now, so call the numbers above. You can still leave a "
                 "message for the team: it is read first when they are back.")
    elif in_queue:
        tail = _("You are first in line now: a counsellor from our team will answer you here.")
    else:
        tail = _("A counsellor from our team will answer you first. Tap the button below.")
    return "\n\n".join([head, "\n".join(lines), tail])


def crisis_buttons() -> InlineKeyboardMarkup:
    kb = InlineKeyboardBuilder()
    kb.button(text=_("💬 Talk to a counsellor now"), callback_data=TalkRequest(topic="crisis"))
    return kb.as_markup()
