"""Webhook delivery as Telegram does it: POSTed updates, the secret header, retries with backoff,
per-chat order, max_connections, and a webhook that survives a restart of the stand-in."""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter

import pytest
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import Update
from aiohttp.test_utils import TestClient, TestServer

from tests.playground.test_standin_messages import KEYBOARD

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def _user(n: int) -> dict:
    return {"id": 100100 + n, "first_name": f"User{n}"}


def _message(n: int, text: str) -> dict:
    return {"chat": _user(n)["id"], "from": _user(n), "text": text}


async def _send_many(api, items: list[dict]) -> list[int]:
    response = await api.post("/api/send_many", json={"items": items})
    body = await response.json()
    assert response.status == 200, body
    return body["message_ids"]


async def test_updates_are_posted_with_the_secret_header(api, bot, ids, send, receiver, eventually):
    hook = await receiver()
    assert await bot.set_webhook(hook.url, secret_token="s3cret_-token")
    await send(text="hallo")
    await send(text="nog iets")
    await eventually(lambda: len(hook.acked) == 2, what="two deliveries")
    first = hook.requests[0]
    assert first["headers"][SECRET_HEADER] == "s3cret_-token"
    assert first["headers"]["Content-Type"].startswith("application/json")
    update = Update.model_validate(first["update"], context={"bot": bot})
    assert (update.message.text, update.message.chat.id) == ("hallo", ids.user["id"])
    info = await bot.get_webhook_info()
    assert (info.url, info.pending_update_count, info.last_error_message) == (hook.url, 0, None)
    stats = await (await api.get("/api/stats")).json()
    assert (stats["updates_delivered"], stats["pending"]) == (2, 0)


async def test_no_secret_no_header(bot, send, receiver, eventually):
    hook = await receiver()
    await bot.set_webhook(hook.url)
    await send(text="hoi")
    await eventually(lambda: hook.acked, what="a delivery")
    assert SECRET_HEADER not in hook.requests[0]["headers"]


async def test_plain_http_only_for_local_instances_and_secret_is_checked(bot):
    for url in ("http://localhost:8443/hook", "http://127.0.0.1:9/hook", "http://[::1]:9/hook"):
        assert await bot.set_webhook(url)
    for url in ("http://example.org/hook", "ftp://127.0.0.1/hook", "https:///nohost"):
        with pytest.raises(TelegramBadRequest, match="HTTPS URL must be provided"):
            await bot.set_webhook(url)
    with pytest.raises(TelegramBadRequest, match="secret token contains unallowed characters"):
        await bot.set_webhook("https://example.org/hook", secret_token="no spaces please")
    assert (await bot.get_webhook_info()).url == "http://[::1]:9/hook"  # refused calls changed nothing


async def test_500_is_retried_and_nothing_is_lost_or_doubled(api, bot, receiver, eventually):
    hook = await receiver()
    hook.script.extend([500, 500, 500])
    await bot.set_webhook(hook.url)
    sent = await _send_many(api, [_message(n, f"{n}-{i}") for i in range(2) for n in range(3)])
    await eventually(lambda: len(hook.acked) == 6, what="all six acknowledged")
    assert sorted(hook.acked) == sorted(set(hook.acked)), "an update was acknowledged twice"
    assert len(hook.requests) == 9  # three failed attempts were redelivered once each
    assert len(sent) == 6
    info = await bot.get_webhook_info()
    assert info.pending_update_count == 0
    assert info.last_error_message == "Wrong response from the webhook: 500 Internal Server Error"
    assert info.last_error_date is not None
    for n in range(3):
        assert hook.texts(_user(n)["id"]) == [f"{n}-0", f"{n}-1"]
    stats = await (await api.get("/api/stats")).json()
    assert (stats["updates_delivered"], stats["webhook_failures"]) == (6, 3)


async def test_refused_connection_is_recorded_and_retried_until_someone_listens(
    api, bot, send, receiver, free_url, eventually
):
    await bot.set_webhook(free_url())
    await send(text="is daar iemand?")

    async def refused():
        info = await bot.get_webhook_info()
        return info.last_error_message == "Connection refused" and info.pending_update_count == 1

    await eventually(refused, what="the refused connection in getWebhookInfo")
    hook = await receiver()
    await bot.set_webhook(hook.url)
    await eventually(lambda: hook.texts() == ["is daar iemand?"], what="delivery to the new URL")


