"""The canary suite's parts: the people and words sent, every form they could be stored in, and
readers for every store (files, PostgreSQL tables, a Redis server started for the test)."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import text

from storage.database import create_engine
from tests.e2e.client import Person
from tests.e2e.handoff_steps import COUNSELLOR

# Two people: one whose conversation is closed and later purged, one who uses /forget.
PERSON = Person(
    id=5_123_456_789,
    first_name="Zsofia",
    last_name="Kowalczyk",
    username="zsofi_secret_99",
    language_code="en",
)
FORGETTER = Person(
    id=6_987_654_321,
    first_name="Quirinella",
    last_name="Vandermaelen",
    username="quiri_hidden_42",
    language_code="en",
)
# The playground's counsellor id (its group knows no other), with a name of its own.
COLLEAGUE = dataclasses.replace(COUNSELLOR, first_name="Oswaldina")
PHONE_SPACED = "0478 12 34 56"
PHONE_DIGITS = "0478123456"

# Words that must never be kept: relayed both ways, edited, in captions, declined, after a conversation.
WORDS = {
    "relayed in": "purple elephant umbrella near the station",
    "relayed out": "meet aubergine by the blue bakery tomorrow",
    "edited in": "corrected giraffe lantern at noon",
    "edited out": "rewritten porcupine harbour thursday",
    "caption": "saffron windmill caption words",
    "declined question": "marmalade tractor pinecone velvet",
    "after close": "xylophone quarry written after closing",
    "forgetter's words": "cinnamon glacier whispering softly",
    "under faults": "tangerine lighthouse despite the failures",
}


def needles() -> dict[str, tuple[bytes, bool]]:
    """What to look for: (bytes, matched in any case)."""
    found: dict[str, tuple[bytes, bool]] = {}
    for who, person in (("person", PERSON), ("forgetter", FORGETTER), ("counsellor", COLLEAGUE)):
        pid = person.id
        found[f"{who}'s id in decimal"] = (str(pid).encode(), False)
        if pid > 16**8:  # a short id's hex turns up by chance in any long hex string
            found[f"{who}'s id in hex"] = (f"{pid:x}".encode(), True)
        for size in (6, 8):
            for order in ("big", "little"):
                found[f"{who}'s id as {size}-byte {order}-endian"] = (pid.to_bytes(size, order), False)  # type: ignore[arg-type]
        found[f"{who}'s first name"] = (person.first_name.encode(), True)
        if person.last_name:
            found[f"{who}'s last name"] = (person.last_name.encode(), True)
        if person.username:
            found[f"{who}'s username"] = (person.username.encode(), True)
    found["phone number, spaced"] = (PHONE_SPACED.encode(), False)
    found["phone number, digits"] = (PHONE_DIGITS.encode(), False)
    for what, words in WORDS.items():
        found[f"{what}: the words"] = (words.encode(), True)
        found[f"{what}: a word"] = (max(words.split(), key=len).encode(), True)
    return found


def scan(blobs: dict[str, bytes]) -> list[str]:
    hits = []
    wanted = needles()
    for where, blob in blobs.items():
        lowered = blob.lower()
        for what, (needle, any_case) in wanted.items():
            if (needle.lower() in lowered) if any_case else (needle in blob):
                hits.append(f"{what} found in {where}")
    return hits


def files_under(root: Path, *, skip: str = "standin") -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and skip not in p.relative_to(root).parts
    }


async def postgres_dump(url: str) -> dict[str, bytes]:
    """Every row of every table, as text and with its binary values as they are."""
    engine = create_engine(url)
    dump: dict[str, bytes] = {}
    try:
        async with engine.connect() as conn:
            tables = (
                (
                    await conn.execute(
                        text("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
                    )
                )
                .scalars()
                .all()
            )
            assert tables, "the database has tables"
            for table in tables:
                rows = (await conn.execute(text(f'SELECT * FROM "{table}"'))).all()
                parts = []
                for row in rows:
                    for value in row:
                        parts.append(
                            bytes(value) if isinstance(value, bytes | memoryview) else str(value).encode()
                        )
                dump[f"postgres table {table}"] = b"\x00".join(parts)
    finally:
        await engine.dispose()
    return dump


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def redis_server(directory: Path) -> Iterator[str]:
    """A redis-server of the test's own, persisting to `directory` (append log on, RDB on SAVE): the
    machine's Redis and its files are never touched. Yields its URL."""
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(directory),
            "--appendonly",
            "yes",
            "--appendfsync",
            "always",
            "--save",
            "1 1",
            "--dbfilename",
            "dump.rdb",
            "--rdbcompression",
            "no",  # an LZF-compressed value could hide a marker from the scan
            "--logfile",
            str(directory / "redis.log"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
                break
            assert time.monotonic() < deadline, "redis-server started"
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


async def _value(redis: Any, key: bytes) -> bytes:
    kind = (await redis.type(key)).decode()
    if kind == "string":
        return await redis.get(key) or b""
    if kind == "hash":
        return b"\x00".join(k + b"=" + v for k, v in (await redis.hgetall(key)).items())
    if kind == "list":
        return b"\x00".join(await redis.lrange(key, 0, -1))
    if kind == "set":
        return b"\x00".join(await redis.smembers(key))
    if kind == "zset":
        return b"\x00".join(await redis.zrange(key, 0, -1))
    return await redis.dump(key) or b""


async def redis_dump(url: str, directory: Path) -> dict[str, bytes]:
    """Every key and value, after writing the RDB file; then every file Redis wrote (AOF, RDB)."""
    from redis.asyncio import Redis

    redis = Redis.from_url(url)
    dump: dict[str, bytes] = {}
    try:
        await redis.save()
        async for key in redis.scan_iter(count=1000):
            dump[f"redis key {key!r}"] = key + b"\x00" + await _value(redis, key)
    finally:
        await redis.aclose()
    await asyncio.sleep(0.1)
    dump.update(_redis_files(directory))
    return dump


def _redis_files(directory: Path) -> dict[str, bytes]:
    return {
        f"redis file {p.name}": p.read_bytes()
        for p in directory.rglob("*")
        if p.is_file() and p.name != "redis.log"
    }
