"""How well the matcher answers questions it was not written for.

Runs the public question set (`../shared/eval/dev.jsonl`, when present beside the repository), our
own held-out set (`benchmarks/heldout.jsonl`, written without looking at the content files) and a
second one (`benchmarks/unseen.jsonl`, 228 messages in texting style, slang and mixed languages, with
calm uses of alarming words, written on 2026-11-23 by someone who saw only the topic list; example
questions added that day came from a list of phrasings, not from these lines), a third
(`benchmarks/probe.jsonl`, 150 messages written on 2026-11-23 by a helper who saw only the topic list:
90 everyday messages the bot must not answer, many naming a Belgian city or using a word with a
health sense such as recipe/prescription, test or pill, and 60 real questions using those same
words; nothing was tuned on it), a fourth (`benchmarks/street.jsonl`, 157 messages as people type
on a phone: Latin-script Bulgarian and Russian with digit letters, Arabizi, Flemish, slang, another
country's law, everyday questions with a price or a city, 12 danger messages; written on 2026-12-07
before the matcher's misses on it were looked at; 5 rows are about topics added that day), and
prints the figures the knowledge-base issue sets as the bar.

    python -m benchmarks.matcher_quality [--misses]
"""

from __future__ import annotations

import argparse
import collections
import json
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.engine import AnswerEngine

HERE = Path(__file__).resolve().parent
SETS = {"heldout": HERE / "heldout.jsonl", "unseen": HERE / "unseen.jsonl", "probe": HERE / "probe.jsonl",
        "street": HERE / "street.jsonl",
        "dev": HERE.parent.parent / "shared" / "eval" / "dev.jsonl"}


@dataclass
class Figures:
    right: int = 0
    wrong: int = 0
    inscope: int = 0
    oos: int = 0
    oos_ok: int = 0
    crisis: int = 0
    crisis_hit: int = 0
    calm: int = 0
    false_crisis: int = 0
    per_lang: dict[str, list[int]] = field(default_factory=lambda: collections.defaultdict(lambda: [0, 0]))

    def summary(self) -> dict[str, float]:
        figures = {"accuracy": self.right / max(self.inscope, 1), "wrong": self.wrong / max(self.inscope + self.oos, 1),
                   "oos_rejected": self.oos_ok / max(self.oos, 1)}
        if self.crisis:  # a set without danger messages says nothing about the crisis check's recall
            figures["crisis_recall"] = self.crisis_hit / self.crisis
        figures["false_crisis"] = self.false_crisis / max(self.calm, 1)
        return figures


def evaluate(engine: AnswerEngine, rows: list[dict], show: bool = False) -> Figures:  # type: ignore[type-arg]
    fig = Figures()
    for row in rows:
        reply = engine.ask(row["text"], row.get("lang"))
        got = reply.answer.topic_id if reply.answer else None
        if row["crisis"]:
            fig.crisis += 1
            fig.crisis_hit += reply.crisis is not None
            if show and reply.crisis is None:
                print(f"  crisis missed [{row['lang']}] {row['text']!r}")
            continue
        fig.calm += 1
        fig.false_crisis += reply.crisis is not None
        if row["expect"] is None:
            fig.oos += 1
            fig.oos_ok += got is None
            fig.wrong += got is not None
        else:
            fig.inscope += 1
            fig.right += got == row["expect"]
            fig.wrong += got not in (None, row["expect"])
            fig.per_lang[row["lang"]][0] += got == row["expect"]
            fig.per_lang[row["lang"]][1] += 1
        if show and got != row["expect"]:
            print(f"  [{row['lang']}] {row['text']!r}: {row['expect']} → {got} ({reply.match.score})")
    return fig


def load(path: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    engine, _ = AnswerEngine.load()
    for name, path in SETS.items():
        if not path.exists():
            continue
        fig = evaluate(engine, load(path), args.misses)
        print(f"{name} per language: " + ", ".join(f"{k} {r}/{n}" for k, (r, n) in sorted(fig.per_lang.items())))
        figures = " ".join(f"{k}={v:.3f}" for k, v in fig.summary().items())
        print(f"bench matcher_{name}: n={len(load(path))} {figures}", flush=True)


if __name__ == "__main__":
    main()
