"""Webhook delivery, as Telegram does it, plus an optional load balancer in front of several bots.

While a webhook is set, queued updates are POSTed (JSON body = the Update, with the header
X-Telegram-Bot-Api-Secret-Token when a secret was set). An update leaves the queue only after a
2xx answer (at-least-once). Anything else -- another status, a refused connection, no answer within
10 s -- is retried after a backoff (0.2 s doubling up to 5 s; Telegram waits longer) and shown in
getWebhookInfo's last_error_date / last_error_message.

Ordering: updates are grouped in lanes, one per chat (callback queries and member updates go to
their chat's lane too); a lane's next update starts only after its previous one was acknowledged,
while different lanes are delivered in parallel, up to the webhook's max_connections in flight.

The load balancer (`targets`, set by the JSON API): deliveries go round-robin over the target URLs
instead of the webhook URL, with the webhook's secret. A target that refuses the connection, times
out or answers 5xx is marked down for a while (0.2 s doubling up to 5 s, back on its first success)
and skipped; the failed update is retried at once on another target that is up and has not failed
it yet, and only when none is left does it wait for the backoff. So when one instance dies, the
others carry on. Targets live in memory: they steer a test run, like fault rules.

A 2xx answer may carry one Bot API call as its JSON body ({"method": ..., parameters}); it is run as
Telegram runs it, before the lane's next update is delivered, and nothing about it goes back to
the bot (botapi.run_webhook_answer).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import heapq
import itertools
import json
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from playground.standin.botapi import run_webhook_answer
from playground.standin.state import StandinState

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
DEFAULT_MAX_CONNECTIONS = 40
TIMEOUT = 10.0  # seconds for one delivery, connection included
BACKOFF_FIRST = 0.2
BACKOFF_MAX = 5.0
STOP_GRACE = 1.0  # seconds cleanup lets deliveries in flight finish before cancelling them


def backoff(round_: int) -> float:
    """Delay before retry round `round_` (1, 2, ...)."""
    return min(BACKOFF_FIRST * 2 ** (round_ - 1), BACKOFF_MAX)


def lane_of(update: dict[str, Any]) -> int:
    """The chat an update belongs to; updates without one get a lane of their own."""
    for kind, payload in update.items():
        if kind == "update_id" or not isinstance(payload, dict):
            continue
        chat = payload.get("chat") or (payload.get("message") or {}).get("chat")
        if isinstance(chat, dict) and "id" in chat:
            return int(chat["id"])
        user = payload.get("from") or payload.get("user")
        if isinstance(user, dict) and "id" in user:
            return int(user["id"])  # a user's private chat has the user's id
    return -(2**62) - int(update["update_id"])  # far from any chat id


@dataclass
class Target:
    """One instance behind the load balancer."""

    url: str
    delivered: int = 0
    failed: int = 0
    last_error: str | None = None
    down_until: float = 0.0
    cooldown: float = 0.0  # the next time it fails, it is down for this long (0: BACKOFF_FIRST)

    def up(self, now: float) -> bool:
        return self.down_until <= now

    def mark_down(self, now: float) -> None:
        self.cooldown = min(self.cooldown * 2, BACKOFF_MAX) if self.cooldown else BACKOFF_FIRST
        self.down_until = now + self.cooldown

    def mark_up(self) -> None:
        self.down_until = 0.0
        self.cooldown = 0.0

    def as_json(self, now: float) -> dict[str, Any]:
        return {
            "url": self.url,
            "delivered": self.delivered,
            "failed": self.failed,
            "up": self.up(now),
            "last_error": self.last_error,
        }


@dataclass
class _Retry:
    """What an update's earlier attempts left behind."""

    rounds: int = 0  # backoffs waited so far
    tried: set[str] = field(default_factory=set)  # targets that failed it since the last backoff


