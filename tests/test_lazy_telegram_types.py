"""aiogram's models are built on first use (bot/lazy_telegram_types.py). Each check runs in a fresh
interpreter, because it only acts when it imports aiogram first."""

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
import json
from bot import lazy_telegram_types
assert lazy_telegram_types.apply()
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


def test_replies_from_the_bot_api_parse_into_whole_objects() -> None:
    result = run("""
import json
from bot import lazy_telegram_types
assert lazy_telegram_types.apply()
import orjson
from aiogram import Bot
from aiogram.client.telegram import TelegramAPIServer
from aiogram.methods import CreateForumTopic, EditMessageText, GetChatAdministrators, SendMessage
from bot.telegram_session import bot_api_session
session = bot_api_session(TelegramAPIServer.from_base("http://127.0.0.1:1"))
tg = Bot("1:x", session=session)
sent = session.check_response(tg, SendMessage(chat_id=1, text="x"), 200,
    '{"ok":true,"result":{"message_id":9,"date":0,"chat":{"id":1,"type":"private"},"text":"hi"}}')
topic = session.check_response(tg, CreateForumTopic(chat_id=1, name="x"), 200,
    '{"ok":true,"result":{"message_thread_id":3,"name":"x","icon_color":1}}')
edited = session.check_response(tg, EditMessageText(chat_id=1, message_id=9, text="y"), 200,
    '{"ok":true,"result":{"message_id":9,"date":0,"chat":{"id":1,"type":"private"},"text":"y"}}')
admins = session.check_response(tg, GetChatAdministrators(chat_id=-1), 200,
    '{"ok":true,"result":[{"status":"creator","is_anonymous":false,"user":{"id":5,"is_bot":false,"first_name":"S"}}]}')
print(json.dumps({"message_id": sent.result.message_id, "chat": sent.result.chat.id,
                  "thread": topic.result.message_thread_id, "admin": admins.result[0].user.id,
                  "edited": [type(edited.result).__name__, edited.result.text]}))
""")
    assert result == {"message_id": 9, "chat": 1, "thread": 3, "admin": 5, "edited": ["Message", "y"]}


def test_with_a_pydantic_it_was_not_checked_with_aiogram_is_imported_as_usual() -> None:
    result = run("""
import json, logging
logging.basicConfig(level=logging.INFO, format="%(message)s")
from bot import lazy_telegram_types
lazy_telegram_types.CHECKED_WITH = {"pydantic": ("1.0",)}
applied = lazy_telegram_types.apply()
from aiogram.types import Update
print(json.dumps({"applied": applied, "built": Update.__pydantic_complete__}))
""")
    assert result == {"applied": False, "built": True}
