"""What an update's database bookkeeping costs on SQLite, with a pooled session and with one on a kept
connection (storage/update_sessions.py): open the session, ask whether the update was handled, mark
it handled, commit, close -- what every update does before and after its own work.

    python -m benchmarks.session_cost [--updates 5000] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from storage import direct
from storage.database import create_engine, session_factory
from storage.migrate import upgrade_in_child
from storage.update_sessions import KeptConnectionSessions
from storage.updates import claim_update, handled_already

Sessions = Callable[[], AbstractAsyncContextManager[AsyncSession]]


async def bookkeeping(sessions: Sessions, first_id: int, n: int) -> float:
    """Microseconds per update."""
    start = time.perf_counter()
    for update_id in range(first_id, first_id + n):
        async with sessions() as session:
            await handled_already(session, update_id)
            await claim_update(session, update_id)
            await direct.commit(session)
    return (time.perf_counter() - start) / n * 1e6


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--updates", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="vraagbaak-sessions-") as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        await upgrade_in_child(url)
        engine = create_engine(url)
        pooled = session_factory(engine)
        kept = KeptConnectionSessions(engine, pooled, keep=4)
        figures: dict[str, list[float]] = {"pooled_us": [], "kept_us": []}
        await bookkeeping(pooled, 0, 500)  # warm-up
        next_id = 500
        for _ in range(args.rounds):  # alternately, as the machine's speed drifts
            for name, sessions in (("pooled_us", pooled), ("kept_us", kept)):
                figures[name].append(await bookkeeping(sessions, next_id, args.updates))
                next_id += args.updates
        await kept.close()
        await engine.dispose()
    medians = {name: statistics.median(values) for name, values in figures.items()}
    print("bench session_cost: " + " ".join(f"{name}={value:.0f}" for name, value in medians.items())
          + f" saved_us={medians['pooled_us'] - medians['kept_us']:.0f}", flush=True)


if __name__ == "__main__":
    asyncio.run(main())
