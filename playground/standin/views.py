"""What GET /api/chats shows: each chat as a user would see it, in a flat, stable JSON shape."""

from __future__ import annotations

import json
from typing import Any

from playground.standin.state import StandinState


def _buttons(markup: dict[str, Any] | None) -> list[list[dict[str, str]]]:
    if not markup or "inline_keyboard" not in markup:
        return []
    rows = []
    for row in markup["inline_keyboard"]:
        shown = []
        for button in row:
            item = {"text": button["text"]}
            if "callback_data" in button:
                item["data"] = button["callback_data"]
            if "url" in button:
                item["url"] = button["url"]
            shown.append(item)
        rows.append(shown)
    return rows


def message_view(state: StandinState, record: dict[str, Any]) -> dict[str, Any]:
    sender = record["from"]
    is_text = record["text"] is not None
    return {
        "message_id": record["message_id"],
        "from_bot": sender["id"] == state.config.bot_id,
        "from": {"id": sender["id"], "first_name": sender["first_name"]},
        "text": record["text"],
        # HTML that renders what the user sees: the bot's own HTML, or escaped plain text.
        "html": record["html"] if is_text else record["caption_html"],
        "thread_id": record["thread_id"],
        "buttons": _buttons(record["reply_markup"]),
        "deleted": record["deleted"],
        "media": _media_view(state, record["media"]),
        "caption": record["caption"],
        "forward_origin": record["forward_origin"],
        "date": record["date"],
        # Additions beyond the brief's shape, for the page and for finer tests.
        "edit_date": record["edit_date"],
        "reply_to": record["reply_to"],
        "service": next(iter(record["service"]), None) if record["service"] else None,
        "location": record["location"],
        "contact": record["contact"],
    }


def chat_view(state: StandinState, chat: dict[str, Any] | None) -> dict[str, Any]:
    """A chat nobody has written in yet is shown empty rather than as an error (the page polls it)."""
    if chat is None:
        return {"messages": [], "topics": [], "alerts": []}
    messages = sorted(chat["messages"].values(), key=lambda record: record["message_id"])
    topics = sorted((t for t in chat["topics"].values() if not t["deleted"]), key=lambda t: t["thread_id"])
    return {
        "messages": [message_view(state, record) for record in messages],
        "topics": [
            {
                "thread_id": t["thread_id"],
                "name": t["name"],
                "closed": t["closed"],
                "icon_color": t["icon_color"],
            }
            for t in topics
        ],
        "alerts": list(chat["alerts"]),
    }


def chats_list(state: StandinState) -> dict[str, Any]:
    chats = []
    for chat in state.data["chats"].values():
        title = chat.get("title") or state.user(chat["id"])["first_name"]
        chats.append(
            {
                "id": chat["id"],
                "type": chat["type"],
                "title": title,
                "blocked": chat["type"] == "private" and state.is_blocked(chat["id"]),
            }
        )
    return {"chats": chats}


def _media_view(state: StandinState, media: dict[str, Any] | None) -> dict[str, Any] | None:
    """The message's file, with the name a document shows (Telegram shows it to whoever receives it)."""
    if not media:
        return None
    name = state.data["files"].get(media["file_id"], {}).get("file_name")
    return {**media, "file_name": name} if name and media["type"] == "document" else dict(media)


def command_menu(state: StandinState, chat_id: int, language: str) -> list[dict[str, str]]:
    """The commands set for this chat as Telegram picks them: the narrowest scope that has any, the
    user's language before none (https://core.telegram.org/bots/api#determining-list-of-commands)."""
    chat = state.chat(chat_id)
    private = chat is None or chat["type"] == "private"
    scopes = [{"type": "chat", "chat_id": chat_id}]
    scopes.append({"type": "all_private_chats"} if private else {"type": "all_group_chats"})
    scopes.append({"type": "default"})
    stored = state.data["commands"]
    for scope in scopes:
        for lang in (language, ""):
            found = stored.get(f"{json.dumps(scope, sort_keys=True)}|{lang}")
            if found:
                return list(found)
    return []
