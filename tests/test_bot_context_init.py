"""aiogram's objects get their bot through one flat post-init (bot/bot_context_init.py): what they hold
afterwards is exactly what aiogram's own nested post-init left. Each side runs in a fresh interpreter:
plain aiogram, and aiogram as the bot package sets it up."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Updates of every shape the bot receives, methods it makes, and objects made without validation.
CORPUS = r"""
import datetime
import json
from aiogram import Bot
from aiogram.client.context_controller import BotContextController
from aiogram.types import Update, Message, InlineKeyboardMarkup, InlineKeyboardButton
from aiogram.methods import SendMessage

bot = Bot("42:TEST")
person = {"id": 7, "is_bot": False, "first_name": "A", "language_code": "nl"}
chat = {"id": 7, "type": "private", "first_name": "A"}
group = {"id": -100, "type": "supergroup", "title": "Counsellors", "is_forum": True}
keyboard = {"inline_keyboard": [[{"text": f"B{i}", "callback_data": f"menu:{i}:"}] for i in range(4)]
                                + [[{"text": "site", "url": "https://example.org"}]]}
updates = [
    {"update_id": 1, "message": {"message_id": 5, "date": 0, "chat": chat, "from": person, "text": "hi",
                                 "entities": [{"type": "bold", "offset": 0, "length": 2}]}},
    {"update_id": 2, "callback_query": {"id": "9", "chat_instance": "c", "from": person, "data": "menu:health:",
                                        "message": {"message_id": 6, "date": 0, "chat": chat, "text": "Menu",
                                                    "from": {"id": 42, "is_bot": True, "first_name": "Bot"},
                                                    "reply_markup": keyboard}}},
    {"update_id": 3, "message": {"message_id": 8, "date": 0, "chat": group, "from": person, "message_thread_id": 4,
                                 "is_topic_message": True, "caption": "leaflet",
                                 "photo": [{"file_id": "f", "file_unique_id": "u", "width": 1, "height": 1}]}},
    {"update_id": 4, "edited_message": {"message_id": 5, "date": 0, "edit_date": 1, "chat": chat, "from": person,
                                        "text": "hi again"}},
    {"update_id": 5, "my_chat_member": {"chat": chat, "from": person, "date": 0,
                                        "old_chat_member": {"status": "member", "user": person},
                                        "new_chat_member": {"status": "kicked", "user": person, "until_date": 0}}},
]


def walk(value):
    # Every aiogram object inside, in order: whether it holds the bot, None, or something else.
    if isinstance(value, BotContextController):
        private = value.__pydantic_private__
        yield [sorted(private), "bot" if private.get("_bot") is bot else repr(private.get("_bot"))]
        for name in type(value).model_fields:
            yield from walk(getattr(value, name))
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from walk(item)


made = [Update.model_validate(u, context={"bot": bot}) for u in updates]
message = made[0].message
made += [message.answer("answer", reply_markup=InlineKeyboardMarkup.model_validate(keyboard)),
         SendMessage(chat_id=7, text="direct"), SendMessage(chat_id=7, text="bound").as_(bot),
         Message.model_construct(message_id=1, date=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC), chat=None), InlineKeyboardButton(text="x", callback_data="y")]
print(json.dumps({"dumps": [m.model_dump(exclude_none=True, warnings=False) for m in made],
                  "private": [list(walk(m)) for m in made],
                  "post_init": Message.model_post_init.__qualname__}, default=repr))  # methods hold Default()s
"""


def run(setup: str) -> dict:
    out = subprocess.run([sys.executable, "-c", setup + CORPUS], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_objects_hold_the_same_bot_and_values_as_with_aiograms_own_post_init() -> None:
    plain = run("import aiogram\n")
    flat = run("import bot\nfrom bot import bot_context_init\n")
    assert plain["post_init"] == "BotContextController.model_post_init"
    assert flat["post_init"] == "_bot_from_context"
    assert flat["dumps"] == plain["dumps"]
    assert flat["private"] == plain["private"]
    held = [entry[1] for obj in flat["private"] for entry in obj]
    assert held.count("bot") > 30 and "None" in held  # validated with the bot; made without one


def test_it_applies_to_aiograms_types_and_methods() -> None:
    out = subprocess.run([sys.executable, "-c", "import bot\nfrom bot import bot_context_init\n"
                          "print(bot_context_init.install())"], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, check=True)
    # Already given to every class by `import bot`: a second run finds none left to change.
    assert out.stdout.strip() == "0"
    from aiogram.methods import CopyMessage, EditMessageText, SendMessage
    from aiogram.types import CallbackQuery, InlineKeyboardButton, Message, Update

    for cls in (Update, Message, CallbackQuery, InlineKeyboardButton, SendMessage, EditMessageText, CopyMessage):
        assert cls.model_post_init.__qualname__ == "_bot_from_context", cls
