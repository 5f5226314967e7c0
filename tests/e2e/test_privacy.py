"""After a full conversation, nothing identifying or said is in the bot's data directory or log:
not of the person, and not of the counsellor either."""

from __future__ import annotations

import dataclasses
import io
import logging
from pathlib import Path

import pytest

from bot.config import Settings
from bot.logging_setup import setup_logging
from playground.runner import Playground
from tests.e2e.client import Person, PlaygroundClient, buttons
from tests.e2e.handoff_steps import COUNSELLOR, claim, group_id, open_topic, thread_messages

PERSON = Person(id=5_123_456_789, first_name="Zsofia", last_name="Kowalczyk", username="zsofi_secret_99",
                language_code="nl")
# A counsellor's name is theirs too: colleagues see it, but it is never kept in plain form.
COLLEAGUE = dataclasses.replace(COUNSELLOR, first_name="Quillonette")
WORDS_IN = "purple elephant umbrella near the station"
WORDS_OUT = "meet aubergine by the blue bakery tomorrow"
QUESTION = "marmalade tractor question nobody can answer"


def needles() -> dict[str, bytes]:
    pid = PERSON.id
    found = {
        "id as text": str(pid).encode(),
        "id as 8-byte big-endian": pid.to_bytes(8, "big"),
        "id as 6-byte big-endian": pid.to_bytes(6, "big"),
        "first name": PERSON.first_name.encode(),
        "last name": PERSON.last_name.encode(),  # type: ignore[union-attr]
        "username": PERSON.username.encode(),  # type: ignore[union-attr]
        "counsellor's id as text": str(COLLEAGUE.id).encode(),
        "counsellor's first name": COLLEAGUE.first_name.encode(),
    }
    for words in (WORDS_IN, WORDS_OUT, QUESTION):
        found[f"words {words!r}"] = words.encode()
        found[f"a word of {words!r}"] = words.split()[1].encode()
    return found


# Names and words are found in any case; ids only exactly (lowering binary data could fake a hit).
MATCHED_IN_ANY_CASE = ("words", "a word", "first", "last", "user", "counsellor's first")


def scan(files: list[Path], extra: dict[str, bytes]) -> list[str]:
    hits = []
    blobs = {str(p): p.read_bytes() for p in files}
    blobs.update(extra)
    for where, blob in blobs.items():
        lowered = blob.lower()
        for what, needle in needles().items():
            if needle.lower() in lowered if what.startswith(MATCHED_IN_ANY_CASE) else needle in blob:
                hits.append(f"{what} found in {where}")
    return hits


async def test_nothing_identifying_or_said_is_kept_or_logged(
    settings: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log_buffer = io.StringIO()
    setup_logging("DEBUG", stream=log_buffer)
    data = tmp_path / "pg"
    settings = settings.model_copy(update={"opening_hours": {d: "00:00-24:00" for d in
                                                              ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}})
    try:
        for round_ in range(2):  # the second round is after a restart
            pg = Playground(settings, data, port=0)
            await pg.start()
            try:
                async with PlaygroundClient(pg.url) as client:
                    gid = await group_id(client)
                    if round_ == 0:
                        await client.reply_to(PERSON, "/start")
                        await client.reply_to(PERSON, QUESTION)
                        await client.reply_to(PERSON, "condoom gescheurd")
                        topic = await open_topic(client, PERSON)
                        await claim(client, topic["thread_id"], COLLEAGUE)
                        await client.send(PERSON, WORDS_IN)
                        await client.wait_for(gid, lambda ms: any(m["text"] == WORDS_IN for m in ms))
                    else:
                        thread = next(t for t in (await client.chat(gid))["topics"])["thread_id"]
                        await client.send(COLLEAGUE, WORDS_OUT, chat=gid, thread_id=thread)
                        await client.wait_for(PERSON.id, lambda ms: any(m["text"] == WORDS_OUT for m in ms))
                        ended = await client.reply_to(PERSON, "/end")
                        assert {"👍", "👎"} <= set(buttons(ended)), "asked to rate the conversation"
                        assert thread_messages(await client.messages(gid), thread)
            finally:
                await pg.stop()
    finally:
        logging.getLogger().handlers.clear()
    captured = capsys.readouterr()
    bot_files = [p for p in data.rglob("*") if p.is_file() and "standin" not in p.relative_to(data).parts]
    assert any(p.name.startswith("vraagbaak.db") for p in bot_files)
    assert log_buffer.getvalue(), "the bot did log something"
    extra = {"log": log_buffer.getvalue().encode(), "stdout": captured.out.encode(), "stderr": captured.err.encode()}
    assert scan(bot_files, extra) == []
    # The stand-in plays Telegram and may hold them; proving the scan can find them there:
    standin_files = [p for p in (data / "standin").rglob("*") if p.is_file()]
    assert scan(standin_files, {}), "the scan finds the person where Telegram would have them"
