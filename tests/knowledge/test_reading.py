"""Reading messages as people type them: Latin-script Cyrillic, slang, stories, places abroad,
everyday questions, and "Did you mean…?" when no topic is confident."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from knowledge.engine import AnswerEngine
from knowledge.loader import DEFAULT_DIR, load_knowledge
from knowledge.sentences import questions
from knowledge.transliterate import to_cyrillic


@pytest.fixture(scope="module")
def engine() -> AnswerEngine:
    return AnswerEngine.load()[0]


@pytest.mark.parametrize(
    ("latin", "lang", "cyrillic"),
    [
        ("kak da iztriq vsi4ko", "bg", "как да изтрия всичко"),
        ("ne iskam ni6to, kaja", "bg", "не искам нищо, кажа"),
        ("pomosht", "bg", "помощ"),
        ("gde vzyat' besplatnye prezervativy", "ru", "где взять бесплатные презервативы"),
        ("rasprostranyaetsya na 15 let", "ru", "распространяется на 15 лет"),
    ],
)
def test_latin_letters_and_digit_letters_fold_to_cyrillic(latin: str, lang: str, cyrillic: str) -> None:
    assert to_cyrillic(latin, lang) == cyrillic


@pytest.mark.parametrize(
    ("text", "lang", "topic"),
    [
        ("kude moga da si napravq test za hiv bez lichna karta", "bg", "health.sti_testing"),
        ("gde sdelat anonimnyj test na vi4 besplatno", "ru", "health.sti_testing"),
        ("de flikken vroegen mijn papieren aan de vitrine, mag da?", "nl", "legal.police_control"),
        ("fin nl9a lkapot fabor", "ar", "health.condoms"),
    ],
)
def test_latin_script_and_slang_find_their_topic(
    engine: AnswerEngine, text: str, lang: str, topic: str
) -> None:
    reply = engine.ask(text, lang)
    assert reply.answer is not None and reply.answer.topic_id == topic, reply.match


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("is it legal to work as an escort in dubai", "en"),
        ("est-ce que c'est légal de bosser en france comme escort", "fr"),
        ("es legal trabajar en la calle en españa?", "es"),
        ("واش هاد الخدمة قانونية فهولندا", "ar"),
    ],
)
def test_another_countrys_law_gets_no_belgian_answer(engine: AnswerEngine, text: str, lang: str) -> None:
    reply = engine.ask(text, lang)
    assert reply.answer is None and reply.abroad, reply.match


def test_belgian_law_named_with_a_city_is_still_answered(engine: AnswerEngine) -> None:
    reply = engine.ask("is it legal to work as an escort in belgium, i used to work in paris", "en")
    assert reply.answer is not None and reply.answer.topic_id == "legal.is_legal" and not reply.abroad


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("how much is a kebab in brussels", "en"),
        ("wat kost een tram ticket in antwerpen", "nl"),
        ("ou manger pas cher a liege", "fr"),
        ("my home insurance is too expensive", "en"),
    ],
)
def test_everyday_questions_with_a_price_or_a_city_get_no_answer(
    engine: AnswerEngine, text: str, lang: str
) -> None:
    reply = engine.ask(text, lang)
    assert reply.answer is None and not reply.match.suggestions, reply.match


def test_an_unsure_question_offers_plausible_topics(engine: AnswerEngine) -> None:
    reply = engine.ask("my papers", "en")
    assert reply.answer is None
    assert 2 <= len(reply.match.suggestions) <= 3
    assert "legal.residence" in reply.match.suggestions


def test_a_long_story_is_split_and_its_questions_read() -> None:
    story = (
        "I came here two years ago with a friend. We worked in a bar for some months. "
        "Now I work alone from an apartment. Do I need to pay taxes? And where can I get condoms?"
    )
    assert questions(story) == ["Do I need to pay taxes?", "And where can I get condoms?"]
    assert questions("where can i get condoms? free?") == []  # short: read whole


def test_two_needs_in_one_message_answer_one_and_suggest_the_other(engine: AnswerEngine) -> None:
    story = (
        "I started working from a flat last month and things go ok. I have a few regulars now. "
        "Do I need to pay taxes on this income? And where can I get free condoms and lube?"
    )
    reply = engine.ask(story, "en")
    assert reply.answer is not None
    both = {reply.answer.topic_id, *reply.match.suggestions}
    assert both == {"legal.taxes", "health.condoms"}, reply.match


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    root = tmp_path / "knowledge"
    shutil.copytree(DEFAULT_DIR / "content", root / "content")
    shutil.copy(DEFAULT_DIR / "services.yaml", root / "services.yaml")
    (root / "slang").mkdir()
    return root


def test_a_slang_term_an_editor_adds_is_understood(kb_dir: Path) -> None:
    question = "hebben jullie nog regenjaskes"
    assert AnswerEngine.load(kb_dir)[0].ask(question, "nl").answer is None
    (kb_dir / "slang" / "nl.yaml").write_text("terms:\n  regenjaskes: condooms\n", encoding="utf-8")
    reply = AnswerEngine.load(kb_dir)[0].ask(question, "nl")
    assert reply.answer is not None and reply.answer.topic_id == "health.condoms"


def test_a_broken_slang_file_is_named_with_its_field(kb_dir: Path) -> None:
    (kb_dir / "slang" / "nl.yaml").write_text(
        "terms:\n  flik: politie\n  Flík: agent\n  kapot: ''\n  poen: poen\n", encoding="utf-8"
    )
    errors = [str(p) for p in load_knowledge(kb_dir).errors]
    assert any("slang/nl.yaml" in e and "terms.Flík" in e and "same term" in e for e in errors), errors
    assert any("slang/nl.yaml" in e and "terms.kapot" in e for e in errors), errors
    assert any("slang/nl.yaml" in e and "terms.poen" in e and "itself" in e for e in errors), errors
    (kb_dir / "slang" / "xx.yaml").write_text("terms: {}\n", encoding="utf-8")
    (kb_dir / "slang" / "fr.yaml").write_text("- flic\n", encoding="utf-8")
    errors = [str(p) for p in load_knowledge(kb_dir).errors]
    assert any("slang/xx.yaml" in e and "unknown language" in e for e in errors), errors
    assert any("slang/fr.yaml" in e for e in errors), errors
