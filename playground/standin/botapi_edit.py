"""Bot API methods that change or remove existing messages, and answerCallbackQuery."""

from __future__ import annotations

from typing import Any

from playground.standin import content
from playground.standin.botapi_send import Handler, file_info
from playground.standin.errors import BotAPIError, bad_request
from playground.standin.objects import SWAPPABLE, message_json
from playground.standin.params import Params
from playground.standin.state import StandinState

DELETE_LIMIT_SECONDS = 48 * 3600
ALERTS_KEPT = 50  # the page shows only new ones; old ones need not pile up on disk
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


def _editable(state: StandinState, p: Params) -> tuple[dict[str, Any], dict[str, Any]]:
    if p.has("inline_message_id"):
        raise bad_request("message to edit not found")  # no inline mode in the playground
    chat = state.require_chat(p.values.get("chat_id"))
    record = state.message(chat, p.integer("message_id"))
    if record is None:
        raise bad_request("message to edit not found")
    if record["from"]["id"] != state.config.bot_id or record["service"] or record["forward_origin"]:
        raise bad_request("message can't be edited")
    return chat, record


def _apply(
    state: StandinState, chat: dict[str, Any], record: dict[str, Any], changes: dict[str, Any]
) -> dict[str, Any]:
    if all(record.get(key) == value for key, value in changes.items()):
        raise bad_request(_NOT_MODIFIED)
    record.update(changes)
    record["edit_date"] = state.now()
    return message_json(state, chat, record)


async def edit_message_text(state: StandinState, p: Params) -> dict[str, Any]:
    chat, record = _editable(state, p)
    if record["text"] is None:
        raise bad_request("there is no text in the message to edit")
    plain, rendered = content.message_text(p)
    # Telegram drops the keyboard when an edit does not repeat it.
    return _apply(
        state, chat, record, {"text": plain, "html": rendered, "reply_markup": content.reply_markup(p)}
    )


async def edit_message_caption(state: StandinState, p: Params) -> dict[str, Any]:
    chat, record = _editable(state, p)
    if record["media"] is None:
        raise bad_request("there is no caption in the message to edit")
    plain, rendered = content.caption(p)
    return _apply(
        state,
        chat,
        record,
        {"caption": plain, "caption_html": rendered, "reply_markup": content.reply_markup(p)},
    )


async def edit_message_media(state: StandinState, p: Params) -> dict[str, Any]:
    """Another file (a photo for a photo, or a document...) with its own caption, as in InputMedia."""
    chat, record = _editable(state, p)
    if record["media"] is None or record["media"]["type"] not in SWAPPABLE:
        raise bad_request("there is no media in the message to edit")
    media = p.obj("media", what="input media")
    if not isinstance(media, dict) or media.get("type") not in SWAPPABLE:
        raise bad_request("can't parse InputMedia: media type is invalid")
    inner = Params(media, p.uploads)  # its file, caption and parse_mode are read like a send's
    kind = media["type"]
    info = file_info(state, kind, inner.file("media"), inner)
    plain, rendered = content.caption(inner)
    changes = {"media": {"type": kind, "file_id": info["file_id"]}, "caption": plain, "caption_html": rendered,
               "reply_markup": content.reply_markup(p)}
    return _apply(state, chat, record, changes)


async def edit_message_reply_markup(state: StandinState, p: Params) -> dict[str, Any]:
    chat, record = _editable(state, p)
    return _apply(state, chat, record, {"reply_markup": content.reply_markup(p)})


def _delete(state: StandinState, chat: dict[str, Any], message_id: Any) -> None:
    record = state.message(chat, message_id)
    if record is None:
        raise bad_request("message to delete not found")
    if record["service"] and "forum_topic_created" in record["service"]:
        raise bad_request("message can't be deleted")
    if state.now() - record["date"] > DELETE_LIMIT_SECONDS:
        raise bad_request("message can't be deleted")
    record["deleted"] = True


async def delete_message(state: StandinState, p: Params) -> bool:
    chat = state.require_chat(p.values.get("chat_id"))
    _delete(state, chat, p.integer("message_id"))
    return True


async def delete_messages(state: StandinState, p: Params) -> bool:
    chat = state.require_chat(p.values.get("chat_id"))
    ids = p.obj("message_ids", what="message identifiers")
    if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
        raise bad_request("message identifiers are not specified")
    for message_id in ids:
        try:
            _delete(state, chat, message_id)
        except BotAPIError:
            continue  # Telegram skips the messages it cannot delete
    return True


async def answer_callback_query(state: StandinState, p: Params) -> bool:
    callback = state.data["callbacks"].get(p.text("callback_query_id"))
    if callback is None or callback["answered"]:
        raise bad_request("query is too old and response timeout expired or query ID is invalid")
    text = p.text("text", "")
    if len(text) > 200:
        raise bad_request("MESSAGE_TOO_LONG")  # callback answers are capped at 200 characters
    callback["answered"] = True
    if text:
        chat = state.chat(callback["chat_id"])
        if chat is not None:
            chat["alerts"].append({"text": text, "show_alert": p.flag("show_alert")})
            del chat["alerts"][:-ALERTS_KEPT]
    return True


METHODS: dict[str, Handler] = {
    "editMessageText": edit_message_text,
    "editMessageCaption": edit_message_caption,
    "editMessageMedia": edit_message_media,
    "editMessageReplyMarkup": edit_message_reply_markup,
    "deleteMessage": delete_message,
    "deleteMessages": delete_messages,
    "answerCallbackQuery": answer_callback_query,
}
