"""Bot API methods that put a new message in a chat: send*, copyMessage(s), forwardMessage."""

from __future__ import annotations

import mimetypes
from collections.abc import Awaitable, Callable
from typing import Any

from playground.standin import content
from playground.standin.errors import bad_request
from playground.standin.objects import CAPTIONLESS, MEDIA_TYPES, message_json, public_user
from playground.standin.params import Params, Upload
from playground.standin.state import StandinState

Handler = Callable[[StandinState, Params], Awaitable[Any]]
_MEDIA_META = ("duration", "width", "height", "length")


def _send(state: StandinState, p: Params, **fields: Any) -> dict[str, Any]:
    """Common tail of every send method: target, reply, markup, store, answer the Message."""
    chat, thread_id = content.target(state, p)
    reply = content.reply_to(state, chat, p)
    markup = content.reply_markup(p)
    record = state.add_message(
        chat, state.config.bot_user, thread_id=thread_id, reply_to=reply, reply_markup=markup, **fields
    )
    return message_json(state, chat, record)


async def send_message(state: StandinState, p: Params) -> dict[str, Any]:
    plain, rendered = content.message_text(p)
    return _send(state, p, text=plain, html=rendered)


def file_info(state: StandinState, kind: str, value: str | Upload, p: Params) -> dict[str, Any]:
    """Register the sent file: an upload or URL gets a new file_id, a file_id must be known."""
    meta = {key: p.integer(key) for key in _MEDIA_META if p.has(key)}
    if isinstance(value, Upload):
        mime = (
            value.content_type
            if value.content_type != "application/octet-stream"
            else mimetypes.guess_type(value.filename)[0]
        )
        return state.register_file(
            None, kind, file_size=len(value.data), file_name=value.filename, mime_type=mime, **meta
        )
    if value.startswith(("http://", "https://")):
        return state.register_file(None, kind, file_name=value.rsplit("/", 1)[-1], **meta)
    if value not in state.data["files"]:
        raise bad_request("wrong file identifier/HTTP URL specified")
    return state.data["files"][value]


def _media_method(kind: str) -> Handler:
    async def send_media(state: StandinState, p: Params) -> dict[str, Any]:
        state.require_chat(p.values.get("chat_id"))  # chat errors come before file errors
        info = file_info(state, kind, p.file(kind), p)
        plain, rendered = (None, None) if kind in CAPTIONLESS else content.caption(p)
        return _send(
            state, p, media={"type": kind, "file_id": info["file_id"]}, caption=plain, caption_html=rendered
        )

    send_media.__name__ = f"send_{kind}"
    return send_media


async def send_location(state: StandinState, p: Params) -> dict[str, Any]:
    latitude, longitude = p.number("latitude"), p.number("longitude")
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise bad_request("wrong coordinates")  # Telegram refuses impossible places
    return _send(state, p, location={"latitude": latitude, "longitude": longitude})


async def send_contact(state: StandinState, p: Params) -> dict[str, Any]:
    contact = {"phone_number": p.text("phone_number"), "first_name": p.text("first_name")}
    if p.has("last_name"):
        contact["last_name"] = p.text("last_name")
    if p.has("user_id"):
        contact["user_id"] = p.integer("user_id")
    return _send(state, p, contact=contact)


CAPTION_LIMIT = 1024
_COPIED = ("text", "html", "entities", "media", "caption", "caption_html", "location", "contact")


def _source(state: StandinState, p: Params, what: str) -> tuple[dict[str, Any], dict[str, Any]]:
    chat = state.require_chat(p.values.get("from_chat_id"))
    record = state.message(chat, p.integer("message_id"))
    if record is None:
        raise bad_request(f"message to {what} not found")
    if record["service"]:
        raise bad_request(f"message can't be {what}ed")
    return chat, record


def _copy_fields(record: dict[str, Any], p: Params, *, remove_caption: bool = False) -> dict[str, Any]:
    fields = {key: record[key] for key in _COPIED if record.get(key) is not None}
    if record["media"] and (remove_caption or p.has("caption")):
        fields["caption"], fields["caption_html"] = content.caption(p)
    elif len(fields.get("caption") or "") > CAPTION_LIMIT:
        # A Premium user's long caption cannot be copied by a bot as it is (bots have the 1024 limit).
        raise bad_request("message caption is too long")
    return fields


async def copy_message(state: StandinState, p: Params) -> dict[str, int]:
    """A copy looks like the bot's own message: same content, no trace of who wrote it."""
    _, record = _source(state, p, "copy")
    copied = _send(state, p, **_copy_fields(record, p, remove_caption=p.flag("remove_caption")))
    return {"message_id": copied["message_id"]}


async def copy_messages(state: StandinState, p: Params) -> list[dict[str, int]]:
    from_chat = state.require_chat(p.values.get("from_chat_id"))
    ids = p.obj("message_ids", what="message identifiers")
    if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
        raise bad_request("message identifiers are not specified")
    if ids != sorted(ids):
        raise bad_request("message identifiers must be in a strictly increasing order")
    copied = []
    for message_id in ids:
        record = state.message(from_chat, message_id)
        if record is None or record["service"]:
            continue  # Telegram skips what it cannot find or copy
        fields = _copy_fields(record, p, remove_caption=p.flag("remove_caption"))
        copied.append({"message_id": _send(state, p, **fields)["message_id"]})
    return copied


async def forward_message(state: StandinState, p: Params) -> dict[str, Any]:
    """A forward shows its origin; the bot must never use this for users' messages."""
    _, record = _source(state, p, "forward")
    origin = record["forward_origin"] or {
        "type": "user",
        "sender_user": public_user(record["from"]),
        "date": record["date"],
    }
    fields = {key: record[key] for key in _COPIED if record.get(key) is not None}
    return _send(state, p, forward_origin=origin, **fields)


async def get_file(state: StandinState, p: Params) -> dict[str, Any]:
    """A file's download path: GET /file/bot<token>/<file_path> gives its bytes (made up here)."""
    info = state.data["files"].get(p.text("file_id"))
    if info is None:
        raise bad_request("wrong file_id or the file is temporarily unavailable")
    return {"file_id": info["file_id"], "file_unique_id": info["file_unique_id"],
            "file_size": info.get("file_size") or len(file_bytes(info["file_id"])),
            "file_path": f"{info['type']}s/{info['file_id']}"}


def file_bytes(file_id: str) -> bytes:
    """What a stand-in file holds: its id, so a test can tell which file arrived."""
    return f"stand-in file {file_id}".encode()


METHODS: dict[str, Handler] = {
    "getFile": get_file,
    "sendMessage": send_message,
    "sendLocation": send_location,
    "sendContact": send_contact,
    "copyMessage": copy_message,
    "copyMessages": copy_messages,
    "forwardMessage": forward_message,
    **{
        "send" + "".join(part.title() for part in kind.split("_")): _media_method(kind)
        for kind in MEDIA_TYPES
    },
}
