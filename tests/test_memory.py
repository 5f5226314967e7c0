"""What keeps an instance lean: heavy libraries it does not need stay out of the serving
process, and glibc is told to give large freed blocks back."""

from __future__ import annotations

import json
import platform
import subprocess
import sys
from pathlib import Path

import pytest

from bot.process_tuning import fix_mmap_threshold

ROOT = Path(__file__).resolve().parents[1]


def test_the_serving_process_imports_neither_alembic_nor_redis_when_it_has_no_redis() -> None:
    # A fresh interpreter: this test process has imported both already.
    code = "import sys, json, bot.cli, bot.runner, bot.webhook, flows.errors; " \
           "print(json.dumps(sorted(m for m in ('alembic', 'mako', 'redis') if m in sys.modules)))"
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                                       check=True).stdout)
    assert loaded == []


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_the_mmap_threshold_is_fixed_on_glibc() -> None:
    assert fix_mmap_threshold() is True


def test_after_start_up_a_full_collection_walks_only_what_came_after() -> None:
    # A fresh interpreter: freezing is for the serving process, not for this test process.
    code = ("import gc, time, json, bot.app, bot.runner; from bot.process_tuning import freeze_start_up_objects; "
            "junk = [[i] for i in range(200_000)]; freeze_start_up_objects(); "
            "print(json.dumps([gc.get_freeze_count(), len(gc.get_objects())]))")
    frozen, walked = json.loads(subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                                               check=True).stdout)
    assert frozen > 200_000 and walked < 1_000


def test_with_the_serving_thresholds_reference_cycles_are_still_collected_as_they_come() -> None:
    # A fresh interpreter, as above. 200,000 two-object cycles made and dropped one by one: the
    # collector must still run by itself (not only when asked) and free nearly all of them on the way.
    code = ("import gc, json, weakref; from bot.process_tuning import collect_young_objects_less_often; "
            "collect_young_objects_less_often()\n"
            "class Node: pass\n"
            "runs = gc.get_stats()[0]['collections']; refs = []\n"
            "for i in range(200_000):\n"
            "    a, b = Node(), Node(); a.other, b.other = b, a\n"
            "    if i % 1000 == 0: refs.append(weakref.ref(a))\n"
            "    del a, b\n"
            "print(json.dumps([gc.get_threshold()[0], gc.get_stats()[0]['collections'] - runs, "
            "sum(r() is not None for r in refs), len(refs)]))")
    threshold, automatic_runs, still_alive, sampled = json.loads(subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout)
    assert threshold == 5_000
    assert 40 <= automatic_runs <= 100  # 400,000 objects in cycles, a collection every 5,000 of them
    assert still_alive <= 3 and sampled == 200  # at most the last few thousand wait for the next run


def test_an_instance_on_sqlite_never_loads_the_postgresql_dialects(tmp_path: Path) -> None:
    # `sqlalchemy.dialects.postgresql` brings every PostgreSQL driver's dialect (~4 MB here); the
    # upserts an update makes on SQLite must not pull it in. A fresh interpreter, as above.
    code = f"""
import asyncio, json, sys
import bot.cli, bot.runner, bot.webhook, flows.errors
from storage.database import create_engine, session_factory
from storage.migrate import upgrade_in_child
from storage.updates import claim_update

async def main():
    url = "sqlite+aiosqlite:///{tmp_path / 'lean.db'}"
    engine = create_engine(url)
    await upgrade_in_child(url)  # as the serving process does: Alembic loads every dialect
    async with session_factory(engine)() as session:
        claimed = [await claim_update(session, 7), await claim_update(session, 7)]
        await session.commit()
    await engine.dispose()
    return claimed

claimed = asyncio.run(main())
print(json.dumps([claimed, sorted(m for m in sys.modules if m.startswith("sqlalchemy.dialects.postgresql"))]))
"""
    claimed, loaded = json.loads(subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                                                text=True, check=True).stdout.splitlines()[-1])
    assert claimed == [True, False]  # the upsert really ran
    assert loaded == []


async def test_sqlite_keeps_few_connections_after_a_burst_and_opens_more_for_one(tmp_path: Path) -> None:
    # Each SQLite connection holds ~0.2 MB of its own; a burst of deliveries may need up to 40 at once.
    from sqlalchemy import text

    from storage.database import POOL_SIZE, SQLITE_POOL_KEPT, create_engine, session_factory

    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'pool.db'}")
    sessions = session_factory(engine)
    try:
        opened = [sessions() for _ in range(POOL_SIZE)]
        for session in opened:
            assert (await session.execute(text("SELECT 1"))).scalar_one() == 1
        assert engine.pool.checkedout() == POOL_SIZE  # type: ignore[attr-defined]
        for session in opened:
            await session.close()
        assert engine.pool.checkedin() == SQLITE_POOL_KEPT  # type: ignore[attr-defined]
    finally:
        await engine.dispose()
