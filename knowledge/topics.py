"""The fixed topic ids (shared/knowledge/topics.md). Feedback, statistics and evaluation sets refer to
them, so an id never changes once shipped; the order here is the order of the menus."""

from __future__ import annotations

CATEGORIES: dict[str, tuple[str, ...]] = {
    "health": (
        "health.condoms", "health.condom_broke", "health.pep", "health.prep", "health.sti_testing",
        "health.sti_symptoms", "health.hiv_positive", "health.vaccination", "health.contraception",
        "health.pregnancy", "health.doctor_no_insurance", "health.mental", "health.drugs",
        "health.trans", "health.after_assault",
    ),
    "safety": (
        "safety.violent_client", "safety.trafficking", "safety.stealthing", "safety.online",
        "safety.report_police", "safety.non_payment", "safety.minors",
    ),
    "legal": (
        "legal.is_legal", "legal.employment_contract", "legal.self_employed", "legal.taxes",
        "legal.residence", "legal.police_control", "legal.lawyer", "legal.advertising", "legal.local_rules",
        "legal.social_security", "legal.online_work",
    ),
    "social": (
        "social.housing", "social.debt", "social.benefits", "social.exit", "social.relatives",
        "social.children", "social.banking",
    ),
    "service": (
        "service.about", "service.privacy", "service.hours", "service.locations", "service.free_consult",
        "service.delete_data", "service.human",
    ),
}
TOPIC_IDS: tuple[str, ...] = tuple(topic for topics in CATEGORIES.values() for topic in topics)


def category_of(topic_id: str) -> str:
    return topic_id.split(".", 1)[0]