async def test_one_chat_in_order_different_chats_in_parallel(api, bot, receiver, eventually):
    hook = await receiver()
    hook.delay = 0.05
    await bot.set_webhook(hook.url)
    await _send_many(api, [_message(n, f"{n}-{i}") for i in range(4) for n in range(3)])
    await eventually(lambda: len(hook.acked) == 12, what="twelve deliveries")
    for n in range(3):
        chat = _user(n)["id"]
        assert hook.texts(chat) == [f"{n}-{i}" for i in range(4)]
        mine = sorted(
            (r for r in hook.requests if r["update"]["message"]["chat"]["id"] == chat),
            key=lambda r: r["started"],
        )
        for before, after in itertools.pairwise(mine):
            assert after["started"] >= before["ended"], "a chat's next update started before the ack"
    assert hook.most_active > 1, "different chats should be delivered in parallel"


async def test_max_connections_caps_deliveries_in_flight(api, bot, receiver, eventually):
    hook = await receiver()
    hook.delay = 0.05
    await bot.set_webhook(hook.url, max_connections=2)
    await _send_many(api, [_message(n, "hoi") for n in range(8)])
    await eventually(lambda: len(hook.acked) == 8, what="eight deliveries")
    assert hook.most_active == 2
    assert (await bot.get_webhook_info()).max_connections == 2


async def test_delete_webhook_stops_delivery_and_keeps_what_is_pending(api, bot, send, receiver, eventually):
    hook = await receiver()
    hook.script.extend([503] * 1000)
    await bot.set_webhook(hook.url)
    await send(text="een")
    await send(text="twee")
    await eventually(lambda: hook.requests, what="a first attempt")
    await bot.delete_webhook()
    polled = await eventually(lambda: bot.get_updates(timeout=1), what="the updates by getUpdates")
    assert [u.message.text for u in polled] == ["een", "twee"]
    attempts = len(hook.requests)
    await bot.get_updates(timeout=1)
    assert len(hook.requests) == attempts, "no delivery after deleteWebhook"


async def test_getupdates_and_webhook_never_hand_out_the_same_update(api, bot, send, receiver, eventually):
    hook = await receiver()
    hook.hold.clear()  # the bot takes its time: the update stays in flight
    await bot.set_webhook(hook.url)
    await send(text="in behandeling")
    await eventually(lambda: hook.requests, what="the delivery to start")
    await bot.delete_webhook()
    assert await bot.get_updates() == []  # in flight by webhook: not for the poller
    hook.hold.set()
    await eventually(lambda: hook.acked, what="the acknowledgement")
    assert await bot.get_updates() == []  # acknowledged: gone

    # The other way round: what a poller got is not delivered by a webhook set afterwards.
    await send(text="al opgehaald")
    assert [u.message.text for u in await bot.get_updates()] == ["al opgehaald"]
    await bot.set_webhook(hook.url)
    assert (await bot.get_webhook_info()).pending_update_count == 0
    await send(text="nieuw")
    await eventually(lambda: hook.texts() == ["in behandeling", "nieuw"], what="only the new update")


async def test_drop_pending_updates_on_delete(api, bot, send, free_url, eventually):
    await bot.set_webhook(free_url())
    await send(text="weg")
    await bot.delete_webhook(drop_pending_updates=True)
    await eventually(lambda: _in_flight_zero(api), what="nothing in flight")
    assert await bot.get_updates() == []


async def _in_flight_zero(api) -> bool:
    return (await (await api.get("/api/stats")).json())["in_flight"] == 0


async def test_restart_resumes_delivery_and_never_repeats_what_was_acknowledged(
    api, bot, ids, send, receiver, state_dir, new_app, eventually
):
    hook = await receiver()
    await bot.set_webhook(hook.url, secret_token="blijft")
    await send(text="een")
    await eventually(lambda: hook.acked, what="the first delivery")
    hook.script.extend([503] * 1000)
    await send(text="twee")
    await eventually(lambda: len(hook.requests) >= 2, what="a failed attempt")
    await api.close()

    hook.script.clear()
    again = TestClient(TestServer(new_app(state_dir), host="127.0.0.1"))
    await again.start_server()
    try:
        await eventually(lambda: hook.texts() == ["een", "twee"], what="delivery after the restart")
        delivered = Counter(r["update"]["message"]["text"] for r in hook.requests if r["status"] == 200)
        assert delivered == {"een": 1, "twee": 1}
        assert all(r["headers"][SECRET_HEADER] == "blijft" for r in hook.requests)
        info = await (await again.post(f"/bot{ids.token}/getWebhookInfo")).json()
        assert (info["result"]["url"], info["result"]["pending_update_count"]) == (hook.url, 0)
    finally:
        await again.close()


