"""getUpdates long polling and the webhook settings that exclude it."""

from __future__ import annotations

import asyncio
from typing import Any

from playground.standin.botapi_send import Handler
from playground.standin.errors import bad_request, conflict
from playground.standin.params import Params
from playground.standin.state import StandinState

MAX_TIMEOUT = 50  # seconds; Telegram caps long polling about here


async def get_updates(state: StandinState, p: Params) -> list[dict[str, Any]]:
    if state.data["webhook"]["url"]:
        raise conflict(
            "can't use getUpdates method while webhook is active; use deleteWebhook to delete "
            "the webhook first"
        )
    offset = p.integer("offset", None)
    limit = min(max(p.integer("limit", 100), 1), 100)
    timeout = min(max(p.integer("timeout", 0), 0), MAX_TIMEOUT)
    allowed = p.obj("allowed_updates", what="allowed updates")
    if isinstance(allowed, list):
        state.data["allowed_updates"] = allowed
    before = len(state.data["updates"])
    state.acknowledge(offset)
    if len(state.data["updates"]) != before:
        state.save()  # at once: a restart during the wait must not hand these out again

    # Telegram lets one poller wait at a time; a newer request ends the older one with 409.
    state.poll_generation += 1
    generation = state.poll_generation
    state.wake()
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        if state.data["updates"]:
            return state.data["updates"][:limit]
        if generation != state.poll_generation:
            raise conflict(
                "terminated by other getUpdates request; make sure that only one bot instance is running"
            )
        remaining = deadline - asyncio.get_running_loop().time()
        if remaining <= 0 or state.closing or state.data["webhook"]["url"]:
            return []
        await state.wait(remaining)


async def set_webhook(state: StandinState, p: Params) -> bool:
    """Stored only: the playground delivers updates by getUpdates alone."""
    url = p.text("url", "")
    if url and not url.startswith("https://"):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    if p.flag("drop_pending_updates"):
        state.data["updates"] = []
    allowed = p.obj("allowed_updates", what="allowed updates")
    if isinstance(allowed, list):
        state.data["allowed_updates"] = allowed
    state.data["webhook"] = {"url": url, "max_connections": p.integer("max_connections", 40)}
    state.wake()  # a waiting getUpdates must notice the webhook
    return True


async def delete_webhook(state: StandinState, p: Params) -> bool:
    if p.flag("drop_pending_updates"):
        state.data["updates"] = []
    state.data["webhook"] = {"url": ""}
    return True


async def get_webhook_info(state: StandinState, p: Params) -> dict[str, Any]:
    webhook = state.data["webhook"]
    info: dict[str, Any] = {
        "url": webhook["url"],
        "has_custom_certificate": False,
        "pending_update_count": len(state.data["updates"]),
    }
    if webhook["url"]:
        info["max_connections"] = webhook.get("max_connections", 40)
        if state.data["allowed_updates"]:
            info["allowed_updates"] = state.data["allowed_updates"]
    return info


METHODS: dict[str, Handler] = {
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
}
