"""The running bot keeps nothing per chat once people's updates are handled (bot/chat_state.py)."""

from __future__ import annotations

import asyncio

from bot.chat_state import ChatIsolation, ChatStateInMemory
from playground.runner import Playground
from tests.e2e.client import Person, PlaygroundClient, last_bot_message


async def test_the_bot_keeps_nothing_per_chat_after_people_wrote(playground: Playground,
                                                                 client: PlaygroundClient) -> None:
    assert playground.dp is not None
    isolation, storage = playground.dp.fsm.events_isolation, playground.dp.fsm.storage
    assert isinstance(isolation, ChatIsolation) and isinstance(storage, ChatStateInMemory)
    people = [Person(id=930_000 + i, language_code="en") for i in range(5)]
    for person in people:
        await client.send(person, "what is prep")
    for person in people:
        await client.wait_for(person.id, last_bot_message)
    await asyncio.sleep(0.1)
    assert isolation.chats == 0 and storage.storage == {}