async def test_a_failed_late_delivery_goes_back_to_a_waiting_poller(api, bot, send, receiver, eventually):
    hook = await receiver()
    hook.hold.clear()
    hook.script.append(500)
    await bot.set_webhook(hook.url)
    await send(text="terug")
    await eventually(lambda: hook.requests, what="the delivery to start")
    await bot.delete_webhook()
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    await asyncio.sleep(0.1)
    assert not poll.done()  # in flight: not for the poller
    hook.hold.set()  # the webhook answers 500: the update is the poller's now
    updates = await asyncio.wait_for(poll, timeout=5)
    assert [u.message.text for u in updates] == ["terug"]


async def test_a_method_in_the_webhook_answer_is_run_as_telegram_runs_it(api, bot, ids, send, view, receiver,
                                                                          eventually):
    await send(text="hoi")
    sent = await bot.send_message(ids.user["id"], "kies", reply_markup=KEYBOARD)
    hook = await receiver()
    # Answer each press in the webhook's answer; the second press's answer is one Telegram refuses.
    answers = iter([{"text": "Even kijken", "show_alert": True}, {"text": "x" * 201}])
    hook.reply = lambda update: (
        {"method": "answerCallbackQuery", "callback_query_id": update["callback_query"]["id"], **next(answers)}
        if "callback_query" in update else None)
    await bot.set_webhook(hook.url)
    for _ in range(2):
        await api.post("/api/press", json={"chat": ids.user["id"], "from": ids.user, "message_id": sent.message_id,
                                           "data": "topic:health"})
    await send(text="daarna")
    await eventually(lambda: len(hook.acked) == 4, what="four deliveries")
    # The first press was answered (once: answering it again is refused); the refused one changed
    # nothing and went unnoticed by the bot, which was acknowledged all the same.
    assert (await view())["alerts"] == [{"text": "Even kijken", "show_alert": True}]
    first_press = next(r["update"]["callback_query"]["id"] for r in hook.requests if "callback_query" in r["update"])
    with pytest.raises(TelegramBadRequest, match="query ID is invalid"):
        await bot.answer_callback_query(first_press)
    stats = await (await api.get("/api/stats")).json()
    assert stats["calls_in_webhook_answers"] == 2 and stats["pending"] == 0
    # No method, an unknown method, not an object: ignored, and the update acknowledged all the same.
    for body in ({"no": "method"}, {"method": "noSuchMethod"}, ["answerCallbackQuery"]):
        hook.reply = lambda update, body=body: body
        await send(text="meer")
    await eventually(lambda: len(hook.acked) == 7, what="seven deliveries")
    stats = await (await api.get("/api/stats")).json()
    assert stats["calls_in_webhook_answers"] == 2 and stats["pending"] == 0


async def test_stats_give_each_updates_time_from_made_to_acknowledged(api, bot, send, receiver, eventually):
    """The benchmarks read delivery times here, the same measure for any bot behind the stand-in."""
    hook = await receiver()
    hook.delay = 0.2
    assert await bot.set_webhook(hook.url)
    assert (await api.delete("/api/stats")).status == 200
    for text in ("een", "twee", "drie"):  # one chat: delivered one after the other, 0.2 s each
        await send(text=text)
    await eventually(lambda: len(hook.acked) == 3, seconds=5, what="three deliveries")
    stats = await (await api.get("/api/stats")).json()
    assert stats["delivery_samples"] == 3
    assert 380 <= stats["delivery_p50_ms"] < stats["delivery_p99_ms"]
    assert 580 <= stats["delivery_p99_ms"] < 3000
    assert (await api.delete("/api/stats")).status == 200
    assert (await (await api.get("/api/stats")).json())["delivery_samples"] == 0
