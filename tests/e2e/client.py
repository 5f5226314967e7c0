"""Drive the real bot through the playground's JSON API, the way a person or counsellor would."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp


@dataclass
class Person:
    id: int = 100001
    first_name: str = "Anna"
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = "en"

    def as_from(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "first_name": self.first_name}
        for key in ("last_name", "username", "language_code"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        return data


@dataclass
class PlaygroundClient:
    base_url: str
    http: aiohttp.ClientSession = field(init=False)
    last_alerts: list[dict[str, Any]] = field(default_factory=list)  # answerCallbackQuery texts seen
    last_topics: list[dict[str, Any]] = field(default_factory=list)  # the chat's forum topics when last read

    async def __aenter__(self) -> PlaygroundClient:
        self.http = aiohttp.ClientSession()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.http.close()

    async def api(self, method: str, path: str, payload: dict[str, Any] | None = None) -> Any:
        async with self.http.request(method, self.base_url + path, json=payload) as response:
            body = await response.json()
            assert response.status == 200, body
            return body

    async def config(self) -> dict[str, Any]:
        return await self.api("GET", "/api/config")

    async def messages(self, chat: int) -> list[dict[str, Any]]:
        body = await self.api("GET", f"/api/chats/{chat}")
        self.last_alerts = body.get("alerts", [])
        self.last_topics = body.get("topics", [])
        messages = body["messages"]
        for message in messages:  # service messages and media have no text
            message["text"] = message.get("text") or message.get("caption") or ""
        return messages

    async def chat(self, chat: int) -> dict[str, Any]:
        return await self.api("GET", f"/api/chats/{chat}")

    async def send(self, person: Person, text: str | None = None, *, chat: int | None = None,
                   thread_id: int | None = None, **extra: Any) -> int:
        payload: dict[str, Any] = {"chat": chat if chat is not None else person.id, "from": person.as_from(), **extra}
        if text is not None:
            payload["text"] = text
        if thread_id is not None:
            payload["thread_id"] = thread_id
        return (await self.api("POST", "/api/send", payload))["message_id"]

    async def press(self, person: Person, message: dict[str, Any], button_text: str, *, chat: int | None = None) -> None:
        button = find_button(message, button_text)
        await self.press_data(person, message["message_id"], button["data"], chat=chat)

    async def press_data(self, person: Person, message_id: int, data: str, *, chat: int | None = None) -> None:
        await self.api("POST", "/api/press", {"chat": chat if chat is not None else person.id,
                                               "from": person.as_from(), "message_id": message_id, "data": data})

    async def wait_for(self, chat: int, condition: Callable[[list[dict[str, Any]]], Any], seconds: float = 8.0) -> Any:
        """Poll the chat until `condition(messages)` is truthy; return its value."""
        deadline = time.monotonic() + seconds
        messages: list[dict[str, Any]] = []
        while time.monotonic() < deadline:
            messages = await self.messages(chat)
            result = condition(messages)
            if result:
                return result
            await asyncio.sleep(0.05)
        texts = [m.get("text") for m in messages[-5:]]
        raise AssertionError(f"timed out; last messages: {texts}")

    async def reply_to(self, person: Person, text: str | None, *, containing: str | None = None, **kw: Any) -> dict[str, Any]:
        """Send `text` and wait for the bot's next message (optionally one containing a phrase)."""
        before = len(await self.messages(person.id))
        await self.send(person, text, **kw)

        def _bot_reply(messages: list[dict[str, Any]]) -> dict[str, Any] | None:
            for message in messages[before:]:
                if message["from_bot"] and (containing is None or containing.lower() in message["text"].lower()):
                    return message
            return None

        return await self.wait_for(person.id, _bot_reply)


def buttons(message: dict[str, Any]) -> list[str]:
    return [button["text"] for row in message.get("buttons", []) for button in row]


def find_button(message: dict[str, Any], text: str) -> dict[str, Any]:
    for row in message.get("buttons", []):
        for button in row:
            if text.lower() in button["text"].lower():
                return button
    raise AssertionError(f"no button {text!r} in {buttons(message)}")


def last_bot_message(messages: list[dict[str, Any]]) -> dict[str, Any] | None:
    return next((m for m in reversed(messages) if m["from_bot"]), None)