class WebhookDelivery:
    """The background task that hands the queue to the webhook; one per app."""

    def __init__(self, state: StandinState) -> None:
        self.state = state
        self.targets: list[Target] = []
        self._next_target = 0
        self._lanes: dict[int, deque[int]] = {}  # lane -> its queued update ids, oldest first
        self._ready: dict[int, None] = {}  # lanes whose first update may start now (ordered set)
        self._busy: dict[int, int] = {}  # lane -> the update id in flight
        self._waiting: dict[int, float] = {}  # lane -> when its failed update may be retried
        self._due: list[tuple[float, int, int]] = []  # heap of (when, tiebreak, lane)
        self._tiebreak = itertools.count()
        self._retries: dict[int, _Retry] = {}
        self._indexed_upto = 0  # the highest update id put in a lane
        self._epoch: int | None = None  # the state's queue epoch the lanes were built from
        self._tasks: set[asyncio.Task[None]] = set()
        self._changed = asyncio.Event()
        self._session: aiohttp.ClientSession | None = None
        self._runner: asyncio.Task[None] | None = None
        state.add_listener(self._changed.set)

    # lifecycle ------------------------------------------------------------------------------
    async def start(self) -> None:
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0),  # max_connections is the only limit
            timeout=aiohttp.ClientTimeout(total=TIMEOUT),
        )
        self._runner = asyncio.create_task(self._run(), name="standin-webhook-delivery")

    async def stop(self) -> None:
        """Start nothing new, let what is in flight finish briefly, then cancel the rest."""
        if self._runner is not None:
            self._runner.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._runner
            self._runner = None
        if self._tasks:
            await asyncio.wait(set(self._tasks), timeout=STOP_GRACE)
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._session is not None:
            await self._session.close()
            self._session = None

    # the balancer ---------------------------------------------------------------------------
    def set_targets(self, urls: list[str]) -> None:
        self.targets = [Target(url) for url in urls]
        self._next_target = 0
        self._changed.set()

    def targets_json(self) -> dict[str, Any]:
        now = time.monotonic()
        return {
            "urls": [target.url for target in self.targets],
            "targets": [target.as_json(now) for target in self.targets],
        }

    def _pick_target(self, retry: _Retry | None) -> Target | None:
        """Round-robin, preferring targets that are up and have not failed this update yet."""
        if not self.targets:
            return None
        now = time.monotonic()
        tried = retry.tried if retry else set()
        count = len(self.targets)
        order = [(self._next_target + i) % count for i in range(count)]
        for fits in (
            lambda t: t.up(now) and t.url not in tried,
            lambda t: t.url not in tried,
            lambda t: True,
        ):
            for position in order:
                if fits(self.targets[position]):
                    self._next_target = (position + 1) % count
                    return self.targets[position]
        raise AssertionError("unreachable")

    def _failover_possible(self, retry: _Retry) -> bool:
        now = time.monotonic()
        return any(t.up(now) and t.url not in retry.tried for t in self.targets)

    # the loop -------------------------------------------------------------------------------
    @property
    def in_flight(self) -> int:
        return len(self._busy)

    def _active(self) -> bool:
        return bool(self.state.data["webhook"].get("url")) and not self.state.closing

    async def _run(self) -> None:
        while True:
            self._changed.clear()
            timeout = None
            if self._active():
                self._sync()
                self._release_due()
                self._start_ready()
                if self._due:
                    timeout = max(self._due[0][0] - time.monotonic(), 0.0)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), timeout)

    def _sync(self) -> None:
        """Bring the lanes up to date with the queue: new updates, or a rebuild after other changes."""
        updates = self.state.data["updates"]
        if self._epoch != self.state.queue_epoch:
            self._epoch = self.state.queue_epoch
            self._lanes.clear()
            self._ready.clear()
            self._indexed_upto = 0
            present = {u["update_id"] for u in updates}
            self._retries = {uid: r for uid, r in self._retries.items() if uid in present}
            start = 0
        else:
            start = len(updates)
            while start > 0 and updates[start - 1]["update_id"] > self._indexed_upto:
                start -= 1
        for update in itertools.islice(updates, start, None):
            lane = lane_of(update)
            self._lanes.setdefault(lane, deque()).append(update["update_id"])
            self._indexed_upto = max(self._indexed_upto, update["update_id"])
            self._make_ready(lane)

    def _make_ready(self, lane: int) -> None:
        if self._lanes.get(lane) and lane not in self._busy and lane not in self._waiting:
            self._ready[lane] = None

    def _release_due(self) -> None:
        now = time.monotonic()
        while self._due and self._due[0][0] <= now:
            _, _, lane = heapq.heappop(self._due)
            self._waiting.pop(lane, None)
            self._make_ready(lane)

    def _start_ready(self) -> None:
        limit = max(int(self.state.data["webhook"].get("max_connections") or DEFAULT_MAX_CONNECTIONS), 1)
        while self._ready and len(self._busy) < limit:
            lane = next(iter(self._ready))
            del self._ready[lane]
            queued = self._lanes.get(lane)
            while queued and self.state.find_update(queued[0]) is None:
                queued.popleft()  # acknowledged meanwhile (e.g. by an earlier delivery's late answer)
            if not queued:
                self._lanes.pop(lane, None)
                continue
            update = self.state.find_update(queued[0])
            assert update is not None
            self._busy[lane] = queued[0]
            self.state.in_flight.add(queued[0])
            task = asyncio.create_task(self._deliver(lane, update))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    # one delivery ---------------------------------------------------------------------------
    async def _deliver(self, lane: int, update: dict[str, Any]) -> None:
        update_id = update["update_id"]
        retry = self._retries.get(update_id)
        target = self._pick_target(retry)
        webhook = self.state.data["webhook"]
        url = target.url if target else webhook["url"]
        headers = {"Content-Type": "application/json"}
        if webhook.get("secret_token"):
            headers[SECRET_HEADER] = webhook["secret_token"]
        error: str | None = None
        server_side = False  # the instance is down or broken, rather than refusing this update
        try:
            assert self._session is not None
            body = json.dumps(update, ensure_ascii=False).encode()
            async with self._session.post(url, data=body, headers=headers) as response:
                answer = await response.read()
                if 200 <= response.status < 300 and answer and response.content_type == "application/json":
                    with contextlib.suppress(ValueError):
                        await run_webhook_answer(self.state, json.loads(answer))
                if not 200 <= response.status < 300:
                    error = (
                        f"Wrong response from the webhook: {response.status} {response.reason or ''}".rstrip()
                    )
                    server_side = response.status >= 500
        except TimeoutError:
            error, server_side = "Read timeout expired", True
        except aiohttp.ClientConnectorDNSError:
            error, server_side = "Failed to resolve host: Name or service not known", True
        except aiohttp.ClientConnectorError as exc:
            refused = exc.os_error.errno == errno.ECONNREFUSED if exc.os_error else False
            error, server_side = ("Connection refused" if refused else "Connection failed"), True
        except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError):
            error, server_side = "Connection reset by peer", True
        except asyncio.CancelledError:
            self._release(lane, update_id)  # cancelled at cleanup: the update stays queued
            raise
        except Exception as exc:  # aiohttp.ClientError and anything odd (a bad URL): retried like the rest
            error, server_side = f"Connection failed: {type(exc).__name__}", True
        if error is None:
            self._succeeded(lane, update_id, target)
        else:
            self._failed(lane, update_id, target, error, server_side)

    def _release(self, lane: int, update_id: int) -> None:
        self.state.in_flight.discard(update_id)
        if self._busy.get(lane) == update_id:
            del self._busy[lane]

    def _succeeded(self, lane: int, update_id: int, target: Target | None) -> None:
        self._release(lane, update_id)
        self._retries.pop(update_id, None)
        if self.state.remove_update(update_id):
            self.state.save()
        queued = self._lanes.get(lane)
        if queued and queued[0] == update_id:
            queued.popleft()
        if queued:
            self._make_ready(lane)
        else:
            self._lanes.pop(lane, None)
        if target is not None:
            target.delivered += 1
            target.mark_up()
        self._changed.set()

    def _failed(
        self, lane: int, update_id: int, target: Target | None, error: str, server_side: bool
    ) -> None:
        self._release(lane, update_id)
        self.state.stats.webhook_failures += 1
        webhook = self.state.data["webhook"]
        if webhook.get("url"):
            webhook["last_error_date"] = self.state.now()
            webhook["last_error_message"] = error
            self.state.save()
        retry = self._retries.setdefault(update_id, _Retry())
        delay = 0.0
        if target is not None:
            target.failed += 1
            target.last_error = error
            retry.tried.add(target.url)
            if server_side:
                target.mark_down(time.monotonic())
        if target is None or not server_side or not self._failover_possible(retry):
            retry.rounds += 1
            retry.tried.clear()
            delay = backoff(retry.rounds)
        when = time.monotonic() + delay
        self._waiting[lane] = when
        heapq.heappush(self._due, (when, next(self._tiebreak), lane))
        if self._active():
            self._changed.set()
        else:
            self.state.wake()  # webhook deleted meanwhile: the update is back for a waiting getUpdates


# The app's handle on its delivery, for the JSON API's load balancer and stats.
DELIVERY_KEY = web.AppKey("standin_webhook_delivery", WebhookDelivery)
