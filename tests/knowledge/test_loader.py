"""Malformed knowledge files are reported with file and field; the shipped content is valid."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from knowledge.loader import DEFAULT_DIR, load_knowledge

GOOD = """
health.pep:
  status: reviewed
  title: "PEP"
  questions: ["pep where", "pills after risk", "hiv pills after sex", "what is pep", "pep", "need pep"]
  answer: "Start within <b>72 hours</b> at an {service:aids_reference_centres}."
"""


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    root = tmp_path / "knowledge"
    (root / "content" / "en").mkdir(parents=True)
    shutil.copy(DEFAULT_DIR / "services.yaml", root / "services.yaml")
    return root


def write(root: Path, rel: str, body: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")


def errors_of(root: Path) -> list[str]:
    return [str(p) for p in load_knowledge(root).errors]


def test_the_shipped_knowledge_base_has_no_errors() -> None:
    assert [str(p) for p in load_knowledge().errors] == []


def test_a_good_file_loads_and_renders_the_service_name(kb_dir: Path) -> None:
    write(kb_dir, "content/en/health.yaml", GOOD)
    result = load_knowledge(kb_dir)
    assert result.errors == []
    answer = result.kb.answer("health.pep", ["en"])
    assert answer is not None and "<b>HIV reference centre</b>" in answer.html


def test_html_telegram_would_refuse_is_an_error_naming_file_field_and_place(kb_dir: Path) -> None:
    write(kb_dir, "content/en/health.yaml", GOOD.replace("<b>72 hours</b>", "<b>72 hours"))
    [error] = errors_of(kb_dir)
    assert "knowledge/content/en/health.yaml: health.pep.answer" in error
    assert "<b> is never closed" in error


def test_a_missing_field_is_named(kb_dir: Path) -> None:
    write(kb_dir, "content/en/health.yaml", GOOD.replace('  title: "PEP"\n', ""))
    [error] = errors_of(kb_dir)
    assert "health.yaml: health.pep.title: Field required" in error


def test_an_unquoted_yes_is_not_taken_for_a_question(kb_dir: Path) -> None:
    write(kb_dir, "content/en/health.yaml", GOOD.replace('"pep where"', "yes"))
    [error] = errors_of(kb_dir)
    assert "health.pep.questions.0" in error


def test_broken_yaml_names_the_line(kb_dir: Path) -> None:
    write(kb_dir, "content/en/health.yaml", "health.pep:\n  title: [unclosed\n")
    [error] = errors_of(kb_dir)
    assert "health.yaml: line" in error and "not valid YAML" in error


def test_unknown_service_topic_and_category_are_errors(kb_dir: Path) -> None:
    write(kb_dir, "content/en/health.yaml", GOOD.replace("aids_reference_centres", "nowhere"))
    write(kb_dir, "content/en/legal.yaml", GOOD.replace("health.pep", "legal.unknown"))
    write(kb_dir, "content/en/food.yaml", GOOD)
    errors = "\n".join(errors_of(kb_dir))
    assert "unknown service {service:nowhere}" in errors
    assert "legal.unknown: unknown topic id" in errors
    assert "unknown category 'food'" in errors


def test_an_example_question_under_two_topics_is_an_error(kb_dir: Path) -> None:
    write(kb_dir, "content/en/health.yaml", GOOD + GOOD.replace("health.pep", "health.prep").replace('"pep where"', '"Need PEP!"'))
    errors = errors_of(kb_dir)
    assert any("health.prep.questions" in e and "also an example of health.pep" in e for e in errors)


def test_missing_translations_are_reported_as_incomplete(kb_dir: Path) -> None:
    write(kb_dir, "content/en/health.yaml", GOOD)
    problems = load_knowledge(kb_dir).problems
    assert any(p.severity == "incomplete" and p.field == "health.pep" and "/nl/" in p.file for p in problems)
