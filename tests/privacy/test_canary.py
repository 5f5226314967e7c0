"""The privacy promise, tested as an attacker would: marker ids, names, usernames, a phone number and
words go through every path a person and a counsellor can take (questions, consent, /talk, relays of
media kinds, edits, /close, a message after it, /forget, the purge, Telegram's 429 and 5xx, a
database outage), then every store is read byte by byte: the SQLite files with -wal and -shm, every
PostgreSQL table, every Redis key and value and its append log and RDB file, the log at DEBUG,
stdout and stderr. Any marker, in any form (ids also in hex and as 6/8-byte big/little-endian), fails.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from bot.config import Settings
from bot.logging_setup import setup_logging
from handoff.purge import Retention, purge_once
from playground.runner import Playground
from tests.conftest import postgres_url_or_skip
from tests.e2e.client import Person, PlaygroundClient
from tests.e2e.handoff_steps import claim, group_id, open_topic, thread_messages
from tests.privacy.canary import (
    COLLEAGUE,
    FORGETTER,
    PERSON,
    PHONE_SPACED,
    WORDS,
    files_under,
    postgres_dump,
    redis_dump,
    redis_server,
    scan,
)

ALWAYS = {day: "00:00-24:00" for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
ASK = "May we keep your question"
# Kept with consent, scrubbed: the words may stay, the number and the name may not.
CONSENTED = (
    f"kumquat walrus ocarina, I am {FORGETTER.first_name}, call {PHONE_SPACED} or insta: {PERSON.username}"
)
# Filled by the PostgreSQL + Redis run, read by the Redis check (its own test, see below).
REDIS_BLOBS: dict[str, bytes] = {}


async def _until(client: PlaygroundClient, chat: int, found: Any) -> Any:
    return await client.wait_for(chat, found, seconds=15)


async def _asked(client: PlaygroundClient, person: Person, text: str) -> dict[str, Any]:
    before = len(await client.messages(person.id))
    await client.send(person, text)
    return await _until(
        client, person.id, lambda ms: next((m for m in ms[before:] if ASK in m["text"]), None)
    )


async def _drive(client: PlaygroundClient, playground: Playground, outage: Any = None) -> None:
    gid = await group_id(client)
    person = PERSON
    await client.reply_to(person, "/start")
    await client.reply_to(person, "what is prep")
    ask = await _asked(client, person, f"{WORDS['declined question']}, I am {PERSON.first_name}")
    await client.press(person, ask, "No")
    ask = await _asked(client, person, CONSENTED)
    await client.press(person, ask, "Yes")
    await _until(client, person.id, lambda ms: any("is kept" in a["text"] for a in client.last_alerts))

    # Telegram failing: a 429 and 5xx on the way out, then through a conversation.
    await client.api(
        "POST", "/api/faults", {"method": "sendMessage", "code": 429, "count": 1, "retry_after": 1}
    )
    await client.reply_to(person, "what is pep")
    topic = await open_topic(client, person)
    thread = topic["thread_id"]
    await claim(client, thread, COLLEAGUE)
    await client.api("POST", "/api/faults", {"method": "copyMessage", "code": 502, "count": 2})
    await client.send(person, WORDS["under faults"])
    await _until(client, gid, lambda ms: any(m["text"] == WORDS["under faults"] for m in ms))

    # Relays both ways, media kinds with captions, what asks first, what is never passed on, edits.
    sent = await client.send(person, WORDS["relayed in"])
    await _until(client, gid, lambda ms: any(m["text"] == WORDS["relayed in"] for m in ms))
    await client.api(
        "POST",
        "/api/edit",
        {"from": person.as_from(), "chat": person.id, "message_id": sent, "text": WORDS["edited in"]},
    )
    await _until(client, gid, lambda ms: any(m["text"] == WORDS["edited in"] for m in ms))
    for kind in ("photo", "video", "audio", "animation", "voice"):
        await client.send(person, None, media={"type": kind}, caption=f"{WORDS['caption']} {kind}")
    await client.send(person, None, media={"type": "video_note"})
    await client.send(person, None, media={"type": "sticker"})
    await client.send(person, None, media={"type": "document"}, caption=WORDS["caption"])
    file_ask = await _until(
        client, person.id, lambda ms: next((m for m in ms if "A file can show" in m["text"]), None)
    )
    await client.press(person, file_ask, "Send it")
    await client.send(person, None, location={"latitude": 50.8466, "longitude": 4.3528})
    place_ask = await _until(
        client, person.id, lambda ms: next((m for m in ms if "location or contact" in m["text"]), None)
    )
    await client.press(person, place_ask, "Send it")
    await _until(client, gid, lambda ms: len([m for m in thread_messages(ms, thread) if m["media"]]) >= 7)
    out = await client.send(COLLEAGUE, WORDS["relayed out"], chat=gid, thread_id=thread)
    await _until(client, person.id, lambda ms: any(m["text"] == WORDS["relayed out"] for m in ms))
    await client.api(
        "POST",
        "/api/edit",
        {"from": COLLEAGUE.as_from(), "chat": gid, "message_id": out, "text": WORDS["edited out"]},
    )
    await _until(client, person.id, lambda ms: any(m["text"] == WORDS["edited out"] for m in ms))

    # The counsellor closes; what the person writes next is no question for the editors.
    await client.send(COLLEAGUE, "/close", chat=gid, thread_id=thread)
    await _until(client, person.id, lambda ms: any("closed the conversation" in m["text"] for m in ms))
    await client.reply_to(person, WORDS["after close"])

    # The database down while someone writes (PostgreSQL through a proxy that can be cut).
    if outage is not None:
        await outage.cut()
        await client.reply_to(
            person, f"{WORDS['declined question']} {PERSON.last_name}", containing="went wrong"
        )
        await outage.restore()
        await client.reply_to(person, "what is pep", containing="72")

    # Someone else talks, then uses /forget.
    forgetter = FORGETTER
    await client.reply_to(forgetter, "/start")
    forgotten = await open_topic(client, forgetter)
    await claim(client, forgotten["thread_id"], COLLEAGUE)
    await client.send(forgetter, WORDS["forgetter's words"])
    await _until(client, gid, lambda ms: any(m["text"] == WORDS["forgetter's words"] for m in ms))
    await client.reply_to(forgetter, "/forget", containing="deleted")


async def _purge(playground: Playground) -> None:
    """The purge, a year on: the closed conversation, silent people, kept questions."""
    assert playground.parts is not None
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=400)
    await purge_once(
        playground.parts.sessions, now=later, retention=Retention(), engine=playground.parts.engine
    )


Stores = Callable[[], Awaitable[dict[str, bytes]]]


async def _run(
    settings: Settings, data: Path, capsys: pytest.CaptureFixture[str], stores: Stores, outage: Any = None
) -> dict[str, bytes]:
    """Drive everything, reading the stores before the purge and after; with the log, stdout and
    stderr, all that was read."""
    log_buffer = io.StringIO()
    setup_logging("DEBUG", stream=log_buffer)
    read: dict[str, bytes] = {}
    try:
        pg = Playground(settings.model_copy(update={"opening_hours": ALWAYS}), data, port=0)
        await pg.start()
        try:
            async with PlaygroundClient(pg.url) as client:
                await _drive(client, pg, outage)
                read.update({f"before the purge: {k}": v for k, v in (await stores()).items()})
                await _purge(pg)
            # The scan must be able to find them: the stand-in, playing Telegram, holds them.
            assert scan(files_under(data / "standin", skip="-")), (
                "the scan finds the markers where Telegram has them"
            )
        finally:
            await pg.stop()
    finally:
        logging.getLogger().handlers.clear()
    read.update({f"after the purge: {k}": v for k, v in (await stores()).items()})
    captured = capsys.readouterr()
    assert log_buffer.getvalue(), "the bot logged"
    return {
        **read,
        "log": log_buffer.getvalue().encode(),
        "stdout": captured.out.encode(),
        "stderr": captured.err.encode(),
    }


async def test_canary_on_sqlite(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "pg"

    async def stores() -> dict[str, bytes]:
        return files_under(data)

    read = await _run(settings, data, capsys, stores)
    assert any("vraagbaak.db-wal" in name for name in read), "the database and its log were read"
    assert scan(read) == []


@pytest.mark.postgres
async def test_canary_on_postgresql_and_redis(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.production.tcp_proxy import TcpProxy
    from tests.production.test_faults import fresh_postgres, through

    url = postgres_url_or_skip()
    await fresh_postgres(url)
    parts = urlsplit(url)
    proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    await proxy.start()
    redis_dir = tmp_path / "redis"
    data = tmp_path / "pg"
    try:
        with redis_server(redis_dir) as redis_url:
            settings = settings.model_copy(
                update={"database_url": through(url, proxy), "redis_url": redis_url}
            )

            async def stores() -> dict[str, bytes]:
                return {**files_under(data), **await postgres_dump(url)}

            read = await _run(settings, data, capsys, stores, outage=proxy)
            REDIS_BLOBS.update(await redis_dump(redis_url, redis_dir))
    finally:
        await proxy.cut()
    assert REDIS_BLOBS, "Redis was used and read"
    assert any("postgres table unanswered_questions" in name for name in read)
    assert scan(read) == []


@pytest.mark.postgres
async def test_canary_redis_holds_nothing_identifying() -> None:
    """Every Redis key and value, its append log and its RDB file, from the run above: the per-chat
    lock keys name a chat by a keyed hash (bot/redis_keys.py), never by its ids."""
    if not REDIS_BLOBS:
        pytest.skip("needs the PostgreSQL + Redis run above")
    assert scan(REDIS_BLOBS) == []
