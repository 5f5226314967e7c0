"""Steps for tests of what counsellors see, in any counsellors' language (the claim button found by
place, not by its English words)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from bot.config import Settings
from flows.callbacks import TalkRequest
from handoff.notices import BOT_MARK
from playground.runner import Playground
from tests.e2e.client import Person, PlaygroundClient
from tests.e2e.handoff_steps import COUNSELLOR, group_id, new_topic, notice, thread_messages, topic_count


@contextlib.asynccontextmanager
async def desk_in(settings: Settings, tmp_path: Path, language: str) -> AsyncIterator[PlaygroundClient]:
    """The playground with the counsellors' group in `language`."""
    # Counsellors at work: open whatever the hour the tests run at.
    always_open = {d: "00:00-24:00" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    pg = Playground(settings.model_copy(update={"default_language": language, "opening_hours": always_open}),
                    tmp_path / f"pg-{language}", port=0)
    await pg.start()
    try:
        async with PlaygroundClient(pg.url) as client:
            yield client
    finally:
        await pg.stop()


async def talk_about(client: PlaygroundClient, person: Person, topic: str) -> dict[str, Any]:
    """The person presses "Talk to a counsellor" under an answer on `topic`; the new topic."""
    before = await topic_count(client)
    start = await client.reply_to(person, "/start")
    await client.press_data(person, start["message_id"], TalkRequest(topic=topic).pack())
    return await new_topic(client, before)


async def claim_by_place(
    client: PlaygroundClient, thread_id: int, counsellor: Person = COUNSELLOR
) -> dict[str, Any]:
    """Press the notice's first button; the notice once it shows the claim."""
    gid = await group_id(client)
    note = await notice(client, thread_id)
    await client.press_data(counsellor, note["message_id"], note["buttons"][0][0]["data"], chat=gid)
    return await client.wait_for(
        gid,
        lambda ms: next(
            (
                m
                for m in ms
                if m["message_id"] == note["message_id"]
                and not m["buttons"]
                and counsellor.first_name in m["text"]
            ),
            None,
        ),
    )


def bot_notes(messages: list[dict[str, Any]], thread_id: int) -> list[dict[str, Any]]:
    """The bot's own words in a topic (not the person's copies)."""
    return [
        m for m in thread_messages(messages, thread_id) if m["from_bot"] and m["text"].startswith(BOT_MARK)
    ]
