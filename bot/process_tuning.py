"""How the serving process is tuned: the allocator and the garbage collector.

Memory: glibc gives a freed block of 128 KiB or more straight back to the system (it was mmap'ed), but
then raises that threshold to the block's size, so later blocks that large come from its heap and
stay there once freed. Building the knowledge base's indexes makes dozens of 1–2 MB numpy
temporaries, one after another: with the sliding threshold the instance kept ~8 MB of them for its
whole life. A fixed threshold keeps every large block returnable. Not glibc (musl, macOS): nothing.

Latency: a full garbage collection walks every object that could be in a reference cycle — after
start-up ~180,000 of them (aiogram's models, SQLAlchemy, the knowledge base) — and took 110 ms here,
during which no update moves; under load one came every few seconds and set the p99. Objects made at
start-up live as long as the process, so they are moved out of the collector's sight (`gc.freeze`);
a full collection then walks only what came after.

And the youngest generation is collected when 5,000 more container objects are alive than at its last
collection, not CPython's 700. An update makes a few hundred objects and drops nearly all of them
when it ends (none in reference cycles: measured with gc.DEBUG_SAVEALL over 600 updates). At 700,
twelve updates in flight crossed the line every few updates, so the collector ran ~70 times a second
at 300 updates/s, walked objects still in use, and moved them to the older generations, whose
collections are the slow ones: ~600 ms of collecting per 30 s. At 5,000 it ran ~13 times in those
30 s (python -m benchmarks.load.run, paced run).

Applied to the serving process only (bot/cli.py, bot/runner.py), never on import; checked with
CPython 3.11, whose collector has three generations (3.14's incremental one would not be served).
"""

from __future__ import annotations

import ctypes
import gc

from bot.versions import checked_with

CHECKED_WITH = {"python": ("3.11",)}

M_MMAP_THRESHOLD = -3  # from glibc's malloc.h
THRESHOLD_BYTES = 128 * 1024  # glibc's own starting value
YOUNG_GENERATION_THRESHOLD = 5_000  # CPython's is 700 (see above)


def fix_mmap_threshold() -> bool:
    """True if the threshold was fixed."""
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the C library the interpreter runs on
    except (OSError, AttributeError, TypeError):  # not glibc (musl, macOS, Windows): nothing to do
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, THRESHOLD_BYTES))


def freeze_start_up_objects() -> None:
    """Call once start-up is done: what is alive now stays alive, so stop walking it."""
    gc.collect()
    gc.freeze()


def collect_young_objects_less_often() -> None:
    """The serving process's collector thresholds (see above); the older generations' stay CPython's."""
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, middle, oldest)


def tune_collector() -> bool:
    """Once start-up is done: freeze what is alive, collect the youngest objects less often."""
    if not checked_with("garbage collector tuning", CHECKED_WITH):
        return False
    freeze_start_up_objects()
    collect_young_objects_less_often()
    return True
