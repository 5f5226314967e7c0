"""getUpdates long polling and the webhook settings that exclude it (delivery itself: webhook.py).

The two never hand out the same update: getUpdates skips what a webhook delivery has in flight, and
setWebhook confirms what getUpdates has already handed out.
"""

from __future__ import annotations

import asyncio
import re
import urllib.parse
from typing import Any

from playground.standin.botapi_send import Handler
from playground.standin.errors import bad_request, conflict
from playground.standin.params import Params
from playground.standin.state import StandinState

MAX_TIMEOUT = 50  # seconds; Telegram caps long polling about here
# Real Telegram needs https; plain http is allowed for instances on this machine only.
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


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
        # A restart (even a crash, while writing is cheap) must not hand these out again.
        state.save(urgent=True)

    # Telegram lets one poller wait at a time; a newer request ends the older one with 409.
    state.poll_generation += 1
    generation = state.poll_generation
    state.wake()
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        if updates := state.pollable(limit):
            state.data["polled_upto"] = max(state.data["polled_upto"], updates[-1]["update_id"])
            return updates
        if generation != state.poll_generation:
            raise conflict(
                "terminated by other getUpdates request; make sure that only one bot instance is running"
            )
        remaining = deadline - asyncio.get_running_loop().time()
        if remaining <= 0 or state.closing or state.data["webhook"]["url"]:
            return []
        await state.wait(remaining)


def _check_url(url: str) -> None:
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname
    except ValueError:
        raise bad_request("bad webhook: Failed to resolve host: Name or service not known") from None
    if parts.scheme == "https" and host:
        return
    if parts.scheme == "http" and host in LOCAL_HOSTS:
        return  # a local instance (tests, benchmarks)
    raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")


async def set_webhook(state: StandinState, p: Params) -> bool:
    """Store the webhook; webhook.py delivers to it while it is set (an empty url deletes it)."""
    url = p.text("url", "")
    if url:
        _check_url(url)
    secret = p.text("secret_token", "")
    if secret and not _SECRET.match(secret):
        raise bad_request("secret token contains unallowed characters")
    max_connections = min(max(p.integer("max_connections", 40), 1), 100)
    if p.flag("drop_pending_updates"):
        state.drop_updates()
    allowed = p.obj("allowed_updates", what="allowed updates")
    if isinstance(allowed, list):
        state.data["allowed_updates"] = allowed
    if url:
        # What a poller already got is confirmed, so the webhook never delivers it a second time.
        state.acknowledge(state.data["polled_upto"] + 1)
    old = state.data["webhook"]
    webhook: dict[str, Any] = {"url": url}
    if url:
        webhook["max_connections"] = max_connections
        if secret:
            webhook["secret_token"] = secret
        if old.get("url") == url:  # the same webhook again: its last error stays visible
            for key in ("last_error_date", "last_error_message"):
                if key in old:
                    webhook[key] = old[key]
    state.data["webhook"] = webhook
    state.wake()  # a waiting getUpdates must notice the webhook; the delivery must notice both
    return True


async def delete_webhook(state: StandinState, p: Params) -> bool:
    """Stops delivery; pending updates stay for getUpdates unless dropped."""
    if p.flag("drop_pending_updates"):
        state.drop_updates()
    state.data["webhook"] = {"url": ""}
    state.wake()
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
        # The secret is never shown, as in Telegram.
        for key in ("last_error_date", "last_error_message"):
            if key in webhook:
                info[key] = webhook[key]
    return info


METHODS: dict[str, Handler] = {
    "getUpdates": get_updates,
    "setWebhook": set_webhook,
    "deleteWebhook": delete_webhook,
    "getWebhookInfo": get_webhook_info,
}
