"""Counsellor phrases (/say) are content: every language has every phrase, and a broken file is
reported with its file and field."""

from __future__ import annotations

import shutil
from pathlib import Path

from knowledge.counsellor_phrases import PHRASE_IDS
from knowledge.languages import SUPPORTED_LANGUAGES
from knowledge.loader import DEFAULT_DIR, load_knowledge


def test_every_language_ships_every_phrase_and_they_differ() -> None:
    result = load_knowledge()
    assert [str(p) for p in result.problems if "phrases" in p.file] == []
    for lang in SUPPORTED_LANGUAGES:
        assert set(result.kb.phrases[lang]) == set(PHRASE_IDS)
        if lang != "en":
            assert all(
                result.kb.phrases[lang][p].text != result.kb.phrases["en"][p].text for p in PHRASE_IDS
            ), lang


def _copy(tmp_path: Path) -> Path:
    root = tmp_path / "knowledge"
    (root / "content").mkdir(parents=True)
    shutil.copy(DEFAULT_DIR / "services.yaml", root / "services.yaml")
    shutil.copytree(DEFAULT_DIR / "phrases", root / "phrases")
    return root


def test_a_broken_phrase_is_named_by_file_and_field(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    path = root / "phrases" / "ar.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace('  text: "هل أنت في أمان الآن؟"', '  text: "<b>هل أنت في أمان الآن؟"'), encoding="utf-8"
    )
    fr = root / "phrases" / "fr.yaml"
    fr.write_text(fr.read_text(encoding="utf-8").replace("back_soon:", "back_later:"), encoding="utf-8")
    errors = [str(p) for p in load_knowledge(root).problems if "phrases" in p.file]
    assert any("knowledge/phrases/ar.yaml: safe_now.text" in e and "never closed" in e for e in errors), (
        errors
    )
    assert any(e.startswith("error: knowledge/phrases/fr.yaml: back_later") for e in errors), errors
    assert "incomplete: knowledge/phrases/fr.yaml: back_soon: phrase missing" in errors


def test_a_missing_status_is_named(tmp_path: Path) -> None:
    root = _copy(tmp_path)
    path = root / "phrases" / "th.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("here:\n  status: draft\n", "here:\n"), encoding="utf-8"
    )
    errors = [str(p) for p in load_knowledge(root).errors if "phrases" in p.file]
    assert errors == ["error: knowledge/phrases/th.yaml: here.status: Field required"]
