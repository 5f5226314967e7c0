"""An update aiogram cannot read (here: a forwarded old message whose hidden origin lacks the name
aiogram requires) is skipped with one line that holds nothing of it, and everyone after it is answered.
Left to aiogram, the whole getUpdates batch failed to parse again and again (the helpline stopped
answering) and each failure logged the batch: names, usernames and words."""

from __future__ import annotations

import logging

import pytest

from tests.e2e.client import Person, PlaygroundClient

MARKERS = ("Jessamine", "Markerly", "jess_marker_92", "MARKERWORD", "7319024866")


def poison(person_id: int) -> dict[str, object]:
    sender = {"id": person_id, "is_bot": False, "first_name": "Jessamine", "last_name": "Markerly",
              "username": "jess_marker_92", "language_code": "en"}
    return {"message_id": 900, "date": 1_700_000_000, "chat": {"id": person_id, "type": "private",
            "first_name": "Jessamine", "username": "jess_marker_92"}, "from": sender,
            "forward_origin": {"type": "hidden_user", "date": 1_500_000_000},
            "text": "MARKERWORD please help he took my passport"}


async def test_an_unreadable_update_is_skipped_without_its_content_and_the_next_is_answered(
    client: PlaygroundClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await client.api("POST", "/api/raw_update", {"kind": "message", "payload": poison(7_319_024_866)})
    after = Person(id=100_777)
    await client.send(after, "what is prep")
    replies = await client.wait_for(after.id, lambda ms: [m for m in ms if m["from_bot"]] or None, seconds=15)
    assert "PrEP" in replies[0]["text"]
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "could not be read" in logged
    for marker in MARKERS:
        assert marker not in logged, marker
