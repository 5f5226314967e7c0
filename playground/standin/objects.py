"""Telegram JSON objects built from stored records: chats, messages, media, chat members.

Shapes follow the Bot API reference closely enough for aiogram's models to parse them; fields a
real server sends that aiogram requires (e.g. ChatFullInfo.accent_color_id) are always present.
"""

from __future__ import annotations

from typing import Any

from playground.standin.state import StandinState

MEDIA_TYPES = ("photo", "voice", "video", "document", "sticker", "video_note", "audio", "animation")
CAPTIONLESS = ("sticker", "video_note")  # Telegram gives these no caption
SWAPPABLE = ("photo", "video", "animation", "audio", "document")  # what an edit can swap a file for

# Rights of an administrator who may do everything a bot in the counsellors' group needs.
_ADMIN_RIGHTS = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": True,
    "can_edit_stories": True,
    "can_delete_stories": True,
    "can_send_welcome_messages": True,
    "can_pin_messages": True,
    "can_manage_topics": True,
}
_NO_GIFTS = {
    "unlimited_gifts": False,
    "limited_gifts": False,
    "unique_gifts": False,
    "premium_subscription": False,
    "gifts_from_channels": False,
}


def public_user(user: dict[str, Any]) -> dict[str, Any]:
    """A User object as others see it: language_code is only shown for the update's own sender."""
    return {key: value for key, value in user.items() if key != "language_code"}


def chat_json(state: StandinState, chat: dict[str, Any]) -> dict[str, Any]:
    if chat["type"] == "private":
        user = state.user(chat["id"])
        out = {"id": chat["id"], "type": "private", "first_name": user["first_name"]}
        for key in ("last_name", "username"):
            if key in user:
                out[key] = user[key]
        return out
    return {
        "id": chat["id"],
        "type": chat["type"],
        "title": chat["title"],
        "is_forum": chat.get("is_forum", False),
    }


def full_chat_json(state: StandinState, chat: dict[str, Any]) -> dict[str, Any]:
    """ChatFullInfo for getChat."""
    return {
        **chat_json(state, chat),
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": dict(_NO_GIFTS),
    }


def media_json(info: dict[str, Any]) -> Any:
    """The media object (PhotoSize list for photos) with the fields Telegram always fills."""
    kind = info["type"]
    base: dict[str, Any] = {"file_id": info["file_id"], "file_unique_id": info["file_unique_id"]}
    if info.get("file_size"):
        base["file_size"] = info["file_size"]
    duration = int(info.get("duration") or 1)
    width, height = int(info.get("width") or 1280), int(info.get("height") or 720)
    named = {key: info[key] for key in ("file_name", "mime_type") if info.get(key)}
    if kind == "photo":
        return [{**base, "width": width, "height": height}]
    if kind == "voice":
        return {**base, "duration": duration, "mime_type": info.get("mime_type") or "audio/ogg"}
    if kind == "video":
        return {**base, "width": width, "height": height, "duration": duration, **named}
    if kind == "animation":
        return {**base, "width": width, "height": height, "duration": duration, **named}
    if kind == "audio":
        return {**base, "duration": duration, **named}
    if kind == "sticker":
        return {
            **base,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": info.get("emoji") or "🙂",
        }
    if kind == "video_note":
        return {**base, "length": int(info.get("length") or 240), "duration": duration}
    return {**base, **named}  # document


def message_json(
    state: StandinState, chat: dict[str, Any], record: dict[str, Any], *, with_reply: bool = True
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "message_id": record["message_id"],
        "from": record["from"],
        "date": record["date"],
        "chat": chat_json(state, chat),
    }
    if record.get("sender_chat"):
        out["sender_chat"] = chat_json(state, chat)
    if record["thread_id"] is not None:
        out["message_thread_id"] = record["thread_id"]
        out["is_topic_message"] = True
    if record["forward_origin"]:
        out["forward_origin"] = record["forward_origin"]
    if with_reply:
        reply = _replied(state, chat, record)
        if reply is not None:
            out["reply_to_message"] = message_json(state, chat, reply, with_reply=False)
    if record["edit_date"]:
        out["edit_date"] = record["edit_date"]
    if record["text"] is not None:
        out["text"] = record["text"]
        if record.get("entities"):
            out["entities"] = record["entities"]
    if record["media"]:
        info = state.data["files"][record["media"]["file_id"]]
        out[info["type"]] = media_json(info)
        if info["type"] == "animation":
            out["document"] = media_json({**info, "type": "document"})  # Telegram sends both
    if record["caption"]:
        out["caption"] = record["caption"]
    if record["location"]:
        out["location"] = record["location"]
    if record["contact"]:
        out["contact"] = record["contact"]
    if record["service"]:
        out.update(record["service"])
    markup = record["reply_markup"]
    if markup and "inline_keyboard" in markup and markup["inline_keyboard"]:
        out["reply_markup"] = {"inline_keyboard": markup["inline_keyboard"]}
    return out


def _replied(state: StandinState, chat: dict[str, Any], record: dict[str, Any]) -> dict[str, Any] | None:
    """The message this one answers; in a forum topic, by default the topic's creation message."""
    if record["reply_to"] is not None:
        return state.message(chat, record["reply_to"])
    thread_id = record["thread_id"]
    if thread_id is not None and thread_id != record["message_id"]:
        # Telegram quirk worth copying: every plain message in a topic "replies" to its creation.
        return state.message(chat, thread_id)
    return None


def member_json(state: StandinState, chat: dict[str, Any], user_id: int) -> dict[str, Any]:
    """ChatMember for getChatMember, by the roles the playground was configured with."""
    user = public_user(state.user(user_id))
    config = state.config
    if chat["type"] == "private":
        if user_id not in (chat["id"], config.bot_id):
            return {"status": "left", "user": user}
        return {"status": "member", "user": user}
    if user_id == config.bot_id:
        return (
            {"status": "left", "user": user}
            if chat["left"]
            else {"status": "administrator", "user": user, **_ADMIN_RIGHTS}
        )
    if chat["id"] == config.counsellor_chat_id:
        if user_id in config.counsellor_ids:
            return {"status": "administrator", "user": user, **_ADMIN_RIGHTS}
        if user_id in config.editor_ids:
            return {"status": "member", "user": user}
    return {"status": "left", "user": user}


def administrators_json(state: StandinState, chat: dict[str, Any]) -> list[dict[str, Any]]:
    if chat["type"] == "private":
        return [member_json(state, chat, chat["id"]), member_json(state, chat, state.config.bot_id)]
    ids = (
        [state.config.bot_id, *state.config.counsellor_ids]
        if chat["id"] == state.config.counsellor_chat_id
        else [state.config.bot_id]
    )
    members = [member_json(state, chat, user_id) for user_id in ids]
    return [member for member in members if member["status"] == "administrator"]
