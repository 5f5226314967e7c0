"""aiogram's models are built on first use (bot/lazy_telegram_types.py). Each check runs in a fresh
interpreter, because the shim only acts when it imports aiogram first."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(code: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_every_aiogram_model_still_builds_and_validates_when_deferred() -> None:
    result = run("""
import json, bot
from bot.lazy_telegram_types import aiogram_models
from pydantic import BaseModel
deferred = [m for m in aiogram_models() if not m.__pydantic_complete__]
failed = []
for model in aiogram_models():
    try:
        model.model_rebuild(raise_errors=True)
    except Exception as exc:
        failed.append(f"{model.__name__}: {exc}")
from aiogram.types import Update
update = Update.model_validate({"update_id": 1, "message": {"message_id": 5, "date": 0,
    "chat": {"id": 7, "type": "private"}, "from": {"id": 7, "is_bot": False, "first_name": "A"}, "text": "hi"}})
print(json.dumps({"deferred": len(deferred), "failed": failed, "text": update.message.text}))
""")
    assert result["deferred"] > 300, "the shim deferred aiogram's models"
    assert result["failed"] == []
    assert result["text"] == "hi"


def test_replies_from_the_bot_api_parse_through_our_session() -> None:
    result = run("""
import json, bot
from aiogram import Bot
from aiogram.methods import CreateForumTopic, SendMessage
from bot.telegram_session import BotApiSession
session = BotApiSession()
tg = Bot("1:x", session=session)
sent = session.check_response(tg, SendMessage(chat_id=1, text="x"), 200,
    '{"ok":true,"result":{"message_id":9,"date":0,"chat":{"id":1,"type":"private"},"text":"hi"}}')
topic = session.check_response(tg, CreateForumTopic(chat_id=1, name="x"), 200,
    '{"ok":true,"result":{"message_thread_id":3,"name":"x","icon_color":1}}')
from aiogram.methods import EditMessageText
session.prepare()  # from here, sent and edited messages are read back as their id and topic only
edited = session.check_response(tg, EditMessageText(chat_id=1, message_id=9, text="y"), 200,
    '{"ok":true,"result":{"message_id":9,"date":0,"chat":{"id":1,"type":"private"},"text":"y"}}')
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.methods import GetChatAdministrators
stock = AiohttpSession()  # aiogram's own session: generic responses resolve too
admins = stock.check_response(tg, GetChatAdministrators(chat_id=-1), 200,
    '{"ok":true,"result":[{"status":"creator","is_anonymous":false,"user":{"id":5,"is_bot":false,"first_name":"S"}}]}')
print(json.dumps({"message_id": sent.result.message_id, "thread": topic.result.message_thread_id,
                  "admin": admins.result[0].user.id, "edited": [type(edited.result).__name__, edited.result.message_id]}))
""")
    assert result == {"message_id": 9, "thread": 3, "admin": 5, "edited": ["SentMessage", 9]}


def test_the_models_the_bot_uses_are_built_at_start_up_not_by_the_first_person() -> None:
    result = run("""
import json, bot
from aiogram.methods import CreateForumTopic, SendMessage
from aiogram.types import Update
before = [Update.__pydantic_complete__, SendMessage.__pydantic_complete__]
from bot.telegram_session import BotApiSession, _RESPONSE_TYPES
BotApiSession.prepare()
after = [Update.__pydantic_complete__, SendMessage.__pydantic_complete__, CreateForumTopic.__pydantic_complete__]
print(json.dumps({"before": before, "after": after,
                  "responses_built": all(t.__pydantic_complete__ for t in _RESPONSE_TYPES.values())}))
""")
    assert result == {"before": [False, False], "after": [True, True, True], "responses_built": True}
