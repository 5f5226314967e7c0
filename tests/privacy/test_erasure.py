"""After /forget, a forgotten person's conversation is gone from the disk, not only from the tables:
not in the SQLite file, its write-ahead log (-wal) or its index (-shm), read while the bot runs."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings
from playground.runner import Playground
from tests.e2e.client import Person, PlaygroundClient
from tests.e2e.handoff_steps import open_topic


def _db_files(data: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in data.glob("vraagbaak.db*") if p.is_file()}


async def test_a_forgotten_conversation_leaves_no_bytes_in_the_sqlite_files(
    settings: Settings, tmp_path: Path
) -> None:
    data = tmp_path / "pg"
    pg = Playground(settings, data, port=0)
    await pg.start()
    try:
        async with PlaygroundClient(pg.url) as client:
            person = Person(id=420001)
            await client.reply_to(person, "/start")
            await open_topic(client, person)
            assert pg.parts is not None
            pseudonym = pg.parts.pseudonyms(person.id).encode()
            async with pg.parts.sessions() as session:
                from storage.conversations import open_for_person

                conversation = await open_for_person(session, pseudonym.decode())
                assert conversation is not None and conversation.chat_cipher is not None
                markers = {
                    "pseudonym": pseudonym,
                    "alias": conversation.alias.encode(),
                    "encrypted chat id": conversation.chat_cipher,
                }
            before = _db_files(data)
            assert any(pseudonym in blob for blob in before.values()), "the scan finds them before"
            await client.reply_to(person, "/forget", containing="deleted")
            after = _db_files(data)
            assert {"vraagbaak.db", "vraagbaak.db-wal"} <= set(after)
            hits = [
                f"{what} in {name}"
                for name, blob in after.items()
                for what, marker in markers.items()
                if marker in blob
            ]
            assert hits == []
    finally:
        await pg.stop()
