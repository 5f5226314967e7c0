"""By webhook, an update aiogram cannot read is acknowledged (not answered 400 for Telegram to deliver
again for ever), logged without its content, and the updates after it are answered."""

from __future__ import annotations

import logging

import pytest

from bot.runner import Instance
from tests.e2e.client import Person, PlaygroundClient
from tests.e2e.test_unreadable_updates import MARKERS, poison


async def test_an_unreadable_update_by_webhook_is_acknowledged_and_skipped(
    instance: Instance, client: PlaygroundClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await client.api("POST", "/api/raw_update", {"kind": "message", "payload": poison(7_319_024_866)})
    after = Person(id=100_778)
    await client.send(after, "what is prep")
    replies = await client.wait_for(after.id, lambda ms: [m for m in ms if m["from_bot"]] or None, seconds=15)
    assert "PrEP" in replies[0]["text"]
    assert instance.bot is not None
    info = await instance.bot.get_webhook_info()
    assert info.last_error_message is None and info.pending_update_count == 0
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for marker in MARKERS:
        assert marker not in logged, marker
