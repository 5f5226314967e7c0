"""The Jinja2 environment of the editors' pages and the one way a page becomes a response.

Autoescape is on for every template; every page gets the same security headers (no scripts or
styles from elsewhere, no referrer: the sign-in link carries a token) and is never cached.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from knowledge.languages import RTL_LANGUAGES, SUPPORTED_LANGUAGES, native_name
from web.admin.common import EDITOR_KEY

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}

TIMEZONE_KEY = web.AppKey("admin_timezone", str)


def text_dir(lang: str) -> str:
    return "rtl" if lang in RTL_LANGUAGES else "ltr"


@cache
def static_url(name: str) -> str:
    """`/admin/static/<name>?v=<hash>` so a changed file is never taken from a stale cache."""
    digest = hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:10]
    return f"/admin/static/{name}?v={digest}"


@cache
def language_name(code: str) -> str:
    try:
        return native_name(code)
    except Exception:  # an unknown code still shows as itself
        return code


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(static=static_url, language_name=language_name, text_dir=text_dir,
                       languages=SUPPORTED_LANGUAGES)
    return env


def local_time(value: dt.datetime | None, zone: str) -> str:
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    try:
        tz: dt.tzinfo = ZoneInfo(zone)
    except Exception:
        tz = dt.UTC
    return value.astimezone(tz).strftime("%Y-%m-%d %H:%M")


def page(request: web.Request, template: str, *, status: int = 200, **context: Any) -> web.Response:
    """Render `template` with the signed-in editor (if any) and their CSRF token."""
    editor = request.get(EDITOR_KEY)
    zone = request.app.get(TIMEZONE_KEY, "UTC")
    body = environment().get_template(template).render(
        editor=editor,
        csrf=editor.csrf if editor else "",
        path=request.path,
        when=lambda value: local_time(value, zone),
        **context,
    )
    response = web.Response(text=body, status=status, content_type="text/html", charset="utf-8")
    response.headers.update(SECURITY_HEADERS)
    return response


def redirect(location: str) -> web.Response:
    """303 See Other: after a POST the browser loads `location` with GET (reloading re-posts nothing)."""
    response = web.Response(status=303, headers={"Location": location})
    response.headers.update(SECURITY_HEADERS)
    return response
