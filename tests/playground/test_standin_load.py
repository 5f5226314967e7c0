"""Load tools: many updates at once, counters to wait on, intermittent faults, bounded memory, and a
state file that is written throttled instead of on every call."""

from __future__ import annotations

import json
import time

import pytest
from aiogram.exceptions import TelegramRetryAfter, TelegramServerError
from aiohttp.test_utils import TestClient, TestServer

from playground.standin import STANDIN_KEY
from playground.standin.persist import SAVE_INTERVAL


async def _stats(api) -> dict:
    return await (await api.get("/api/stats")).json()


async def test_send_many_queues_sends_and_presses_and_stats_count_them(api, bot, ids, send):
    await send(text="hoi")
    menu = await bot.send_message(ids.user["id"], "kies", reply_markup=_keyboard())
    await bot.get_updates(offset=(await bot.get_updates())[-1].update_id + 1)  # "hoi" acknowledged
    other = {"id": 100777, "first_name": "Alex"}
    response = await api.post(
        "/api/send_many",
        json={
            "items": [
                {"chat": ids.user["id"], "from": ids.user, "text": "een"},
                {"chat": other["id"], "from": other, "text": "twee"},
                {
                    "press": {
                        "chat": ids.user["id"],
                        "from": ids.user,
                        "message_id": menu.message_id,
                        "data": "a",
                    }
                },
                {"chat": ids.user["id"], "from": ids.user, "text": "drie", "reply_to": 2},
            ]
        },
    )
    body = await response.json()
    assert response.status == 200, body
    assert body["message_ids"] == [3, 1, None, 4]
    assert [c is None for c in body["callback_query_ids"]] == [True, True, False, True]
    updates = await bot.get_updates()
    assert [u.message.text if u.message else u.callback_query.data for u in updates] == [
        "een",
        "twee",
        "a",
        "drie",
    ]
    assert updates[2].callback_query.id == body["callback_query_ids"][2]
    stats = await _stats(api)
    assert {k: stats[k] for k in ("updates_queued", "updates_delivered", "pending", "bot_messages_sent")} == {
        "updates_queued": 5,
        "updates_delivered": 1,
        "pending": 4,
        "bot_messages_sent": 1,
    }
    assert stats["calls_by_method"] == {"sendMessage": 1, "getUpdates": 3}
    assert stats["calls_total"] == 4


def _keyboard():
    from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="A", callback_data="a")]])


async def test_bot_messages_sent_counts_sends_copies_and_edits_but_not_failures(api, bot, ids, send):
    asked = await send(text="vraag")
    sent = await bot.send_message(ids.user["id"], "antwoord")
    await bot.edit_message_text("beter antwoord", chat_id=ids.user["id"], message_id=sent.message_id)
    await bot.copy_messages(ids.counsellor_chat, ids.user["id"], [asked, sent.message_id])
    await bot.send_chat_action(ids.user["id"], "typing")
    await api.post("/api/faults", json={"method": "sendMessage", "code": 500})
    with pytest.raises(TelegramServerError):
        await bot.send_message(ids.user["id"], "mislukt")
    stats = await _stats(api)
    assert stats["bot_messages_sent"] == 4
    assert stats["calls_by_method"]["sendMessage"] == 2
    assert (await api.delete("/api/stats")).status == 200
    assert (await _stats(api))["calls_total"] == 0


async def test_send_many_stops_at_a_refused_item_and_says_which(api, ids):
    response = await api.post(
        "/api/send_many",
        json={
            "items": [
                {"chat": ids.user["id"], "from": ids.user, "text": "goed"},
                {"chat": 5, "from": ids.user, "text": "fout"},
                {"chat": ids.user["id"], "from": ids.user, "text": "niet meer"},
            ]
        },
    )
    body = await response.json()
    assert response.status == 400
    assert (body["index"], body["message_ids"]) == (1, [1])
    assert body["error"].startswith("item 1: ")
    assert (await _stats(api))["pending"] == 1
    for bad in ({}, {"items": []}, {"items": ["x"]}):
        assert (await api.post("/api/send_many", json=bad)).status == 400


