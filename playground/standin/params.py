"""Reading Bot API call parameters the way Telegram does.

aiogram posts multipart/form-data in which every value is a string (numbers as digits, booleans as
"true"/"false", objects such as reply_markup as JSON text) and files are parts that a value names
with "attach://<part>". Other clients post JSON or urlencoded forms, or use a query string; all of
them end up here as one mapping, and the accessors coerce on read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from playground.standin.errors import bad_request

_MISSING: Any = object()


@dataclass(frozen=True)
class Upload:
    """A file sent in the request body."""

    filename: str
    content_type: str
    data: bytes


class Params:
    """The parameters of one call, with typed accessors that fail with Telegram's 400 wording."""

    def __init__(self, values: dict[str, Any], uploads: dict[str, Upload] | None = None) -> None:
        self.values = values
        self.uploads = uploads or {}

    @classmethod
    async def from_request(cls, request: web.Request) -> Params:
        values: dict[str, Any] = dict(request.query)
        uploads: dict[str, Upload] = {}
        if request.method == "POST" and request.can_read_body:
            if request.content_type == "application/json":
                try:
                    body = await request.json()
                except ValueError:
                    raise bad_request("can't parse JSON request body") from None
                if not isinstance(body, dict):
                    raise bad_request("can't parse JSON request body")
                values.update(body)
            else:
                form = await request.post()
                for key, value in form.items():
                    if isinstance(value, web.FileField):
                        uploads[key] = Upload(
                            filename=value.filename or key,
                            content_type=value.content_type or "application/octet-stream",
                            data=value.file.read(),
                        )
                    else:
                        values[key] = value
        return cls(values, uploads)

    def has(self, name: str) -> bool:
        return self.values.get(name) not in (None, "") or name in self.uploads

    def text(self, name: str, default: Any = _MISSING) -> Any:
        value = self.values.get(name)
        if value is None:
            if default is _MISSING:
                raise bad_request(f"{name} is empty")
            return default
        return value if isinstance(value, str) else str(value)

    def integer(self, name: str, default: Any = _MISSING) -> Any:
        value = self.values.get(name)
        if value in (None, ""):
            if default is _MISSING:
                raise bad_request(f"{name} is empty")
            return default
        if isinstance(value, bool):
            raise bad_request(f'field "{name}" must be of type Integer')
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f'field "{name}" must be of type Integer') from None

    def number(self, name: str) -> float:
        value = self.values.get(name)
        if value in (None, ""):
            raise bad_request(f"{name} is empty")
        try:
            return float(value)
        except (TypeError, ValueError):
            raise bad_request(f'field "{name}" must be of type Float') from None

    def flag(self, name: str) -> bool:
        value = self.values.get(name)
        if isinstance(value, str):
            return value.strip().lower() in ("true", "1")
        return bool(value)

    def obj(self, name: str, default: Any = None, *, what: str | None = None) -> Any:
        """A JSON-typed field: arrives as text in forms and as a value in JSON bodies."""
        value = self.values.get(name)
        if value in (None, ""):
            return default
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise bad_request(f"can't parse {what or name} JSON object") from None
        return value

    def file(self, name: str) -> str | Upload:
        """A file field: an upload (direct part or "attach://" reference), a file_id or a URL."""
        if name in self.uploads:
            return self.uploads[name]
        value = self.values.get(name)
        if not value or not isinstance(value, str):
            raise bad_request(f"there is no {name} in the request")
        if value.startswith("attach://"):
            upload = self.uploads.get(value.removeprefix("attach://"))
            if upload is None:
                raise bad_request(f"there is no {name} in the request")
            return upload
        return value
