"""`kb check` compares each translation's phone numbers, figures, services and commands with English, and
reports phone numbers that the referral directory does not have."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.loader import DEFAULT_DIR, load_knowledge
from knowledge.translation_check import check_translations, facts_of

REPO = Path(__file__).resolve().parents[2]
# Languages whose texts agree with English; add a language here once `kb check` shows it clean.
OWN_LANGUAGES = ("en", "nl", "fr", "es", "pt", "ro")

EN = """
health.pep:
  status: "reviewed"
  title: "PEP"
  questions: ["pep where", "pills after risk", "hiv pills after sex", "what is pep", "pep", "need pep"]
  answer: |
    Start within <b>72 hours</b>, ideally within 48, at an {service:aids_reference_centres}; take it for 28 days.
    In danger call {service:emergency_112}. Type /talk.
"""
FR = """
health.pep:
  status: "draft"
  title: "PEP"
  questions: ["pep ou", "pilules apres risque", "pep vih", "c quoi la pep", "pep svp", "besoin pep"]
  answer: |
    Commence dans les <b>72 heures</b>, idéalement dans les 48, dans un {service:aids_reference_centres} ; pendant 28 jours.
    En danger, appelle {service:emergency_112}. Tape /talk.
"""


@pytest.fixture
def kb_dir(tmp_path: Path) -> Path:
    root = tmp_path / "knowledge"
    (root / "content").mkdir(parents=True)
    shutil.copy(DEFAULT_DIR / "services.yaml", root / "services.yaml")
    for lang, body in (("en", EN), ("fr", FR)):
        (root / "content" / lang).mkdir()
        (root / "content" / lang / "health.yaml").write_text(body, encoding="utf-8")
    return root


def findings(root: Path) -> list[str]:
    return [str(p) for p in check_translations(load_knowledge(root).kb, root.name)]


def test_facts_read_phones_figures_services_and_commands() -> None:
    facts = facts_of(
        "Call {service:trafficking_line}, 078 05 58 00 or 112, 24/7; €6,000; 18:00–21:00; "
        '<b>/talk</b> and/or /wipe; 72 hours; Brabantdam 100B; <a href="https://x.be/a">site</a>',
        frozenset({"112"}),
    )
    assert facts.phones == {"078055800", "112"}
    assert facts.figures == {"24/7", "6000", "18", "21", "72", "100"}
    assert facts.services == {"trafficking_line"}
    assert facts.commands == {"/talk", "/wipe"}


def test_spellings_of_the_same_figure_are_the_same_fact() -> None:
    english = facts_of("€6,000; 24/7; 18:00; 116 000")
    for other in ("6.000 €; 24h/24 et 7j/7; 18h00; 116 000", "6 000 €; 24/7; 18.00; 116000"):
        translated = facts_of(other)
        assert (translated.figures, translated.phones) == (english.figures, english.phones)


def test_a_faithful_translation_has_no_findings(kb_dir: Path) -> None:
    assert findings(kb_dir) == []


def test_a_lost_figure_service_or_command_is_a_warning_naming_file_and_topic(kb_dir: Path) -> None:
    path = kb_dir / "content" / "fr" / "health.yaml"
    path.write_text(
        FR.replace("pendant 28 jours", "pendant un mois")
        .replace("{service:emergency_112}", "le 112 ou le 101")
        .replace(" Tape /talk.", ""),
        encoding="utf-8",
    )
    problems = check_translations(load_knowledge(kb_dir).kb, kb_dir.name)
    assert {p.severity for p in problems} == {"warning"}
    text = "\n".join(str(p) for p in problems)
    assert "knowledge/content/fr/health.yaml: health.pep.answer" in text
    assert "lacks the figures 28" in text
    assert "lacks the services emergency_112" in text
    assert "adds the phone numbers 101, 112" in text
    assert "lacks the commands /talk" in text


def test_a_phone_number_not_in_the_directory_is_an_error_in_any_language(kb_dir: Path) -> None:
    path = kb_dir / "content" / "en" / "health.yaml"
    path.write_text(EN.replace("Type /talk.", "Or call 02 123 45 67. Type /talk."), encoding="utf-8")
    errors = [p for p in check_translations(load_knowledge(kb_dir).kb, kb_dir.name) if p.severity == "error"]
    assert [str(p) for p in errors] == [
        "error: knowledge/content/en/health.yaml: health.pep.answer: phone number 021234567 is not in the "
        "referral directory"
    ]


def test_kb_check_prints_the_comparison(kb_dir: Path) -> None:
    path = kb_dir / "content" / "fr" / "health.yaml"
    path.write_text(FR.replace("72 heures", "trois jours"), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "kb", "--dir", str(kb_dir), "check", "--allow-incomplete"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert (
        "warning: knowledge/content/fr/health.yaml: health.pep.answer: lacks the figures 72" in result.stdout
    )


@pytest.mark.parametrize("lang", OWN_LANGUAGES)
def test_the_shipped_translations_agree_with_english(lang: str) -> None:
    problems = check_translations(load_knowledge().kb)
    assert [str(p) for p in problems if f"/content/{lang}/" in p.file] == []