async def test_every_nth_call_fails_until_cleared_and_429_carries_retry_after(api, bot, ids, send):
    await send(text="hoi")
    await api.post("/api/faults", json={"method": "sendMessage", "code": 429, "every": 3})
    statuses = []
    for _ in range(7):
        response = await api.post(
            f"/bot{ids.token}/sendMessage", json={"chat_id": ids.user["id"], "text": "x"}
        )
        statuses.append(response.status)
        if response.status == 429:
            assert (await response.json())["parameters"] == {"retry_after": 1}
    assert statuses == [200, 200, 429, 200, 200, 429, 200]
    assert (await bot.get_me()).is_bot  # other methods are not counted or hit
    await bot.send_message(ids.user["id"], "x")  # the 8th
    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(ids.user["id"], "x")  # the 9th
    assert caught.value.retry_after == 1
    await api.delete("/api/faults")
    for _ in range(4):
        await bot.send_message(ids.user["id"], "x")


async def test_every_with_count_stops_after_count_failures(api, ids, send):
    await send(text="hoi")
    await api.post(
        "/api/faults", json={"method": None, "code": 503, "every": 2, "count": 2, "retry_after": 5}
    )
    statuses = []
    for _ in range(8):
        statuses.append((await api.post(f"/bot{ids.token}/getMe")).status)
    assert statuses == [200, 503, 200, 503, 200, 200, 200, 200]
    bad = await api.post("/api/faults", json={"method": None, "code": 500, "every": 0})
    assert bad.status == 400


async def test_call_log_keeps_only_the_last_10000(api, bot):
    state = api.server.app[STANDIN_KEY]
    state.calls.extend({"method": "old", "status": 200} for _ in range(10_005))
    await bot.get_me()
    calls = (await (await api.get("/api/calls")).json())["calls"]
    assert len(calls) == 10_000 and calls[-1] == {"method": "getMe", "status": 200}


async def test_saves_are_throttled_and_flushed_on_cleanup(api, ids, send, state_dir, new_app):
    state = api.server.app[STANDIN_KEY]
    started = time.monotonic()
    for n in range(60):
        await send(text=f"bericht {n}")
    elapsed = time.monotonic() - started
    assert state.file_writes <= elapsed / SAVE_INTERVAL + 2, (state.file_writes, elapsed)
    await api.close()
    on_disk = json.loads((state_dir / "standin.json").read_text())
    assert on_disk["next_update_id"] == 61 and len(on_disk["updates"]) == 60

    again = TestClient(TestServer(new_app(state_dir), host="127.0.0.1"))
    await again.start_server()
    try:
        shown = await (await again.get(f"/api/chats/{ids.user['id']}")).json()
        assert shown["messages"][-1]["text"] == "bericht 59"
    finally:
        await again.close()


async def test_pending_save_is_flushed_when_the_process_exits(api, send, state_dir):
    from playground.standin import persist

    api.server.app[STANDIN_KEY]._file._interval = 60  # a slow machine must not make the test flaky
    await send(text="een")  # written at once: the first change after a quiet spell
    await send(text="twee")  # within the interval: waits
    assert json.loads((state_dir / "standin.json").read_text())["next_update_id"] == 2
    persist._flush_all_at_exit()  # what atexit runs
    assert json.loads((state_dir / "standin.json").read_text())["next_update_id"] == 3


async def test_updates_confirmed_by_getupdates_are_written_at_once_while_cheap(api, bot, send, state_dir):
    api.server.app[STANDIN_KEY]._file._interval = 60  # ordinary changes wait; confirmations do not
    await send(text="een")
    await send(text="twee")
    first = (await bot.get_updates())[0]
    await bot.get_updates(offset=first.update_id + 1)
    on_disk = json.loads((state_dir / "standin.json").read_text())
    assert [u["message"]["text"] for u in on_disk["updates"]] == ["twee"]
