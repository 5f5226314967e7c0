"""Input handling shared by the JSON test API: JSON bodies, integers, senders, error answers."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from playground.standin.state import StandinState


class BadInput(Exception):
    """Answered as {"error": message} with `status` (400 unless said otherwise)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def integer(body: dict[str, Any], key: str) -> int:
    value = body.get(key)
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).lstrip("-").isdigit():
        raise BadInput(f"{key} must be an integer")
    return int(value)


async def read_body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise BadInput("the body must be a JSON object") from None
    if not isinstance(body, dict):
        raise BadInput("the body must be a JSON object")
    return body


def sender_of(state: StandinState, body: dict[str, Any]) -> dict[str, Any]:
    sender = body.get("from")
    if not isinstance(sender, dict):
        raise BadInput("from must be an object with id and first_name")
    integer(sender, "id")
    return state.remember_user(sender)


@web.middleware
async def errors(request: web.Request, handler: Any) -> web.StreamResponse:
    try:
        return await handler(request)
    except BadInput as error:
        return web.json_response({"error": str(error)}, status=error.status)
