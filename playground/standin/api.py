"""The JSON test API under /api: act as users and counsellors, look at chats, steer failures.

Its shapes are a contract that tests and the web page rely on; add fields, never rename them.
Errors are `{"error": "..."}` with 400 (bad input) or 404 (no such message).
"""

from __future__ import annotations

import hashlib
import html
import re
import secrets
from typing import Any

from aiohttp import web

from playground.standin.objects import MEDIA_TYPES, message_json
from playground.standin.state import STANDIN_KEY, StandinState
from playground.standin.views import chat_view, chats_list

FAULT_CODES = (429, 500, 502, 503)
_COMMAND = re.compile(r"^/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]+)?")


class BadInput(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _int(body: dict[str, Any], key: str) -> int:
    value = body.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).lstrip("-").isdigit():
        raise BadInput(f"{key} must be an integer")
    return int(value)


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise BadInput("the body must be a JSON object") from None
    if not isinstance(body, dict):
        raise BadInput("the body must be a JSON object")
    return body


def _sender(state: StandinState, body: dict[str, Any]) -> dict[str, Any]:
    sender = body.get("from")
    if not isinstance(sender, dict):
        raise BadInput("from must be an object with id and first_name")
    _int(sender, "id")
    return state.remember_user(sender)


@web.middleware
async def _errors(request: web.Request, handler: Any) -> web.StreamResponse:
    try:
        return await handler(request)
    except BadInput as error:
        return web.json_response({"error": str(error)}, status=error.status)


async def get_config(request: web.Request) -> web.Response:
    config = request.config_dict[STANDIN_KEY].config
    return web.json_response({"counsellor_chat_id": config.counsellor_chat_id,
                              "counsellor_ids": config.counsellor_ids, "editor_ids": config.editor_ids})


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
    state.push_update("my_chat_member", {
        "chat": {"id": user_id, "type": "private", "first_name": user["first_name"]}, "from": user,
        "date": state.now(), "old_chat_member": member if blocked else kicked,
        "new_chat_member": kicked if blocked else member,
    })


def _content(state: StandinState, body: dict[str, Any]) -> dict[str, Any]:
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
            return {"location": {"latitude": float(location["latitude"]),
                                 "longitude": float(location["longitude"])}}
        if "contact" in kinds:
            contact = body["contact"]
            return {"contact": {"phone_number": str(contact["phone_number"]),
                                "first_name": str(contact["first_name"])}}
    except (KeyError, TypeError, ValueError):
        raise BadInput(f"{kinds[0]} is incomplete") from None
    media = body["media"]
    if not isinstance(media, dict) or media.get("type") not in MEDIA_TYPES:
        raise BadInput(f"media.type must be one of {', '.join(MEDIA_TYPES)}")
    info = state.register_file(media.get("file_id") or None, media["type"])
    caption = body.get("caption")
    fields = {"media": {"type": media["type"], "file_id": info["file_id"]}}
    if caption:
        if len(str(caption)) > 1024:
            raise BadInput("caption must have at most 1024 characters")
        fields.update(caption=str(caption), caption_html=html.escape(str(caption), quote=False))
    return fields


async def post_send(request: web.Request) -> web.Response:
    state = request.config_dict[STANDIN_KEY]
    body = await _body(request)
    sender = _sender(state, body)
    chat_id = _int(body, "chat")
    thread_id = _int(body, "thread_id") if body.get("thread_id") is not None else None
    if chat_id == state.config.counsellor_chat_id:
        chat = state.chat(chat_id)
        if thread_id is not None:
            topic = state.topic(chat, thread_id)
            if topic is None:
                raise BadInput("message thread not found")
            if topic["closed"]:
                raise BadInput("TOPIC_CLOSED")
    elif chat_id == sender["id"]:
        chat, thread_id = state.ensure_private_chat(sender), None
        _set_blocked(state, sender["id"], False)  # writing to a blocked bot means "Restart" first
    else:
        raise BadInput("chat must be the sender's id (private chat) or the counsellor chat id")
    fields = _content(state, body)
    if body.get("reply_to") is not None:
        if state.message(chat, _int(body, "reply_to")) is None:
            raise BadInput("message to be replied not found")
        fields["reply_to"] = _int(body, "reply_to")
    record = state.add_message(chat, sender, thread_id=thread_id, **fields)
    state.push_update("message", message_json(state, chat, record))
    state.save()
    return web.json_response({"message_id": record["message_id"]})


