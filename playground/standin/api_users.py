"""The JSON test API's user actions: write (as a user or counsellor), press a button, block the bot."""

from __future__ import annotations

import hashlib
import html
import re
import secrets
from typing import Any

from aiohttp import web

from playground.standin.api_input import BadInput, integer, read_body, sender_of
from playground.standin.objects import CAPTIONLESS, MEDIA_TYPES, SWAPPABLE, message_json
from playground.standin.state import STANDIN_KEY, StandinState

_COMMAND = re.compile(r"^/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]+)?")
# Who a group admin's message comes from when they "remain anonymous": Telegram's own bot account,
# with the group itself as the sender_chat.
GROUP_ANONYMOUS_BOT = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}


def _set_blocked(state: StandinState, user_id: int, blocked: bool) -> None:
    """Block or unblock; Telegram tells the bot with a my_chat_member update."""
    if not state.set_blocked(user_id, blocked):
        return
    chat = state.chat(user_id)
    if chat is None:
        return
    user = {k: v for k, v in state.user(user_id).items() if k != "language_code"}
    member = {"status": "member", "user": state.config.bot_user}
    kicked = {"status": "kicked", "user": state.config.bot_user, "until_date": 0}
    state.push_update(
        "my_chat_member",
        {
            "chat": {"id": user_id, "type": "private", "first_name": user["first_name"]},
            "from": user,
            "date": state.now(),
            "old_chat_member": member if blocked else kicked,
            "new_chat_member": kicked if blocked else member,
        },
    )


def _content(state: StandinState, body: dict[str, Any], sender_id: int) -> dict[str, Any]:
    """The stored fields of what a user sends: exactly one of text, media, location, contact."""
    kinds = [key for key in ("text", "media", "location", "contact") if body.get(key) is not None]
    if len(kinds) != 1:
        raise BadInput("send exactly one of text, media, location, contact")
    if "text" in kinds:
        text = str(body["text"])
        if not text.strip() or len(text) > 4096:
            raise BadInput("text must have 1 to 4096 characters")
        fields: dict[str, Any] = {"text": text, "html": html.escape(text, quote=False)}
        if match := _COMMAND.match(text):
            fields["entities"] = [{"type": "bot_command", "offset": 0, "length": len(match.group(0))}]
        return fields
    try:
        if "location" in kinds:
            location = body["location"]
            return {
                "location": {
                    "latitude": float(location["latitude"]),
                    "longitude": float(location["longitude"]),
                }
            }
        if "contact" in kinds:
            contact = body["contact"]
            return {
                "contact": {
                    "phone_number": str(contact["phone_number"]),
                    "first_name": str(contact["first_name"]),
                }
            }
    except (KeyError, TypeError, ValueError):
        raise BadInput(f"{kinds[0]} is incomplete") from None
    media = body["media"]
    if not isinstance(media, dict) or media.get("type") not in MEDIA_TYPES:
        raise BadInput(f"media.type must be one of {', '.join(MEDIA_TYPES)}")
    caption = str(body.get("caption") or "")
    if caption and media["type"] in CAPTIONLESS:
        raise BadInput("stickers and round videos have no caption")
    # Telegram Premium users may write captions up to 4096 characters; others up to 1024.
    limit = 4096 if state.user(sender_id).get("is_premium") else 1024
    if len(caption) > limit:
        raise BadInput(f"caption must have at most {limit} characters")
    # A file_id the user "already has" is taken as is, so tests can follow it through the bot.
    named = {"file_name": str(media["file_name"])} if media.get("file_name") else {}  # a document's own name
    info = state.register_file(media.get("file_id") or None, media["type"], **named)
    fields = {"media": {"type": media["type"], "file_id": info["file_id"]}}
    if caption:
        fields.update(caption=caption, caption_html=html.escape(caption, quote=False))
    return fields


async def post_send(request: web.Request) -> web.Response:
    state = request.config_dict[STANDIN_KEY]
    message_id = send_one(state, await read_body(request))
    state.save()
    return web.json_response({"message_id": message_id})


def send_one(state: StandinState, body: dict[str, Any]) -> int:
    """What /api/send does, without saving: check, store the message, queue its update.
    `"anonymous": true` in the counsellor chat sends it as the group (an admin who remains anonymous)."""
    sender = sender_of(state, body)
    chat_id = integer(body, "chat")
    thread_id = integer(body, "thread_id") if body.get("thread_id") is not None else None
    if chat_id == state.config.counsellor_chat_id:
        chat = state.chat(chat_id)
        if thread_id is not None:
            topic = state.topic(chat, thread_id)
            if topic is None:
                raise BadInput("message thread not found")
            if topic["closed"]:
                raise BadInput("TOPIC_CLOSED")
    elif chat_id == sender["id"]:
        chat, thread_id = state.chat(chat_id), None  # created below, once the input has passed
    else:
        raise BadInput("chat must be the sender's id (private chat) or the counsellor chat id")
    fields = _content(state, body, sender["id"])
    if body.get("anonymous"):  # an admin writing as the group: only in the counsellors' group
        if chat_id != state.config.counsellor_chat_id:
            raise BadInput("anonymous: only an admin of the counsellor chat can write as the group")
        sender, fields["sender_chat"] = GROUP_ANONYMOUS_BOT, True
    if body.get("reply_to") is not None:
        if chat is None or state.message(chat, integer(body, "reply_to")) is None:
            raise BadInput("message to be replied not found")
        fields["reply_to"] = integer(body, "reply_to")
    if chat_id == sender["id"]:
        chat = state.ensure_private_chat(sender)
        _set_blocked(state, sender["id"], False)  # writing to a blocked bot means "Restart" first
    record = state.add_message(chat, sender, thread_id=thread_id, **fields)
    state.push_update("message", message_json(state, chat, record))
    return record["message_id"]


