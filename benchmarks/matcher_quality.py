"""How well the matcher generalises: leave-one-out over every example question, plus held-out sets.

Leave-one-out: each example question is asked with itself removed from the index (its exact
duplicates in other languages stay: they are other people's words). It measures how often a new
phrasing of a known question finds its topic, per language, without anyone tuning on it.

    python -m benchmarks.matcher_quality [--misses]
"""

from __future__ import annotations

import argparse
import collections
import json
from pathlib import Path

import numpy as np

from knowledge.engine import AnswerEngine
from knowledge.matcher import documents_of

HELDOUT = Path(__file__).resolve().parent / "heldout.jsonl"


def leave_one_out(engine: AnswerEngine, show: bool) -> dict[str, float]:
    docs = documents_of(engine.kb)
    per_lang: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0, 0])  # right, wrong, none
    for index, doc in enumerate(docs):
        scores, touched = engine.matcher.scores(doc.text)
        scores[index] = 0.0
        touched = touched[touched != index]
        match = engine.matcher.decide(scores, touched)
        slot = 0 if match.topic_id == doc.topic_id else (2 if match.topic_id is None else 1)
        per_lang[doc.lang][slot] += 1
        if show and slot == 1:
            print(f"  wrong [{doc.lang}] {doc.text!r}: {doc.topic_id} → {match.topic_id} ({match.score})")
    total = np.array(list(per_lang.values())).sum(axis=0)
    n = max(int(total.sum()), 1)
    print("leave-one-out per language (right/wrong/none): " + ", ".join(
        f"{lang} {r}/{w}/{x}" for lang, (r, w, x) in sorted(per_lang.items())))
    return {"loo_accuracy": total[0] / n, "loo_wrong": total[1] / n, "loo_docs": float(n)}


def heldout(engine: AnswerEngine, path: Path, show: bool) -> dict[str, float]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    right = wrong = inscope = oos = oos_ok = crisis = crisis_hit = calm = false_crisis = 0
    for row in rows:
        reply = engine.ask(row["text"], row.get("lang"))
        got = reply.answer.topic_id if reply.answer else None
        if row["crisis"]:
            crisis += 1
            crisis_hit += reply.crisis is not None
            if show and reply.crisis is None:
                print(f"  crisis missed [{row['lang']}] {row['text']!r}")
            continue
        calm += 1
        false_crisis += reply.crisis is not None
        if show and reply.crisis is not None:
            print(f"  false crisis [{row['lang']}] {row['text']!r} ({reply.crisis.kind})")
        if row["expect"] is None:
            oos += 1
            oos_ok += got is None
            wrong += got is not None
        else:
            inscope += 1
            right += got == row["expect"]
            wrong += got not in (None, row["expect"])
        if show and got != row["expect"]:
            print(f"  [{row['lang']}] {row['text']!r}: {row['expect']} → {got} ({reply.match.score})")
    return {"heldout_accuracy": right / max(inscope, 1), "heldout_wrong": wrong / max(inscope + oos, 1),
            "heldout_oos": oos_ok / max(oos, 1), "heldout_crisis_recall": crisis_hit / max(crisis, 1),
            "heldout_false_crisis": false_crisis / max(calm, 1), "heldout_n": float(len(rows))}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    engine, _ = AnswerEngine.load()
    figures = leave_one_out(engine, args.misses)
    if HELDOUT.exists():
        figures |= heldout(engine, HELDOUT, args.misses)
    print("bench matcher_quality: " + " ".join(f"{k}={v:.3f}" if v < 10 else f"{k}={int(v)}" for k, v in figures.items()))


if __name__ == "__main__":
    main()
