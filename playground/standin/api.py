"""The JSON test API under /api: act as users and counsellors, look at chats, steer failures.

Its shapes are a contract that tests and the web page rely on; add fields, never rename them.
Errors are `{"error": "..."}` with 400 (bad input) or 404 (no such message).

POST /api/faults {"method": str|null, "code": 429|500|502|503, "count"?: n, "every"?: n,
"retry_after"?: s}: without "every", the next `count` (default 1) matching calls fail; with it, every
Nth matching call fails until DELETE /api/faults (or `count` failures, if given). 429 answers always
carry parameters.retry_after (default 1).

POST /api/pin {"from": user, "chat": id, "message_id": n}: the user pins a message; the bot gets
Telegram's service message (`pinned_message`) in that chat and topic.
POST /api/edit {"from": user, "chat": id, "message_id": n, "text"|"caption": str | "location": {...}}:
the user edits their own message (a live location moves); the bot gets an `edited_message` update.
With "media": {"type", "file_id"?} beside the caption, the file is swapped too (photo, video,
animation, audio or document).

POST /api/deactivate {"user": id}: the user deletes their account; sending to them is answered 403
"Forbidden: user is deactivated" from then on.
POST /api/rights {"can_manage_topics": bool}: the bot loses (or gets back) the right to manage topics
in the counsellors' group; topic calls are then refused as Telegram refuses them.

POST /api/raw_update {"kind": "message", "payload": {...}}: queues an update of that kind with exactly
this payload (the stand-in adds only the update_id). Telegram now and then sends updates that a given
aiogram version cannot read (an old forwarded message whose origin lacks a field aiogram requires, a
new kind of object); this is how tests send one.

Load tools (send_many, stats) and the webhook load balancer (webhook_targets): see api_load.py.
"""

from __future__ import annotations

from aiohttp import web

from playground.standin import api_load
from playground.standin.api_input import BadInput, errors, integer, read_body
from playground.standin.api_users import post_block, post_edit, post_pin, post_press, post_send
from playground.standin.state import STANDIN_KEY
from playground.standin.views import chat_view, chats_list, command_menu

FAULT_CODES = (429, 500, 502, 503)


async def get_config(request: web.Request) -> web.Response:
    config = request.config_dict[STANDIN_KEY].config
    return web.json_response(
        {
            "counsellor_chat_id": config.counsellor_chat_id,
            "counsellor_ids": config.counsellor_ids,
            "editor_ids": config.editor_ids,
        }
    )


CHANGES_WAIT_SECONDS = 25.0  # a long poll answers at least this often, so proxies keep it open


async def get_changes(request: web.Request) -> web.Response:
    """Long poll for the page: answers when anything changed since `seen` (a count from the last answer)."""
    state = request.config_dict[STANDIN_KEY]
    try:
        seen = int(request.query.get("seen", "-1"))
    except ValueError:
        return web.json_response({"error": "seen must be a number"}, status=400)
    return web.json_response({"changes": await state.wait_for_change(seen, CHANGES_WAIT_SECONDS)})


async def get_commands(request: web.Request) -> web.Response:
    """The "/" menu a Telegram app would show in a chat, for a user whose app is in `lang`."""
    state = request.config_dict[STANDIN_KEY]
    try:
        chat_id = int(request.query["chat"])
    except (KeyError, ValueError):
        return web.json_response({"error": "chat must be a chat id"}, status=400)
    return web.json_response({"commands": command_menu(state, chat_id, request.query.get("lang", ""))})


async def get_chats(request: web.Request) -> web.Response:
    return web.json_response(chats_list(request.config_dict[STANDIN_KEY]))


async def get_chat(request: web.Request) -> web.Response:
    state = request.config_dict[STANDIN_KEY]
    try:
        chat = state.chat(int(request.match_info["chat_id"]))
    except ValueError:
        raise BadInput("chat id must be an integer") from None
    return web.json_response(chat_view(state, chat))


