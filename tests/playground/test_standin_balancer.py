"""The load balancer in front of several bot instances: round-robin, and failover when one dies."""

from __future__ import annotations

from collections import Counter

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def _messages(first: int, count: int) -> list[dict]:
    """One message from each of `count` users, so each is in a chat (lane) of its own."""
    return [
        {"chat": 200200 + n, "from": {"id": 200200 + n, "first_name": f"U{n}"}, "text": f"m{n}"}
        for n in range(first, first + count)
    ]


async def _send_many(api, items: list[dict]) -> None:
    response = await api.post("/api/send_many", json={"items": items})
    assert response.status == 200, await response.json()


async def _targets(api) -> dict:
    response = await api.get("/api/webhook_targets")
    assert response.status == 200
    return await response.json()


async def test_deliveries_go_round_robin_over_the_targets(api, bot, receiver, eventually):
    webhook, first, second = await receiver(), await receiver(), await receiver()
    await bot.set_webhook(webhook.url, secret_token="gedeeld")
    response = await api.post("/api/webhook_targets", json={"urls": [first.url, second.url]})
    assert response.status == 200
    await _send_many(api, _messages(0, 4))
    await eventually(lambda: len(first.acked) + len(second.acked) == 4, what="four deliveries")
    assert (len(first.acked), len(second.acked), len(webhook.requests)) == (2, 2, 0)
    assert all(r["headers"][SECRET_HEADER] == "gedeeld" for r in first.requests + second.requests)
    listed = await _targets(api)
    assert listed["urls"] == [first.url, second.url]
    assert [(t["url"], t["delivered"], t["failed"], t["up"]) for t in listed["targets"]] == [
        (first.url, 2, 0, True),
        (second.url, 2, 0, True),
    ]

    assert (await api.delete("/api/webhook_targets")).status == 200
    assert await _targets(api) == {"urls": [], "targets": []}
    await _send_many(api, _messages(10, 1))
    await eventually(lambda: webhook.acked, what="delivery to the webhook URL again")


async def test_when_one_instance_dies_the_other_carries_on(api, bot, receiver, free_url, eventually):
    alive = await receiver()
    dead = free_url()
    await bot.set_webhook(alive.url)
    await api.post("/api/webhook_targets", json={"urls": [dead, alive.url]})
    await _send_many(api, _messages(0, 6))
    await eventually(lambda: len(alive.acked) == 6, seconds=5, what="all six at the living instance")
    assert Counter(alive.acked).most_common(1)[0][1] == 1, "nothing delivered twice"
    listed = {t["url"]: t for t in (await _targets(api))["targets"]}
    assert listed[dead]["failed"] >= 1 and listed[dead]["delivered"] == 0
    assert listed[dead]["last_error"] == "Connection refused"
    assert listed[alive.url]["delivered"] == 6
    assert (await (await api.get("/api/stats")).json())["pending"] == 0


async def test_a_target_answering_5xx_is_skipped_for_the_next(api, bot, receiver, eventually):
    broken, healthy = await receiver(), await receiver()
    broken.script.extend([502] * 1000)
    await bot.set_webhook(healthy.url)
    await api.post("/api/webhook_targets", json={"urls": [broken.url, healthy.url]})
    await _send_many(api, _messages(0, 5))
    await eventually(lambda: len(healthy.acked) == 5, seconds=5, what="all five at the healthy instance")
    assert broken.acked == []
    # Marked down after its first 502, the broken one gets (far) fewer attempts than there are updates.
    assert 1 <= len(broken.requests) < 5
    info = await bot.get_webhook_info()
    assert info.last_error_message == "Wrong response from the webhook: 502 Bad Gateway"


async def test_a_stopped_instance_is_failed_over_mid_run(api, bot, receiver, eventually):
    first, second = await receiver(), await receiver()
    await bot.set_webhook(first.url)
    await api.post("/api/webhook_targets", json={"urls": [first.url, second.url]})
    await _send_many(api, _messages(0, 4))
    await eventually(lambda: len(first.acked) + len(second.acked) == 4, what="the first four")
    await second.close()  # the instance dies
    await _send_many(api, _messages(4, 6))
    await eventually(lambda: len(first.acked) == 8, seconds=5, what="the rest at the surviving instance")
    assert len(set(first.acked) | set(second.acked)) == 10


async def test_targets_input_is_checked(api):
    for body in ({}, {"urls": []}, {"urls": ["ftp://x"]}, {"urls": "http://x"}):
        response = await api.post("/api/webhook_targets", json=body)
        assert response.status == 400 and "error" in await response.json()
