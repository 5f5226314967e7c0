"""The crisis check's latency per message and the memory of a process serving it (model loaded).

Messages: the held-out crisis set (benchmarks/crisis_heldout.jsonl), crisis and calm, all languages.

    python -m benchmarks.crisis_speed
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from benchmarks.match_speed import _rss_mb
from knowledge.engine import AnswerEngine

HELDOUT = Path(__file__).resolve().parent / "crisis_heldout.jsonl"


def main(rounds: int = 20) -> None:
    engine, _ = AnswerEngine.load()
    detector = engine.crisis
    texts = [
        json.loads(line)["text"] for line in HELDOUT.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    timings = []
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter()
            detector.assess(text)
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p99 = timings[int(len(timings) * 0.99) - 1]
    model = "yes" if detector.model is not None else "no"
    print(
        f"bench crisis: p50_ms={statistics.median(timings):.2f} p99_ms={p99:.2f} rss_mb={_rss_mb():.0f} "
        f"model={model} messages={len(timings)}"
    )


if __name__ == "__main__":
    main()
