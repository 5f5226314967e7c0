"""The knowledge-base commands, as editors and the evaluation script use them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from knowledge.topics import TOPIC_IDS


def vraagbaak(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], input=stdin, capture_output=True, text=True,
                          timeout=120, cwd=Path(__file__).resolve().parent.parent)


def test_kb_check_passes_on_the_shipped_content() -> None:
    result = vraagbaak("kb", "check", "--quiet")
    assert result.returncode == 0, result.stderr
    assert "47 topics, 564 translations" in result.stdout and "0 errors, 0 missing" in result.stdout


def test_kb_check_fails_and_names_the_file_and_field(tmp_path: Path) -> None:
    (tmp_path / "content" / "en").mkdir(parents=True)
    (tmp_path / "services.yaml").write_text("{}")
    (tmp_path / "content" / "en" / "health.yaml").write_text(
        'health.pep:\n  status: reviewed\n  title: "PEP"\n  questions: ["a", "b"]\n  answer: "<b>72 hours"\n')
    result = vraagbaak("kb", "--dir", str(tmp_path), "check", "--allow-incomplete")
    assert result.returncode == 1
    assert "content/en/health.yaml: health.pep.answer" in result.stderr


def test_kb_match_prints_one_line_per_question_in_order() -> None:
    questions = [{"text": "the condom broke, what now?", "lang": "en"}, {"text": "what's the weather"},
                 {"text": "i want to die", "lang": "en"}, {"text": "capote craquée", "lang": "fr"},
                 {"text": "camisinha estourou", "lang": "pt-BR"}]
    result = vraagbaak("kb", "match", stdin="\n".join(json.dumps(q) for q in questions) + "\n")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [set(line) for line in lines] == [{"entry", "score", "lang", "crisis", "danger_check", "suggest", "abroad"}] * 5
    assert lines[0]["entry"] == "health.condom_broke" and lines[0]["lang"] == "en"
    assert lines[1]["entry"] is None and lines[1]["crisis"] is False
    assert lines[2]["crisis"] is True and lines[2]["danger_check"] is False
    assert lines[3]["lang"] == "fr"
    assert lines[4]["lang"] == "pt", "pt-BR falls back to pt"


def test_kb_match_refuses_a_line_that_is_not_json() -> None:
    result = vraagbaak("kb", "match", stdin="not json\n")
    assert result.returncode == 2 and "line 1" in result.stderr


def test_kb_export_has_every_topic_and_language() -> None:
    result = vraagbaak("kb", "export")
    assert result.returncode == 0
    entries = json.loads(result.stdout)["entries"]
    assert [e["id"] for e in entries] == list(TOPIC_IDS)
    pep = next(e for e in entries if e["id"] == "health.pep")
    assert len(pep["translations"]) == 12
    assert {"title", "questions", "answer"} <= set(pep["translations"]["nl"])
