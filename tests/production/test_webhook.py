"""The webhook: only Telegram (the secret) gets in; bad requests are refused without logging content."""

from __future__ import annotations

import asyncio
import json
import logging

import aiohttp
import pytest

from bot.runner import Instance
from bot.server import WEBHOOK_PATH
from bot.webhook import SECRET_HEADER
from tests.e2e.client import Person, PlaygroundClient


def update(text: str, update_id: int = 1) -> dict[str, object]:
    return {"update_id": update_id, "message": {"message_id": 1, "date": 1_795_000_000,
            "chat": {"id": 4242, "type": "private"}, "from": {"id": 4242, "is_bot": False, "first_name": "Ann"},
            "text": text}}


async def post(instance: Instance, body: bytes, headers: dict[str, str]) -> int:
    url = f"http://127.0.0.1:{instance.port}{WEBHOOK_PATH}"
    async with aiohttp.ClientSession() as http, http.post(url, data=body, headers=headers) as response:
        return response.status


async def test_updates_arrive_by_webhook_and_are_answered(instance: Instance, client: PlaygroundClient) -> None:
    reply = await client.reply_to(Person(id=700001), "what is prep")
    assert "PrEP" in reply["text"]


@pytest.mark.parametrize("secret", [None, "wrong-secret-wrong-secret", ""])
async def test_a_missing_or_wrong_secret_is_refused(instance: Instance, secret: str | None,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    headers = {"Content-Type": "application/json"} | ({SECRET_HEADER: secret} if secret is not None else {})
    with caplog.at_level(logging.INFO):
        status = await post(instance, json.dumps(update("secret words 9876")).encode(), headers)
    assert status == 401
    assert "secret words" not in caplog.text and "4242" not in caplog.text


async def test_oversized_and_malformed_bodies_are_refused_without_logging_content(
    instance: Instance, caplog: pytest.LogCaptureFixture
) -> None:
    assert instance.parts is not None
    headers = {SECRET_HEADER: instance.parts.webhook_secret(), "Content-Type": "application/json"}
    with caplog.at_level(logging.INFO):
        assert await post(instance, b'{"update_id": 1, "message": "' + b"x" * (2 << 20) + b'"}', headers) == 413
        assert await post(instance, b"{not json at all: private words}", headers) == 400
        assert await post(instance, json.dumps({"update_id": "abc", "message": 5}).encode(), headers) == 400
    assert "private words" not in caplog.text and "xxxx" not in caplog.text


async def test_a_body_that_arrives_in_pieces_is_read_whole(instance: Instance) -> None:
    """A proxy may stream the body: the first read returns only what has arrived so far."""
    assert instance.parts is not None
    body = json.dumps(update("what is prep " + "a" * 3000, update_id=77)).encode()
    reader, writer = await asyncio.open_connection("127.0.0.1", instance.port)
    head = (f"POST {WEBHOOK_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            f"{SECRET_HEADER}: {instance.parts.webhook_secret()}\r\nContent-Length: {len(body)}\r\n"
            "Connection: close\r\n\r\n").encode()
    try:
        writer.write(head + body[:1400])
        await writer.drain()
        await asyncio.sleep(0.05)
        writer.write(body[1400:])
        await writer.drain()
        status_line = await reader.readline()
    finally:
        writer.close()
    assert status_line.split()[1] == b"200", status_line


async def test_health_readiness_and_metrics(instance: Instance, client: PlaygroundClient) -> None:
    await client.reply_to(Person(id=700002), "what is prep")
    base = f"http://127.0.0.1:{instance.port}"
    async with aiohttp.ClientSession() as http:
        async with http.get(base + "/healthz") as r:
            assert r.status == 200
        async with http.get(base + "/readyz") as r:
            assert r.status == 200 and (await r.json()) == {"database": True, "redis": True}
        async with http.get(base + "/metrics") as r:
            assert r.status == 401, "not without the token"
        token = instance.settings.metrics_token
        assert token is not None
        async with http.get(base + "/metrics", headers={"Authorization": f"Bearer {token.get_secret_value()}"}) as r:
            text = await r.text()
    assert 'vraagbaak_updates_total{type="message"}' in text
    assert 'vraagbaak_answers_total{result="answered"}' in text
    assert "vraagbaak_handoffs_waiting" in text
    assert "700002" not in text


async def test_the_webhook_asks_for_the_configured_deliveries_in_flight(instance: Instance) -> None:
    assert instance.bot is not None
    info = await instance.bot.get_webhook_info()
    assert info.max_connections == instance.settings.webhook_max_connections == 40


async def test_each_press_by_webhook_is_answered_once(
    instance: Instance, client: PlaygroundClient
) -> None:
    person = Person(id=700003)
    menu = await client.reply_to(person, "/menu")
    await client.api("DELETE", "/api/stats")
    await client.press_data(person, menu["message_id"], "menu:health:")  # a category: edited in place
    await client.press_data(person, menu["message_id"], "forged:press")  # nobody's button: an alert
    await client.wait_for(person.id, lambda _: [a for a in client.last_alerts if "no longer valid" in a["text"]])
    stats = await client.api("GET", "/api/stats")
    assert stats["calls_by_method"]["answerCallbackQuery"] == 2
    assert stats["calls_by_method"]["editMessageText"] == 1
    edited = next(m for m in await client.messages(person.id) if m["message_id"] == menu["message_id"])
    assert "Health" in edited["text"] or "Gezondheid" in edited["text"]