async def post_press(request: web.Request) -> web.Response:
    state = request.config_dict[STANDIN_KEY]
    callback_id = press_one(state, await read_body(request))
    state.save()
    return web.json_response({"ok": True, "callback_query_id": callback_id})


def _acted_on(state: StandinState, body: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Who acts on which message (a press, a pin, an edit): the sender, the chat and the message."""
    sender = sender_of(state, body)
    chat = state.chat(integer(body, "chat"))
    record = state.message(chat, integer(body, "message_id")) if chat else None
    if chat is None or record is None:
        raise BadInput("message not found", 404)
    return sender, chat, record


def press_one(state: StandinState, body: dict[str, Any]) -> str:
    """What /api/press does, without saving; returns the callback query id."""
    if not isinstance(body, dict):
        raise BadInput("press must be an object")
    sender, chat, record = _acted_on(state, body)
    if chat["type"] == "private" and chat["id"] != sender["id"]:
        raise BadInput("only the chat's own user can press buttons in a private chat")
    if not isinstance(body.get("data"), str):
        raise BadInput("data must be a string")
    callback_id = str(secrets.randbits(63))
    state.add_callback(callback_id, chat["id"], record["message_id"])
    state.push_update(
        "callback_query",
        {
            "id": callback_id,
            "from": sender,
            "message": message_json(state, chat, record),
            "chat_instance": _chat_instance(chat["id"]),
            "data": body["data"],
        },
    )
    return callback_id


async def post_pin(request: web.Request) -> web.Response:
    """A user pins a message: Telegram tells the bot with a service message (`pinned_message`) in
    the same chat and topic. Only a group's admin, or either side of a private chat, can pin."""
    state = request.config_dict[STANDIN_KEY]
    body = await read_body(request)
    sender, chat, target = _acted_on(state, body)
    if chat["type"] == "private" and chat["id"] != sender["id"]:
        raise BadInput("only the chat's own user can pin in a private chat")
    if chat["type"] != "private" and sender["id"] not in state.config.counsellor_ids:
        raise BadInput("not enough rights to manage pinned messages in the chat", 403)
    pinned = message_json(state, chat, target, with_reply=False)
    record = state.add_message(chat, sender, thread_id=target["thread_id"], service={"pinned_message": pinned})
    state.push_update("message", message_json(state, chat, record))
    state.save()
    return web.json_response({"message_id": record["message_id"]})


async def post_edit(request: web.Request) -> web.Response:
    """A user edits a message they wrote: its text, a media message's caption, or a live location's
    place. The bot gets an `edited_message` update with the whole message as it now is."""
    state = request.config_dict[STANDIN_KEY]
    body = await read_body(request)
    sender, chat, record = _acted_on(state, body)
    if record["from"]["id"] != sender["id"] or record["service"] or record["forward_origin"]:
        raise BadInput("only the author can edit their own message", 403)
    if record["text"] is not None:
        text = str(body.get("text") or "")
        if not text.strip() or len(text) > 4096:
            raise BadInput("text must have 1 to 4096 characters")
        changes: dict[str, Any] = {"text": text, "html": html.escape(text, quote=False), "entities": None}
    elif record["media"] is not None and record["media"]["type"] not in CAPTIONLESS:
        caption = str(body.get("caption") or "")
        if len(caption) > 1024:
            raise BadInput("caption must have at most 1024 characters")
        changes = {"caption": caption or None, "caption_html": html.escape(caption, quote=False) or None}
        if body.get("media") is not None:  # the file swapped for another, as Telegram's apps allow
            changes["media"] = _swapped_media(state, record, body["media"])
    elif record["location"] is not None:  # a live location moving: Telegram sends it as edits
        try:
            changes = {"location": {"latitude": float(body["location"]["latitude"]),
                                    "longitude": float(body["location"]["longitude"])}}
        except (KeyError, TypeError, ValueError):
            raise BadInput("location is incomplete") from None
    else:
        raise BadInput("only a text, a caption or a location can be edited here")
    if all(record.get(key) == value for key, value in changes.items()):
        raise BadInput("message is not modified")
    record.update(changes)
    record["edit_date"] = state.now()
    state.push_update("edited_message", message_json(state, chat, record))
    state.save()
    return web.json_response({"ok": True})


def _swapped_media(state: StandinState, record: dict[str, Any], media: Any) -> dict[str, Any]:
    if record["media"]["type"] not in SWAPPABLE:
        raise BadInput("a voice message's file cannot be swapped")
    if not isinstance(media, dict) or media.get("type") not in SWAPPABLE:
        raise BadInput(f"media.type must be one of {', '.join(SWAPPABLE)}")
    info = state.register_file(media.get("file_id") or None, media["type"])
    return {"type": media["type"], "file_id": info["file_id"]}


def _chat_instance(chat_id: int) -> str:
    """Stable per chat (also across restarts), opaque like Telegram's."""
    return str(int(hashlib.sha256(f"chat-instance:{chat_id}".encode()).hexdigest()[:15], 16))


async def post_block(request: web.Request) -> web.Response:
    state = request.config_dict[STANDIN_KEY]
    body = await read_body(request)
    _set_blocked(state, integer(body, "user"), bool(body.get("blocked", True)))
    state.save()
    return web.json_response({"ok": True})