async def post_press(request: web.Request) -> web.Response:
    state = request.config_dict[STANDIN_KEY]
    body = await _body(request)
    sender = _sender(state, body)
    chat = state.chat(_int(body, "chat"))
    record = state.message(chat, _int(body, "message_id")) if chat else None
    if record is None:
        raise BadInput("message not found", 404)
    if not isinstance(body.get("data"), str):
        raise BadInput("data must be a string")
    callback_id = str(secrets.randbits(63))
    state.add_callback(callback_id, chat["id"], record["message_id"])
    state.push_update("callback_query", {
        "id": callback_id, "from": sender, "message": message_json(state, chat, record),
        "chat_instance": _chat_instance(chat["id"]), "data": body["data"],
    })
    state.save()
    return web.json_response({"ok": True, "callback_query_id": callback_id})


def _chat_instance(chat_id: int) -> str:
    """Stable per chat (also across restarts), opaque like Telegram's."""
    return str(int(hashlib.sha256(f"chat-instance:{chat_id}".encode()).hexdigest()[:15], 16))


async def get_chats(request: web.Request) -> web.Response:
    return web.json_response(chats_list(request.config_dict[STANDIN_KEY]))


async def get_chat(request: web.Request) -> web.Response:
    state = request.config_dict[STANDIN_KEY]
    try:
        chat = state.chat(int(request.match_info["chat_id"]))
    except ValueError:
        raise BadInput("chat id must be an integer") from None
    return web.json_response(chat_view(state, chat))


async def post_block(request: web.Request) -> web.Response:
    state = request.config_dict[STANDIN_KEY]
    body = await _body(request)
    _set_blocked(state, _int(body, "user"), bool(body.get("blocked", True)))
    state.save()
    return web.json_response({"ok": True})


async def get_calls(request: web.Request) -> web.Response:
    method = request.query.get("method")
    calls = [call for call in request.config_dict[STANDIN_KEY].calls if method is None or call["method"] == method]
    return web.json_response({"calls": calls})


async def delete_calls(request: web.Request) -> web.Response:
    request.config_dict[STANDIN_KEY].calls.clear()
    return web.json_response({"ok": True})


async def post_age(request: web.Request) -> web.Response:
    state = request.config_dict[STANDIN_KEY]
    body = await _body(request)
    chat = state.chat(_int(body, "chat"))
    record = chat["messages"].get(str(_int(body, "message_id"))) if chat else None
    if record is None:
        raise BadInput("message not found", 404)
    record["date"] -= _int(body, "seconds")
    state.save()
    return web.json_response({"ok": True, "date": record["date"]})


async def post_faults(request: web.Request) -> web.Response:
    body = await _body(request)
    code = _int(body, "code")
    if code not in FAULT_CODES:
        raise BadInput(f"code must be one of {FAULT_CODES}")
    method = body.get("method")
    if method is not None and not isinstance(method, str):
        raise BadInput("method must be a string or null")
    count = _int(body, "count") if "count" in body else 1
    retry_after = _int(body, "retry_after") if "retry_after" in body else 1
    request.config_dict[STANDIN_KEY].faults.add(method, code, count, retry_after)
    return web.json_response({"ok": True})


async def delete_faults(request: web.Request) -> web.Response:
    request.config_dict[STANDIN_KEY].faults.clear()
    return web.json_response({"ok": True})


def api_app() -> web.Application:
    """A sub-application mounted at /api, with its own error middleware."""
    api = web.Application(middlewares=[_errors])
    api.add_routes([
        web.get("/config", get_config),
        web.post("/send", post_send),
        web.post("/press", post_press),
        web.get("/chats", get_chats),
        web.get("/chats/{chat_id}", get_chat),
        web.post("/block", post_block),
        web.get("/calls", get_calls),
        web.delete("/calls", delete_calls),
        web.post("/age", post_age),
        web.post("/faults", post_faults),
        web.delete("/faults", delete_faults),
    ])
    return api
