"""The JSON test API for load tests and benchmarks: many users' actions at once, counters, and the
load balancer that spreads webhook deliveries over several bot instances.

POST /api/send_many {"items": [<an /api/send body> | {"press": <an /api/press body>}, ...]}
    -> {"message_ids": [...], "callback_query_ids": [...]}, both aligned with the items (a send has
    its new message id and a null callback id, a press a null message id and its callback id).
    Items are taken in order, so a later item may reply to or press an earlier one. An item that
    is refused stops the batch: 400/404 {"error": "item N: ...", "index": N, "message_ids": [...],
    "callback_query_ids": [...]} -- the items before N stay queued.
GET /api/stats -> {"updates_queued", "updates_delivered", "updates_dropped", "webhook_failures",
    "calls_total", "calls_by_method", "calls_in_webhook_answers", "bot_messages_sent", "pending",
    "in_flight", "state_writes"}
DELETE /api/stats sets the counters to zero (the queue and the call log stay).
POST /api/webhook_targets {"urls": [...]} -> deliveries go round-robin to these URLs.
GET /api/webhook_targets -> {"urls": [...], "targets": [{"url", "delivered", "failed", "up",
    "last_error"}]}
DELETE /api/webhook_targets -> back to the webhook URL.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from playground.standin.api_input import BadInput, read_body
from playground.standin.api_users import press_one, send_one
from playground.standin.state import STANDIN_KEY
from playground.standin.stats import Stats
from playground.standin.webhook import DELIVERY_KEY

MAX_ITEMS = 10_000
MAX_TARGETS = 64


async def post_send_many(request: web.Request) -> web.Response:
    state = request.config_dict[STANDIN_KEY]
    body = await read_body(request)
    items = body.get("items")
    if not isinstance(items, list) or not 1 <= len(items) <= MAX_ITEMS:
        raise BadInput(f"items must be a list of 1 to {MAX_ITEMS} sends or presses")
    message_ids: list[int | None] = []
    callback_ids: list[str | None] = []
    try:
        for index, item in enumerate(items):
            try:
                if not isinstance(item, dict):
                    raise BadInput("each item must be an object")
                if "press" in item:
                    callback_ids.append(press_one(state, item["press"]))
                    message_ids.append(None)
                else:
                    message_ids.append(send_one(state, item))
                    callback_ids.append(None)
            except BadInput as error:
                answer = {
                    "error": f"item {index}: {error}",
                    "index": index,
                    "message_ids": message_ids,
                    "callback_query_ids": callback_ids,
                }
                return web.json_response(answer, status=error.status)
    finally:
        state.save()
    return web.json_response({"message_ids": message_ids, "callback_query_ids": callback_ids})


async def get_stats(request: web.Request) -> web.Response:
    state = request.config_dict[STANDIN_KEY]
    delivery = request.config_dict[DELIVERY_KEY]
    stats = state.stats.as_json()
    stats.update(
        pending=len(state.data["updates"]),
        in_flight=delivery.in_flight,
        state_writes=state.file_writes,
    )
    return web.json_response(stats)


async def delete_stats(request: web.Request) -> web.Response:
    request.config_dict[STANDIN_KEY].stats = Stats()
    return web.json_response({"ok": True})


async def post_webhook_targets(request: web.Request) -> web.Response:
    body = await read_body(request)
    urls = body.get("urls")
    if not isinstance(urls, list) or not 1 <= len(urls) <= MAX_TARGETS:
        raise BadInput(f"urls must be a list of 1 to {MAX_TARGETS} URLs")
    if not all(isinstance(url, str) and url.startswith(("http://", "https://")) for url in urls):
        raise BadInput("every url must start with http:// or https://")
    delivery = request.config_dict[DELIVERY_KEY]
    delivery.set_targets(urls)
    return web.json_response({"ok": True, **delivery.targets_json()})


async def get_webhook_targets(request: web.Request) -> web.Response:
    return web.json_response(request.config_dict[DELIVERY_KEY].targets_json())


async def delete_webhook_targets(request: web.Request) -> web.Response:
    request.config_dict[DELIVERY_KEY].set_targets([])
    return web.json_response({"ok": True})


def routes() -> list[Any]:
    return [
        web.post("/send_many", post_send_many),
        web.get("/stats", get_stats),
        web.delete("/stats", delete_stats),
        web.post("/webhook_targets", post_webhook_targets),
        web.get("/webhook_targets", get_webhook_targets),
        web.delete("/webhook_targets", delete_webhook_targets),
    ]
