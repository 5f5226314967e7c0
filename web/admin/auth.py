"""Sign-in through the bot's one-time link, the session cookie, and the CSRF check.

- `/admin/login?token=…` spends the one-time token (storage.admin_auth) and opens a session; the
  browser gets only a random cookie (HttpOnly, SameSite=Strict, Path=/admin, Secure on https) and a
  short page that moves on to /admin (a Refresh, not a 303: see SignIn.login).
- Every other /admin request passes the middleware: no valid session (idle 30 minutes, opened 12 hours
  ago, or its editor no longer configured) → 401 page telling the editor to send /edit; a POST without
  the session's CSRF token (form field `csrf_token` or header `X-CSRF-Token`, compared with
  hmac.compare_digest) or whose body is no readable form → 403.
"""

from __future__ import annotations

import datetime as dt
import hmac
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.parts import AppParts
from storage import admin_auth
from web.admin.common import EDITOR_KEY
from web.admin.render import SECURITY_HEADERS, page, redirect

COOKIE = "vraagbaak_editor"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
PREFIX = "/admin"
PUBLIC_PATHS = frozenset({"/admin/login", "/admin/signed-out"})
MAX_SECRET_LENGTH = 200  # tokens and cookies are 43 characters; anything far longer is not ours

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def is_admin_path(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _secure(parts: AppParts) -> bool:
    return (parts.settings.public_url or "").startswith("https://")


def _secret(value: str) -> str:
    """A token, cookie or CSRF value as sent, or "" for one that cannot be ours (ours are short ASCII)."""
    return value if value.isascii() and len(value) <= MAX_SECRET_LENGTH else ""


def editor_pseudonyms(parts: AppParts) -> frozenset[str]:
    """The configured editors, as flows.edit names them in their sign-in tokens: someone removed from
    VRAAGBAAK_EDITOR_IDS loses their open sessions and unused links."""
    return frozenset(parts.pseudonyms.token("editor", str(user_id)) for user_id in parts.settings.editor_ids)


async def current_editor(parts: AppParts, request: web.Request) -> admin_auth.EditorSession | None:
    cookie = _secret(request.cookies.get(COOKIE, ""))
    if not cookie:
        return None
    async with parts.sessions() as session:
        editor = await admin_auth.check_session(session, cookie, _now(), editor_pseudonyms(parts))
        await session.commit()  # the idle timer restarts (or the ended session is gone)
    return editor


async def csrf_ok(request: web.Request, editor: admin_auth.EditorSession) -> bool:
    try:  # read even when the header has the token: aiohttp keeps the form, so no page meets a broken body
        form = await request.post()
    except (ValueError, LookupError, RuntimeError):  # e.g. multipart without a boundary: not a form we sent
        return False
    supplied = request.headers.get(CSRF_HEADER)
    if supplied is None:
        value = form.get(CSRF_FIELD)
        supplied = value if isinstance(value, str) else ""
    supplied = _secret(supplied)
    return hmac.compare_digest(supplied.encode(), editor.csrf.encode())


def make_middleware(parts: AppParts) -> Callable[[web.Request, Handler], Awaitable[web.StreamResponse]]:
    @web.middleware
    async def admin_guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        if not is_admin_path(request.path):
            return await handler(request)  # the playground's own routes pass untouched
        static = request.path.startswith(PREFIX + "/static/")
        try:
            if request.path not in PUBLIC_PATHS and not static:
                editor = await current_editor(parts, request)
                if editor is None:
                    return page(request, "sign_in.html", status=401)
                request[EDITOR_KEY] = editor
                if request.method not in ("GET", "HEAD") and not await csrf_ok(request, editor):
                    return page(request, "forbidden.html", status=403)
            response = await handler(request)
        except web.HTTPNotFound:
            return page(request, "not_found.html", status=404)
        except web.HTTPBadRequest:
            return page(request, "bad_request.html", status=400)
        if static:  # their URLs carry a hash of the content (render.static_url)
            response.headers["Cache-Control"] = "public, max-age=86400"
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return admin_guard


class SignIn:
    def __init__(self, parts: AppParts) -> None:
        self.parts = parts

    async def login(self, request: web.Request) -> web.StreamResponse:
        token = _secret(request.query.get("token", ""))
        if not token:
            return page(request, "link_invalid.html", status=403)
        now = _now()
        async with self.parts.sessions() as session:
            found = await admin_auth.use_login_token(session, token, now, editor_pseudonyms(self.parts))
            if found is None:
                await session.rollback()
                return page(request, "link_invalid.html", status=403)
            cookie, _csrf = await admin_auth.open_session(session, found[0], found[1], now)
            await session.commit()
        # Not a 303: after a link followed from another site (Telegram Web), the browser would not send a
        # SameSite=Strict cookie on the redirected request. A page of our own that moves on does.
        response = page(request, "signed_in.html")
        response.headers["Refresh"] = f"0; url={PREFIX}"
        response.set_cookie(COOKIE, cookie, path=PREFIX, httponly=True, samesite="Strict",
                            secure=_secure(self.parts))
        return response

    async def logout(self, request: web.Request) -> web.StreamResponse:
        cookie = request.cookies.get(COOKIE, "")
        async with self.parts.sessions() as session:
            await admin_auth.close_session(session, cookie)
            await session.commit()
        response = redirect(PREFIX + "/signed-out")
        response.del_cookie(COOKIE, path=PREFIX)
        return response

    async def signed_out(self, request: web.Request) -> web.StreamResponse:
        return page(request, "signed_out.html")

    async def keep_alive(self, request: web.Request) -> web.StreamResponse:
        """The edit page's "still typing": passing the middleware restarted the idle timer."""
        return web.Response(status=204)


def setup(app: web.Application, parts: AppParts) -> None:
    app.middlewares.append(make_middleware(parts))
    views = SignIn(parts)
    app.router.add_get(PREFIX + "/login", views.login)
    app.router.add_post(PREFIX + "/logout", views.logout)
    app.router.add_get(PREFIX + "/signed-out", views.signed_out)
    app.router.add_get(PREFIX + "/keep-alive", views.keep_alive)
