"""Matching latency and memory, with the shipped knowledge base and with a synthetic one 50× larger.

The synthetic base copies every topic 50 times under new ids, each copy's questions mutated with
typos, so the index has 50× the documents and a realistic vocabulary growth.

    python -m benchmarks.match_speed
"""

from __future__ import annotations

import gc
import random
import resource
import statistics
import time

from knowledge.base import KnowledgeBase
from knowledge.engine import AnswerEngine
from knowledge.matcher import Document, Matcher, documents_of

QUERIES = [
    ("the condom broke what now", "en"), ("condoom gescheurd", "nl"), ("capote craquée", "fr"),
    ("where can i get tested for sti", "en"), ("is sex work legal in belgium", "en"),
    ("ik heb geen papieren en ben ziek", "nl"), ("camisinha grátis", "pt"), ("бесплатные презервативы", "ru"),
    ("ถุงยางแตก", "th"), ("واقي ذكري مجاني", "ar"), ("what's the weather tomorrow", "en"),
    ("a client hit me yesterday", "en"), ("prezervative gratis", "ro"), ("how do taxes work", "en"),
    # As people type: Latin-script Bulgarian and Russian (read twice), Arabizi, slang, a long story.
    ("kude moga da si napravq test za hiv bez lichna karta, ne iskam da kaja imeto si", "bg"),
    ("u menya net strahovki, kuda idti k vra4u esli zabolela?", "ru"), ("fin nl9a lkapot fabor?", "ar"),
    ("de flikken vroegen mijn papieren aan de vitrine, mag da?", "nl"),
    ("I came here two years ago with a friend and we worked in a bar for some months. Now I work alone "
     "from an apartment and it goes ok, I have regulars. Do I need to pay taxes on this? And where can I "
     "get free condoms and lube around here?", "en"),
]


def _rss_mb() -> float:
    """Resident memory now (not the peak: building an index briefly needs more than keeping it)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def _typo(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(max(1, len(chars) // 12)):
        i = rng.randrange(len(chars))
        chars[i] = rng.choice("abcdefghijklmnopqrstuvwxyz")
    return "".join(chars)


def synthetic_documents(kb: KnowledgeBase, factor: int, seed: int = 7) -> list[Document]:
    rng = random.Random(seed)
    base = documents_of(kb)
    docs = list(base)
    for copy in range(1, factor):
        docs.extend(Document(f"{d.topic_id}#{copy}", d.lang, _typo(d.text, rng)) for d in base)
    return docs


def measure(name: str, matcher: Matcher, rounds: int = 40) -> None:
    timings = []
    for _ in range(rounds):
        for text, lang in QUERIES:
            start = time.perf_counter()
            matcher.match(text, lang)
            timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p50 = statistics.median(timings)
    p99 = timings[int(len(timings) * 0.99) - 1]
    print(f"bench {name}: p50_ms={p50:.2f} p99_ms={p99:.2f} rss_mb={_rss_mb():.0f} docs={len(matcher)}", flush=True)


def main() -> None:
    engine, _ = AnswerEngine.load()
    measure("match", engine.matcher)
    docs = synthetic_documents(engine.kb, 50)
    gc.collect()
    start = time.perf_counter()
    big = Matcher(docs, engine.kb.slang)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  (50× index built in {time.perf_counter() - start:.1f} s, peak rss {peak:.0f} MB)", flush=True)
    del docs
    gc.collect()
    measure("match_50x", big)


if __name__ == "__main__":
    main()
