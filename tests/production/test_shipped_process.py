"""The bot as the image runs it: its own process, `vraagbaak run` by webhook, with PYTHONOPTIMIZE=2
(no docstrings, no asserts; see the Dockerfile). The rest of the suite runs the bot inside pytest,
where asserts stay, so this is what shows the shipped mode answers, hands off and relays."""

from __future__ import annotations

from pathlib import Path

from benchmarks.load.processes import Fleet, bot_instance, wait_until_up
from tests.e2e.client import Person, PlaygroundClient
from tests.e2e.handoff_steps import COUNSELLOR, claim, group_id, open_topic, thread_messages


def environment_of(pid: int) -> list[bytes]:
    return Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")


async def test_the_shipped_process_answers_hands_off_and_relays(standin: str, client: PlaygroundClient,
                                                                 tmp_path: Path) -> None:
    fleet = Fleet(tmp_path)
    try:
        bot = bot_instance(fleet, 0, standin, f"sqlite+aiosqlite:///{tmp_path / 'shipped.db'}", None)
        await wait_until_up(bot.url + "/healthz")
        assert b"PYTHONOPTIMIZE=2" in environment_of(bot.process.pid)  # read once it surely runs
        await client.api("POST", "/api/webhook_targets", {"urls": [bot.url + "/telegram/webhook"]})
        person = Person(id=871_001)

        picker = await client.reply_to(person, "/start")
        assert picker["buttons"], "the first reply offers languages"
        answer = await client.reply_to(person, "what is prep", containing="PrEP")
        assert "HIV" in answer["text"]

        topic = await open_topic(client, person)
        await claim(client, topic["thread_id"])
        gid = await group_id(client)
        await client.send(person, "hello from the person")
        await client.wait_for(gid, lambda ms: any(m["text"] == "hello from the person"
                                                  for m in thread_messages(ms, topic["thread_id"])))
        await client.send(COUNSELLOR, "hello from Sara", chat=gid, thread_id=topic["thread_id"])
        await client.wait_for(person.id, lambda ms: any(m["text"] == "hello from Sara" for m in ms))
    finally:
        await client.api("DELETE", "/api/webhook_targets")
        fleet.stop()
