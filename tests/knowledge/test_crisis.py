"""The crisis check: lexicon and model together, on messages written the way people type in danger."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.crisis import CrisisDetector
from knowledge.crisis_model import CrisisModel, training_hash
from knowledge.engine import AnswerEngine, KnowledgeHolder

ROOT = Path(__file__).resolve().parents[2]
HELDOUT = ROOT / "benchmarks" / "crisis_heldout.jsonl"
# The held-out figures measured when the model was last trained: a change must not lower them.
CAUGHT, FALSE_CRISIS, ASKED = 0.97, 0.02, 0.05


@pytest.fixture(scope="module")
def engine() -> AnswerEngine:
    return AnswerEngine.load()[0]


def test_the_shipped_model_is_trained_on_the_current_examples_and_lexicons() -> None:
    model = CrisisModel.load()
    assert model is not None
    assert model.trained_on == training_hash(), (
        "examples or lexicons changed: run python -m knowledge.crisis_train"
    )


def test_the_held_out_figures_do_not_fall(engine: AnswerEngine) -> None:
    """Messages no example was written from (benchmarks/crisis_heldout.jsonl). Floors are the figures
    measured when the model was trained; a change that lowers them must say why."""
    rows = [json.loads(line) for line in HELDOUT.read_text(encoding="utf-8").splitlines() if line.strip()]
    crisis = [engine.crisis.assess(r["text"], r["lang"]) for r in rows if r["crisis"]]
    calm = [engine.crisis.assess(r["text"], r["lang"]) for r in rows if not r["crisis"]]
    caught = sum(c.hit is not None for c in crisis) / len(crisis)
    false_crisis = sum(c.hit is not None and not c.unsure for c in calm) / len(calm)
    asked = sum(c.unsure for c in calm) / len(calm)
    assert caught >= CAUGHT, caught
    assert false_crisis <= FALSE_CRISIS, false_crisis
    assert asked <= ASKED, asked


@pytest.mark.parametrize(
    ("text", "lang", "kind"),
    [
        ("my mate swallowed a load of pills and now he wont wake up", "en", "medical"),
        ("mijn vriendin ademt ni meer na de pillen", "nl", "medical"),
        ("hes breaking the door in and says hes gonna kill me", "en", "violence_now"),
        ("ils ont pris mon passeport et je peux pas sortir", "fr", "held"),
        ("ya ne hochu bol6e jit", "ru", "suicide"),
    ],
)
def test_danger_in_other_words_is_caught_with_its_kind(
    engine: AnswerEngine, text: str, lang: str, kind: str
) -> None:
    result = engine.crisis.assess(text, lang)
    assert result.hit is not None and result.hit.kind == kind, result


@pytest.mark.parametrize(
    "text",
    [
        "this client is killing me lol",
        "ik ben kapot",
        "I'd die for a coffee",
        "je suis morte de fatigue",
        "what is PEP?",
        "a client hit me last year, can I still report it?",
        "how do I screen violent clients",
    ],
)
def test_crisis_words_used_calmly_raise_no_alarm(engine: AnswerEngine, text: str) -> None:
    result = engine.crisis.assess(text)
    assert result.hit is None or result.unsure, result  # at most the question "are you in danger?"
    assert engine.crisis.check(text) is None


def test_without_the_model_the_lexicon_works_alone(engine: AnswerEngine, tmp_path: Path) -> None:
    assert CrisisModel.load(tmp_path / "missing.npz") is None
    (tmp_path / "broken.npz").write_bytes(b"not a model")
    assert CrisisModel.load(tmp_path / "broken.npz") is None
    alone = CrisisDetector(engine.kb.crisis, None)
    result = alone.assess("he is going to kill me")
    assert result.hit is not None and result.hit.kind == "violence_now" and not result.unsure
    assert alone.assess("where can I get free condoms").hit is None
    medical = alone.assess("my friend took all the pills and is not breathing")
    assert medical.hit is not None and medical.hit.kind == "medical"


def test_the_serving_process_loads_the_model_without_scikit_learn() -> None:
    """scikit-learn and scipy cost ~90 MB: they train the model, the serving process never imports them."""
    code = (
        "import sys, json, bot.app, bot.runner; from knowledge.engine import AnswerEngine; "
        "engine = AnswerEngine.load()[0]; engine.ask('he is breaking the door down', 'en'); "
        "print(json.dumps([engine.crisis.model is not None, sorted(m for m in ('sklearn', 'scipy') if m in sys.modules)]))"
    )
    loaded, heavy = json.loads(
        subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
    )
    assert loaded is True
    assert heavy == []


def test_an_editors_change_does_not_rebuild_the_crisis_check() -> None:
    """Every change rebuilds the engine; the crisis check (lexicons compiled, model loaded) is reused."""
    holder = KnowledgeHolder()
    engine = holder.engine
    holder.apply({}, version=1)
    assert holder.engine is not engine, "a new engine"
    assert holder.engine.crisis is engine.crisis, "the same crisis check"
    assert holder.engine.crisis.model is not None
