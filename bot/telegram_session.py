"""The HTTP session the bot talks to the Bot API with: aiogram's own, with two costs taken out.

aiogram parses every reply as `Response[T]` (T = what the method returns). pydantic keeps such
parametrised classes only in a weak cache, so after a garbage collection each is built again from
scratch — milliseconds of schema building on a call that otherwise takes a fraction of one. Holding
them here makes that a dictionary lookup. JSON goes through orjson, which is several times faster
than the standard library for the bodies the bot sends and receives on every update. Calls are sent
as one JSON body (the Bot API takes either), not as a form whose every field aiogram encodes to JSON
text and then URL-quotes; uploads, which the bot does not make, would still go as multipart forms.
A keyboard built once and sent many times (`reused_keyboard`) is turned into its JSON form once:
walking its buttons in aiogram's `prepare_value` cost more than the rest of the call.
"""

from __future__ import annotations

from typing import Any

import orjson
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import InlineKeyboardMarkup
from aiohttp import BytesPayload, FormData
from pydantic import BaseModel, ConfigDict

# Keyboards marked reused, by id: (the keyboard, kept alive so its id stays its own; its JSON form).
_REUSED_KEYBOARDS: dict[int, tuple[InlineKeyboardMarkup, dict[str, Any] | None]] = {}
_REUSED_MAX = 4096  # far more than the menus in every language; past it the oldest are forgotten


def reused_keyboard(markup: InlineKeyboardMarkup) -> InlineKeyboardMarkup:
    """Mark a keyboard that is sent again and again and never changed after it is built."""
    if len(_REUSED_KEYBOARDS) >= _REUSED_MAX:
        del _REUSED_KEYBOARDS[next(iter(_REUSED_KEYBOARDS))]
    _REUSED_KEYBOARDS.setdefault(id(markup), (markup, None))
    return markup


# One class per return type (a few dozen at most), alive as long as the process.
_RESPONSE_TYPES: dict[Any, Any] = {}


def _response_type(returning: Any) -> Any:
    if returning not in _RESPONSE_TYPES:
        _RESPONSE_TYPES[returning] = Response[returning]
    return _RESPONSE_TYPES[returning]


def _dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


class SentMessage(BaseModel):
    """A message the bot sent or edited, as the bot reads it back from Telegram's reply: its id (to
    edit, delete or recognise it later) and its topic. aiogram would parse the whole `Message` (127
    fields, with the sender, the chat, the text's entities and the keyboard the bot itself just
    sent): a schema of ~3 MB per process, and a fifth of the time spent reading Telegram's replies.
    What the bot never reads is left unparsed."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    message_id: int
    message_thread_id: int | None = None


# Methods whose reply is a message the bot sent or edited. (Edits of messages sent in inline mode,
# which the bot never sends, would answer `true` instead.)
_SENDING_METHODS = ("SendMessage", "EditMessageText", "EditMessageReplyMarkup", "EditMessageMedia",
                    "EditMessageCaption")

# What the bot sends, receives and builds, prepared at start-up (see `prepare`).
_USED_METHODS = (
    "SendMessage", "EditMessageText", "EditMessageReplyMarkup", "AnswerCallbackQuery", "CopyMessage",
    "DeleteMessages", "CreateForumTopic", "EditForumTopic", "CloseForumTopic", "ReopenForumTopic",
    "GetChatMember", "SetMyCommands", "SetWebhook", "DeleteWebhook", "GetMe",  # GetUpdates: built by polling
)
_USED_TYPES = ("Update", "InlineKeyboardMarkup", "InlineKeyboardButton", "BotCommand", "LinkPreviewOptions")


class BotApiSession(AiohttpSession):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(json_loads=orjson.loads, json_dumps=_dumps, **kwargs)

    @staticmethod
    def prepare() -> None:
        """Build, once at start-up, the models the bot uses (aiogram's are built on first use, see
        bot/lazy_telegram_types.py), so the first person to press a button does not wait for it."""
        from aiogram import methods, types

        _response_type(SentMessage).model_rebuild()
        for name in _USED_METHODS:
            method = getattr(methods, name)
            method.model_rebuild()
            if name not in _SENDING_METHODS:
                _response_type(method.__returning__).model_rebuild()
        for name in _USED_TYPES:
            getattr(types, name).model_rebuild()

    def build_form_data(self, bot: Bot, method: TelegramMethod[TelegramType]) -> FormData:
        files: dict[str, Any] = {}
        fields = self.call_fields(bot, method, files)
        if files:
            return super().build_form_data(bot, method)
        # `make_request` hands this to aiohttp as the request's `data`: any payload will do.
        return BytesPayload(orjson.dumps(fields), content_type="application/json")  # type: ignore[return-value]

    def call_fields(self, bot: Bot, method: TelegramMethod[Any], files: dict[str, Any]) -> dict[str, Any]:
        """The call's parameters as JSON values; files it would upload are put in `files`."""
        # aiogram's own preparation (bot defaults, enums, dates, nested objects), kept as values.
        # (It drops every None; leaving them out of the dump already spares it the walk.)
        markup = getattr(method, "reply_markup", None)
        reused = _REUSED_KEYBOARDS.get(id(markup)) if markup is not None else None
        if reused is not None and reused[0] is markup:
            fields = self.prepare_value(method.model_dump(warnings=False, exclude_none=True, exclude={"reply_markup"}),
                                        bot=bot, files=files, _dumps_json=False)
            fields["reply_markup"] = self._keyboard_json(bot, markup, reused[1])
            return fields
        return self.prepare_value(method.model_dump(warnings=False, exclude_none=True), bot=bot, files=files,
                                  _dumps_json=False)

    def _keyboard_json(self, bot: Bot, markup: InlineKeyboardMarkup, known: dict[str, Any] | None) -> dict[str, Any]:
        if known is None:  # a keyboard holds no files and no bot defaults: its form is the same for every call
            known = self.prepare_value(markup.model_dump(warnings=False, exclude_none=True), bot=bot, files={},
                                       _dumps_json=False)
            if id(markup) in _REUSED_KEYBOARDS:
                _REUSED_KEYBOARDS[id(markup)] = (markup, known)
        return known  # type: ignore[return-value]

    def check_response(
        self, bot: Bot, method: TelegramMethod[TelegramType], status_code: int, content: str
    ) -> Response[TelegramType]:
        kind = type(method)
        if kind.__name__ not in _SENDING_METHODS:
            _response_type(kind.__returning__)  # aiogram makes `Response[T]` again; this one keeps it alive
            return super().check_response(bot, method, status_code, content)
        # A sent or edited message is read back as `SentMessage`. aiogram's own checks (and the error
        # each failure raises) are kept by letting it read this one reply as that type. The swap is
        # undone before anything else can run (no await in between), and only this session's calls
        # see it: other aiogram sessions in the process (tests, tools) still get whole messages.
        returning = kind.__returning__
        kind.__returning__ = SentMessage  # type: ignore[misc,assignment]
        try:
            return super().check_response(bot, method, status_code, content)
        finally:
            kind.__returning__ = returning  # type: ignore[misc]
