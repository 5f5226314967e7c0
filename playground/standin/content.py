"""Checks on what the bot sends, with Telegram's limits and error wording.

Text is measured after entity parsing (the plain text the user sees), as Telegram does; HTML is
checked with the same checker the knowledge base uses, so a text that passes here passes there.
"""

from __future__ import annotations

import html
from typing import Any

from knowledge.telegram_html import TelegramHTMLError, check_html
from playground.standin.errors import bad_request, forbidden
from playground.standin.params import Params
from playground.standin.state import StandinState

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64  # bytes, not characters
_URL_PREFIXES = ("http://", "https://", "tg://", "mailto:")


def parse_text(raw: str, parse_mode: str | None) -> tuple[str, str]:
    """Return (plain text as shown, HTML to render it); Markdown modes are shown as written."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        try:
            return check_html(raw), raw
        except TelegramHTMLError as error:
            raise bad_request(f"can't parse entities: {error}") from None
    if mode in ("", "markdown", "markdownv2"):
        return raw, html.escape(raw, quote=False)
    raise bad_request(f"unsupported parse_mode {parse_mode!r}")


def message_text(p: Params, name: str = "text") -> tuple[str, str]:
    plain, rendered = parse_text(p.text(name, ""), p.text("parse_mode", None))
    if not plain.strip():
        raise bad_request("message text is empty")
    if len(plain) > TEXT_LIMIT:
        raise bad_request("message is too long")
    return plain, rendered


def caption(p: Params, name: str = "caption") -> tuple[str | None, str | None]:
    raw = p.text(name, None)
    if raw is None or raw == "":
        return None, None
    plain, rendered = parse_text(raw, p.text("parse_mode", None))
    if len(plain) > CAPTION_LIMIT:
        raise bad_request("message caption is too long")
    return (plain, rendered) if plain.strip() else (None, None)


def reply_markup(p: Params) -> dict[str, Any] | None:
    markup = p.obj("reply_markup", what="reply keyboard markup")
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        _check_inline_keyboard(markup["inline_keyboard"])
        if not markup["inline_keyboard"]:
            return None  # an empty keyboard is no keyboard (so "not modified" compares equal)
    elif not {"keyboard", "remove_keyboard", "force_reply"} & markup.keys():
        raise bad_request("can't parse reply keyboard markup JSON object")
    return markup


def _check_inline_keyboard(rows: Any) -> None:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays')
    for row in rows:
        for button in row:
            if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                raise bad_request("can't parse inline keyboard button: Text must be a String")
            if "callback_data" in button:
                data = button["callback_data"]
                if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= CALLBACK_DATA_LIMIT:
                    raise bad_request("BUTTON_DATA_INVALID")
            elif "url" in button:
                if not str(button["url"]).startswith(_URL_PREFIXES):
                    raise bad_request(
                        f"inline keyboard button URL '{button['url']}' is invalid: Wrong HTTP URL"
                    )
            elif (
                not {
                    "web_app",
                    "login_url",
                    "switch_inline_query",
                    "switch_inline_query_current_chat",
                    "switch_inline_query_chosen_chat",
                    "copy_text",
                    "callback_game",
                    "pay",
                }
                & button.keys()
            ):
                raise bad_request(
                    "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
                )


def target(state: StandinState, p: Params, chat_field: str = "chat_id") -> tuple[dict[str, Any], int | None]:
    """The chat and forum thread a message goes to, refused as Telegram would refuse it."""
    if not p.has(chat_field):
        raise bad_request(f"{chat_field} is empty")
    chat = state.require_chat(p.values[chat_field])
    if chat["left"]:
        raise forbidden("bot is not a member of the supergroup chat")
    if chat["type"] == "private" and state.is_deactivated(chat["id"]):
        raise forbidden("user is deactivated")
    if chat["type"] == "private" and state.is_blocked(chat["id"]):
        raise forbidden("bot was blocked by the user")
    thread_id = p.integer("message_thread_id", None)
    if thread_id is None or chat["type"] == "private" or not chat.get("is_forum"):
        return chat, None  # Telegram ignores a thread id outside forums
    topic = state.topic(chat, thread_id)
    if topic is None:
        raise bad_request("message thread not found")
    if topic["closed"]:
        raise bad_request("TOPIC_CLOSED")
    return chat, thread_id


def reply_to(state: StandinState, chat: dict[str, Any], p: Params) -> int | None:
    """The replied-to message id from reply_parameters (or the older reply_to_message_id)."""
    params = p.obj("reply_parameters", what="reply parameters")
    if params is None and p.has("reply_to_message_id"):
        params = {
            "message_id": p.integer("reply_to_message_id"),
            "allow_sending_without_reply": p.flag("allow_sending_without_reply"),
        }
    if not params:
        return None
    if not isinstance(params, dict) or "message_id" not in params:
        raise bad_request("can't parse reply parameters JSON object")
    same_chat = params.get("chat_id") in (None, chat["id"], str(chat["id"]))
    message_id = params["message_id"]
    if same_chat and state.message(chat, message_id) is not None:
        return int(message_id)
    if params.get("allow_sending_without_reply"):
        return None
    raise bad_request("message to be replied not found")
