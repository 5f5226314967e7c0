"""Matching as people really write: typos, no accents, capitals, Thai, Arabic; crisis first."""

from __future__ import annotations

import pytest

from benchmarks.matcher_quality import SETS, evaluate, load
from knowledge.engine import AnswerEngine
from knowledge.matcher import documents_of


@pytest.fixture(scope="module")
def engine() -> AnswerEngine:
    return AnswerEngine.load()[0]


@pytest.mark.parametrize(
    ("text", "lang", "topic"),
    [
        ("the condom broke, what now?", "en", "health.condom_broke"),
        ("THE CONDOM BROKE WHAT NOW", "en", "health.condom_broke"),
        ("the condon brok what now", "en", "health.condom_broke"),
        ("preservatif dechire", "fr", "health.condom_broke"),
        ("préservatif déchiré", "fr", "health.condom_broke"),
        ("waar kan ik gratis condooms krijgen", "nl", "health.condoms"),
        ("ถุงยางแตก ทำยังไงดี", "th", "health.condom_broke"),
        ("الواقي انقطع ماذا افعل", "ar", "health.condom_broke"),
        ("is sex work legal in belgium", "en", "legal.is_legal"),
    ],
)
def test_questions_find_their_topic(engine: AnswerEngine, text: str, lang: str, topic: str) -> None:
    reply = engine.ask(text, lang)
    assert reply.answer is not None and reply.answer.topic_id == topic, reply.match


@pytest.mark.parametrize("text", ["what's the weather tomorrow", "how do i cook pasta", "who won the football"])
def test_unrelated_questions_get_no_answer(engine: AnswerEngine, text: str) -> None:
    assert engine.ask(text, "en").answer is None


@pytest.mark.parametrize(
    "text",
    ["he is going to kill me", "they locked me in the room", "i want to die", "hij slaat me nu",
     "je vais me suicider", "me quiero morir", "ik wil dood"],
)
def test_danger_now_is_a_crisis(engine: AnswerEngine, text: str) -> None:
    assert engine.ask(text).crisis is not None


@pytest.mark.parametrize(
    "text", ["how do i screen clients before meeting them", "what is violence", "tips for safe outcalls"]
)
def test_calm_questions_are_not_a_crisis(engine: AnswerEngine, text: str) -> None:
    assert engine.ask(text).crisis is None


def test_no_example_question_sets_off_the_crisis_check(engine: AnswerEngine) -> None:
    firing = [(d.lang, d.text) for d in documents_of(engine.kb) if engine.crisis.check(d.text)]
    assert firing == []


def test_the_answer_comes_in_the_persons_language_or_says_it_is_a_fallback(engine: AnswerEngine) -> None:
    reply = engine.ask("the condom broke", "pt-BR")
    assert reply.answer is not None and reply.answer.lang == "pt" and not reply.answer.is_fallback
    assert engine.kb.answer("health.pep", ["de", "en"]).is_fallback  # type: ignore[union-attr]


def test_the_held_out_questions_meet_the_bar(engine: AnswerEngine) -> None:
    """Questions written without seeing the content: the knowledge-base issue's bar, with a small
    allowance on accuracy so that one edited example does not turn CI red."""
    figures = evaluate(engine, load(SETS["heldout"])).summary()
    assert figures["accuracy"] >= 0.88, figures
    assert figures["wrong"] <= 0.05, figures
    assert figures["oos_rejected"] >= 0.80, figures
    assert figures["crisis_recall"] == 1.0, figures
    assert figures["false_crisis"] <= 0.02, figures


def test_the_unseen_texting_style_questions_meet_the_bar(engine: AnswerEngine) -> None:
    """Slang, typos, mixed languages and calm uses of alarming words, written from the topic list only."""
    figures = evaluate(engine, load(SETS["unseen"])).summary()
    assert figures["accuracy"] >= 0.88, figures
    assert figures["wrong"] <= 0.05, figures
    assert figures["false_crisis"] <= 0.02, figures


def test_the_blind_probe_set_stays_where_it_was_measured(engine: AnswerEngine) -> None:
    """Everyday messages naming Belgian cities or using words with a health sense (recipe/prescription,
    test, pill), and real questions using the same words. Written blind and never tuned on, so these
    floors are what the matcher did on first sight (0.867, 0.093, 0.844 on 2026-11-23): a change
    that does worse here is answering more of what it should not."""
    figures = evaluate(engine, load(SETS["probe"])).summary()
    assert figures["accuracy"] >= 0.85, figures
    assert figures["wrong"] <= 0.10, figures
    assert figures["oos_rejected"] >= 0.83, figures


def test_messages_as_people_type_them_meet_the_bar(engine: AnswerEngine) -> None:
    """Latin-script Cyrillic, Arabizi, slang, another country's law, everyday questions with a price or
    a city (benchmarks/street.jsonl, written before the matcher was tuned on anything). Measured
    0.944, 0.021, 0.950 on 2026-12-08; the floors leave room for one edited example."""
    figures = evaluate(engine, load(SETS["street"])).summary()
    assert figures["accuracy"] >= 0.90, figures
    assert figures["wrong"] <= 0.04, figures
    assert figures["oos_rejected"] >= 0.90, figures
    assert figures["false_crisis"] <= 0.02, figures