async def get_calls(request: web.Request) -> web.Response:
    method = request.query.get("method")
    calls = [
        call for call in request.config_dict[STANDIN_KEY].calls if method is None or call["method"] == method
    ]
    return web.json_response({"calls": calls})


async def delete_calls(request: web.Request) -> web.Response:
    request.config_dict[STANDIN_KEY].calls.clear()
    return web.json_response({"ok": True})


async def post_age(request: web.Request) -> web.Response:
    state = request.config_dict[STANDIN_KEY]
    body = await read_body(request)
    chat = state.chat(integer(body, "chat"))
    record = chat["messages"].get(str(integer(body, "message_id"))) if chat else None
    if record is None:
        raise BadInput("message not found", 404)
    record["date"] -= integer(body, "seconds")
    state.save()
    return web.json_response({"ok": True, "date": record["date"]})


async def post_faults(request: web.Request) -> web.Response:
    body = await read_body(request)
    code = integer(body, "code")
    if code not in FAULT_CODES:
        raise BadInput(f"code must be one of {FAULT_CODES}")
    method = body.get("method")
    if method is not None and not isinstance(method, str):
        raise BadInput("method must be a string or null")
    every = integer(body, "every") if body.get("every") is not None else None
    if every is not None and every < 1:
        raise BadInput("every must be at least 1")
    # With "every", the rule lasts until cleared unless a count is given too.
    count = integer(body, "count") if "count" in body else (None if every else 1)
    retry_after = integer(body, "retry_after") if "retry_after" in body else 1
    if retry_after < 0:
        raise BadInput("retry_after must not be negative")  # a 429 always carries it (default 1)
    request.config_dict[STANDIN_KEY].faults.add(method, code, count, retry_after, every)
    return web.json_response({"ok": True})


async def post_deactivate(request: web.Request) -> web.Response:
    state = request.config_dict[STANDIN_KEY]
    state.deactivate(integer(await read_body(request), "user"))
    state.save()
    return web.json_response({"ok": True})


async def post_rights(request: web.Request) -> web.Response:
    state = request.config_dict[STANDIN_KEY]
    body = await read_body(request)
    if not isinstance(body.get("can_manage_topics"), bool):
        raise BadInput("can_manage_topics must be true or false")
    chat = state.chat(state.config.counsellor_chat_id)
    chat["bot_can_manage_topics"] = body["can_manage_topics"]
    state.save()
    return web.json_response({"ok": True})


async def post_raw_update(request: web.Request) -> web.Response:
    body = await read_body(request)
    kind, payload = body.get("kind"), body.get("payload")
    if not isinstance(kind, str) or not isinstance(payload, dict):
        raise BadInput("kind must be a string and payload an object")
    request.config_dict[STANDIN_KEY].push_update(kind, payload)
    return web.json_response({"ok": True})


async def delete_faults(request: web.Request) -> web.Response:
    request.config_dict[STANDIN_KEY].faults.clear()
    return web.json_response({"ok": True})


def api_app() -> web.Application:
    """A sub-application mounted at /api, with its own error middleware."""
    api = web.Application(middlewares=[errors])
    api.add_routes(
        [
            web.get("/config", get_config),
            web.post("/send", post_send),
            web.post("/press", post_press),
            web.post("/pin", post_pin),
            web.post("/edit", post_edit),
            web.get("/changes", get_changes),
            web.get("/commands", get_commands),
            web.get("/chats", get_chats),
            web.get("/chats/{chat_id}", get_chat),
            web.post("/block", post_block),
            web.get("/calls", get_calls),
            web.delete("/calls", delete_calls),
            web.post("/age", post_age),
            web.post("/faults", post_faults),
            web.delete("/faults", delete_faults),
            web.post("/raw_update", post_raw_update),
            web.post("/deactivate", post_deactivate),
            web.post("/rights", post_rights),
            *api_load.routes(),
        ]
    )
    return api
