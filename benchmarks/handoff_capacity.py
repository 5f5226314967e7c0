"""How many conversations one counsellors' group carries under Telegram's limits.

The real bot against the stand-in with Telegram's flood limits on (about 20 messages a minute into a
group): N people each open a conversation, then write every 20 seconds for the run (3 minutes unless
VRAAGBAAK_BENCH_SECONDS says otherwise); halfway, someone in danger writes and asks for a counsellor.
Prints, per N, one `bench handoff_capacity:` line: relayed/sent, queued_at_end (still waiting for the
group's budget two minutes after the last message: the bot drops nothing, but a group takes only
about 20 messages a minute, so past about six chatty conversations the queue grows), the relay
delay p50/p90/max, how long the crisis reply and the crisis notice took,
and whether every person's messages arrived in the order written.
"""

from __future__ import annotations

import asyncio
import os
import random
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

from bot.config import Settings
from playground.runner import Playground

SIZES = (5, 10, 20, 40)
EVERY_SECONDS = 20.0
DRAIN_SECONDS = 120.0
ALWAYS_OPEN = {d: "00:00-24:00" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


class Stand:
    """The stand-in's JSON API, as people and the clock on the wall see it."""

    def __init__(self, http: aiohttp.ClientSession, url: str) -> None:
        self.http, self.url = http, url

    async def call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        async with self.http.request(method, self.url + path, json=body) as response:
            return await response.json()

    async def send(self, person: int, text: str) -> None:
        await self.call("POST", "/api/send", {"chat": person, "from": {"id": person, "first_name": "P",
                                                                       "language_code": "en"}, "text": text})

    async def messages(self, chat: int) -> list[dict[str, Any]]:
        return (await self.call("GET", f"/api/chats/{chat}"))["messages"]

    async def topics(self, chat: int) -> list[dict[str, Any]]:
        return (await self.call("GET", f"/api/chats/{chat}"))["topics"]


async def wait_until(check: Any, seconds: float) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := await check():
            return result
        await asyncio.sleep(0.25)
    return None


async def run_one(conversations: int, seconds: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(_env_file=None, data_dir=Path(tmp) / "data", opening_hours=ALWAYS_OPEN,  # type: ignore[call-arg]
                            secret_key="benchmark-secret-key-not-for-production", messages_per_minute=100,
                            telegram_limits=True)
        playground = Playground(settings, Path(tmp) / "pg", port=0, telegram_limits=True)
        await playground.start()
        try:
            async with aiohttp.ClientSession() as http:
                return await _drive(Stand(http, playground.url), conversations, seconds)
        finally:
            await playground.stop()


async def _drive(stand: Stand, conversations: int, seconds: float) -> dict[str, Any]:
    group = (await stand.call("GET", "/api/config"))["counsellor_chat_id"]
    people = [700_000 + n for n in range(conversations)]
    for person in people:
        await stand.send(person, "/talk")
    await wait_until(lambda: _at_least(stand, group, conversations), 60 + 4 * conversations)

    sent_at: dict[str, float] = {}
    seen_at: dict[str, float] = {}
    order: dict[int, list[str]] = {person: [] for person in people}
    crisis: dict[str, float] = {}
    start = time.monotonic()

    async def person_writes(person: int) -> None:
        await asyncio.sleep(random.uniform(0, EVERY_SECONDS))
        n = 0
        while time.monotonic() - start < seconds:
            text = f"m {person} {n}"
            sent_at[text] = time.monotonic()
            order[person].append(text)
            await stand.send(person, text)
            n += 1
            await asyncio.sleep(EVERY_SECONDS)

    async def danger_halfway() -> None:
        await asyncio.sleep(seconds / 2)
        person = 799_999
        before = len(await stand.topics(group))
        asked = time.monotonic()
        await stand.send(person, "he is beating me right now please help")
        reply = await wait_until(lambda: _bot_reply(stand, person), 60)
        crisis["reply"] = time.monotonic() - asked
        if reply is None:
            return
        pressed = time.monotonic()
        await stand.call("POST", "/api/press", {"chat": person, "from": {"id": person, "first_name": "D"},
                                                "message_id": reply["message_id"],
                                                "data": reply["buttons"][0][0]["data"]})
        if await wait_until(lambda: _notice_in_new_topic(stand, group, before), 300):
            crisis["notice"] = time.monotonic() - pressed

    async def watch() -> None:
        while time.monotonic() - start < seconds + DRAIN_SECONDS:
            now = time.monotonic()
            for message in await stand.messages(group):
                text = str(message.get("text") or "")
                if text.startswith("m ") and text not in seen_at:
                    seen_at[text] = now
            if time.monotonic() - start > seconds and len(seen_at) >= len(sent_at):
                return
            await asyncio.sleep(0.25)

    await asyncio.gather(*(person_writes(p) for p in people), danger_halfway(), watch())
    delays = sorted(seen_at[t] - sent_at[t] for t in seen_at if t in sent_at)
    arrived = [str(m.get("text")) for m in await stand.messages(group) if str(m.get("text") or "").startswith("m ")]
    kept = all([t for t in arrived if t.split()[1] == str(p)] == [t for t in order[p] if t in seen_at]
               for p in people)
    return {
        "conversations": conversations, "relayed": len(seen_at), "sent": len(sent_at),
        "queued_at_end": len(sent_at) - len(seen_at),
        "delay_p50_s": _q(delays, 0.5), "delay_p90_s": _q(delays, 0.9), "delay_max_s": _q(delays, 1.0),
        "crisis_reply_s": round(crisis.get("reply", -1), 1), "crisis_notice_s": round(crisis.get("notice", -1), 1),
        "order_kept": kept,
    }


def _q(values: list[float], q: float) -> float:
    if not values:
        return -1.0
    return round(values[min(len(values) - 1, int(q * len(values)))], 1) if q < 1 else round(values[-1], 1)


async def _at_least(stand: Stand, group: int, n: int) -> bool:
    return len(await stand.topics(group)) >= n


async def _bot_reply(stand: Stand, person: int) -> dict[str, Any] | None:
    return next((m for m in await stand.messages(person) if m["from_bot"] and m.get("buttons")), None)


async def _notice_in_new_topic(stand: Stand, group: int, before: int) -> bool:
    topics = await stand.topics(group)
    if len(topics) <= before:
        return False
    thread = topics[-1]["thread_id"]
    return any(m["thread_id"] == thread and m["from_bot"] and m.get("buttons") for m in await stand.messages(group))


def main() -> None:
    seconds = float(os.environ.get("VRAAGBAAK_BENCH_SECONDS", "180"))
    sizes = [int(n) for n in os.environ.get("VRAAGBAAK_BENCH_CONVERSATIONS", ",".join(map(str, SIZES))).split(",")]
    random.seed(20)
    for n in sizes:
        result = asyncio.run(run_one(n, seconds))
        print("bench handoff_capacity: " + " ".join(f"{k}={v}" for k, v in result.items()), flush=True)


if __name__ == "__main__":
    main()
