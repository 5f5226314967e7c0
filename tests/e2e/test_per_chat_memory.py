"""The running bot keeps nothing per chat once people's updates are handled (bot/chat_state.py), and
no update itself (bot/update_event_type.py): what people wrote is not held in memory afterwards."""

from __future__ import annotations

import asyncio
import gc

import pytest
from aiogram.types import Message, Update

from bot.chat_state import ChatIsolation, ChatLock
from playground.runner import Playground
from tests.e2e.client import Person, PlaygroundClient, last_bot_message


async def test_the_bot_keeps_nothing_per_chat_after_people_wrote(playground: Playground,
                                                                 client: PlaygroundClient) -> None:
    assert playground.dp is not None and playground.parts is not None
    if playground.parts.redis is not None:
        pytest.skip("with Redis a chat's lock is a key there, which expires by itself")
    (lock,) = [m for m in playground.dp.update.outer_middleware if isinstance(m, ChatLock)]
    isolation = lock.isolation
    assert isinstance(isolation, ChatIsolation)
    people = [Person(id=930_000 + i, language_code="en") for i in range(5)]
    for person in people:
        await client.send(person, "what is prep")
    for person in people:
        await client.wait_for(person.id, last_bot_message)
    for _ in range(100):  # each update's last step (its commit) comes after its answer
        if isolation.chats == 0:
            break
        await asyncio.sleep(0.05)
    assert isolation.chats == 0


async def test_no_update_and_none_of_its_words_stay_in_memory_once_handled(playground: Playground,
                                                                          client: PlaygroundClient) -> None:
    assert playground.parts is not None
    if not playground.parts.settings.tuning:
        pytest.skip("aiogram's own Update.event_type keeps the last 128 updates (docs/architecture.md)")
    words = "lilac harbour seventeen"  # no topic matches it: the free-text path, then the no-answer reply
    people = [Person(id=940_000 + i, language_code="en") for i in range(5)]
    for person in people:
        await client.send(person, f"{words} {person.id}")
    for person in people:
        await client.wait_for(person.id, last_bot_message)
    # Polling holds its last batch of updates until the next one comes (aiogram's _listen_updates):
    # one more update, from someone else, and the batch with those words is the one before.
    someone = Person(id=940_100, language_code="en")
    await client.send(someone, "/start")
    await client.wait_for(someone.id, last_bot_message)
    # aiogram's own Update.event_type cached the last 128 updates, each with its message and text.
    # Each update's last step (its commit, the chat's lock given back) comes after its reply.
    for _ in range(50):
        await asyncio.sleep(0.1)
        gc.collect()
        kept = [obj for obj in gc.get_objects() if isinstance(obj, (Update, Message)) and _holds(obj, words)]
        if not kept:
            break
    assert kept == []


def _holds(obj: Update | Message, words: str) -> bool:
    message = obj.message if isinstance(obj, Update) else obj
    return message is not None and words in (message.text or "")
