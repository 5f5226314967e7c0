"""The Bot API endpoint `/bot{token}/{method}`: token check, fault injection, dispatch, call log.

Answers have Telegram's envelope and the HTTP status equals error_code, which is what aiogram's
session reads to pick its exception (TelegramBadRequest, TelegramRetryAfter, ...).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from playground.standin import botapi_chats, botapi_edit, botapi_forum, botapi_send, botapi_updates
from playground.standin.botapi_send import Handler
from playground.standin.errors import NOT_FOUND, UNAUTHORIZED, BotAPIError
from playground.standin.params import Params
from playground.standin.state import StandinState

# Telegram method names are case-insensitive.
_MODULES = (botapi_chats, botapi_edit, botapi_forum, botapi_send, botapi_updates)
METHODS: dict[str, Handler] = {
    name.lower(): handler for module in _MODULES for name, handler in module.METHODS.items()
}
# The documented spelling, so that /api/stats counts "sendmessage" and "sendMessage" together.
CANONICAL: dict[str, str] = {name.lower(): name for module in _MODULES for name in module.METHODS}
# Calls that change nothing, so the state file is not rewritten for them.
READ_ONLY = {
    name.lower()
    for name in (
        "getMe",
        "getMyCommands",
        "getChat",
        "getChatMember",
        "getChatAdministrators",
        "getWebhookInfo",
        "getChatMenuButton",
        "sendChatAction",
    )
}


def _answer(payload: dict[str, Any], status: int) -> web.Response:
    return web.json_response(payload, status=status)


async def handle(request: web.Request, state: StandinState) -> web.Response:
    method = request.match_info["method"]
    status, payload = await _call(request, state, method)
    # Method name and status only: the call's content (ids, names, texts) is never kept or logged.
    state.calls.append({"method": method, "status": status})
    # Unknown methods are counted together, so that stray names cannot grow the counter without bound.
    state.stats.count_call(CANONICAL.get(method.lower(), "unknown"), status, payload.get("result"))
    return _answer(payload, status)


async def run_webhook_answer(state: StandinState, payload: Any) -> None:
    """A method the bot put in its answer to a webhook delivery, run as Telegram runs it: nothing goes
    back to the bot, and an error (or an injected fault) only means it did not happen."""
    if not isinstance(payload, dict) or not isinstance(payload.get("method"), str):
        return
    method = payload["method"]
    if method.lower() not in METHODS:
        return

    async def params() -> Params:
        return Params({k: v for k, v in payload.items() if k != "method"})

    status, answer = await _run(state, method, params)
    state.calls.append({"method": method, "status": status, "in_webhook_answer": True})
    state.stats.count_call(CANONICAL[method.lower()], status, answer.get("result"))
    state.stats.calls_in_webhook_answers += 1


def _chat_id(params: Params) -> int | None:
    """The chat a call writes into (None when it names none, or by @username)."""
    value = params.values.get("chat_id")
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


async def _call(request: web.Request, state: StandinState, method: str) -> tuple[int, dict[str, Any]]:
    if request.match_info["token"] != state.config.bot_token:
        return UNAUTHORIZED.code, UNAUTHORIZED.payload()
    return await _run(state, method, lambda: Params.from_request(request))


async def _run(state: StandinState, method: str,
               params: Callable[[], Awaitable[Params]]) -> tuple[int, dict[str, Any]]:
    """One call: an injected fault, or the method's handler (saving the state if it changed something)."""
    handler = METHODS.get(method.lower())
    if handler is None:
        return NOT_FOUND.code, NOT_FOUND.payload()
    fault = state.faults.take(method)
    if fault is not None:
        return fault.code, fault.payload()
    try:
        values = await params()
        limited = state.limits.take(method, _chat_id(values))
        if limited is not None:
            return limited.code, limited.payload()
        result = await handler(state, values)
    except BotAPIError as error:
        return error.code, error.payload()
    if method.lower() not in READ_ONLY:
        state.save()
    return 200, {"ok": True, "result": result}
