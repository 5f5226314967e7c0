"""Signing in through the bot's one-time link, sessions, CSRF, signing out."""

from __future__ import annotations

import asyncio
import datetime as dt
import secrets

import aiohttp
import yarl
from sqlalchemy import func, select, update

from bot.config import Settings
from playground.runner import Playground
from storage import admin_auth
from storage.models import AdminSession, LoginToken
from tests.e2e.client import Person, PlaygroundClient
from tests.web.conftest import EDITOR, Admin, sign_in_link, started_playground

PAGES = ["/admin", "/admin/topics/health.pep/en", "/admin/topics/health.pep/en/history", "/admin/unanswered",
         "/admin/report", "/admin/report.csv", "/admin/import", "/admin/export"]


def _pseudonym(playground: Playground, user_id: int = EDITOR.id) -> str:
    """How flows.edit names an editor in tokens and sessions."""
    assert playground.parts is not None
    return playground.parts.pseudonyms.token("editor", str(user_id))


async def _token(playground: Playground, *, minutes_ago: float = 0) -> str:
    assert playground.parts is not None
    async with playground.parts.sessions() as session:
        token = await admin_auth.create_login_token(
            session, _pseudonym(playground), "Editor TEST", dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes_ago))
        await session.commit()
    return token


async def _session(playground: Playground, *, opened: dt.timedelta, seen: dt.timedelta,
                   user_id: int = EDITOR.id) -> str:
    """The cookie of a session opened and last used that long ago."""
    assert playground.parts is not None
    now = dt.datetime.now(dt.UTC)
    async with playground.parts.sessions() as session:
        cookie, _ = await admin_auth.open_session(session, _pseudonym(playground, user_id), "Editor TEST", now - opened)
        await session.flush()
        await session.execute(update(AdminSession).values(last_seen_at=now - seen))  # all: the newest counts
        await session.commit()
    return cookie


async def _status_with_cookie(playground: Playground, cookie: str, path: str = "/admin") -> int:
    async with aiohttp.ClientSession() as http, \
            http.get(playground.url + path, headers={"Cookie": f"vraagbaak_editor={cookie}"}) as response:
        return response.status


async def _raw_status(base_url: str, request: bytes) -> int:
    """Send bytes no HTTP client would (a header that is not ASCII) and read the status code."""
    url = yarl.URL(base_url)
    reader, writer = await asyncio.open_connection(url.host, url.port)
    try:
        writer.write(request)
        await writer.drain()
        status_line = await reader.readline()
    finally:
        writer.close()
    return int(status_line.split()[1])


async def test_the_link_from_edit_signs_in_with_a_strict_httponly_cookie_and_opens_the_topics(
        playground: Playground, client: PlaygroundClient, anonymous: Admin) -> None:
    link = await sign_in_link(client)
    assert link.startswith(playground.url + "/admin/login?token=")

    async with anonymous.http.get(link, allow_redirects=False) as response:
        assert response.status == 200
        assert response.headers["Refresh"] == "0; url=/admin"  # moves on to the Topics page
        cookie = response.headers["Set-Cookie"]
        assert response.headers["Referrer-Policy"] == "no-referrer"  # the token never leaks onwards
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/admin" in cookie
    assert "Secure" not in cookie  # the playground is plain http

    status, body = await anonymous.get("/admin")
    assert status == 200
    assert "health.pep" in body and "PEP: medicine after an HIV risk" in body
    assert "Editor " in body  # the editor's alias, never a Telegram id
    assert str(Person.id) not in body and "Edith" not in body


async def test_a_link_works_only_once(client: PlaygroundClient, anonymous: Admin) -> None:
    link = await sign_in_link(client)
    assert (await anonymous.get(link))[0] == 200
    status, body = await Admin(anonymous.base_url, http=anonymous.http).get(link)
    assert status == 403
    assert "/edit" in body and "new link" in body


async def test_an_expired_link_is_refused(playground: Playground, anonymous: Admin) -> None:
    token = await _token(playground, minutes_ago=11)
    status, body = await anonymous.get(f"/admin/login?token={token}")
    assert status == 403 and "/edit" in body
    assert (await anonymous.get("/admin"))[0] == 401


async def test_a_forged_or_missing_token_is_refused(anonymous: Admin) -> None:
    for path in (f"/admin/login?token={secrets.token_urlsafe(32)}", "/admin/login", "/admin/login?token=",
                 "/admin/login?token=" + "x" * 5000):
        status, body = await anonymous.get(path)
        assert status == 403, path
        assert "send <kbd>/edit</kbd>" in body


async def test_someone_who_is_not_an_editor_gets_no_link(playground: Playground, client: PlaygroundClient) -> None:
    stranger = Person(id=100301, language_code="en")
    reply = await client.reply_to(stranger, "/edit")
    assert "/admin/login" not in reply["text"] and "/admin/login" not in reply.get("html", "")
    assert playground.parts is not None
    async with playground.parts.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(LoginToken)) == 0


async def test_every_page_needs_a_session(anonymous: Admin) -> None:
    for path in PAGES:
        status, body = await anonymous.get(path)
        assert status == 401, path
        assert "send <kbd>/edit</kbd> to the bot" in body


async def test_a_forged_cookie_is_no_session(playground: Playground) -> None:
    forged = Admin(playground.url, http=aiohttp.ClientSession(cookies={"vraagbaak_editor": secrets.token_urlsafe(32)}))
    try:
        for path in PAGES:
            assert (await forged.get(path))[0] == 401, path
        status, _, _ = await forged.post("/admin/topics/health.pep/en", {"title": "x"})
        assert status == 401
    finally:
        await forged.close()


async def test_a_session_idle_for_more_than_30_minutes_has_ended(playground: Playground) -> None:
    cookie = await _session(playground, opened=dt.timedelta(minutes=31), seen=dt.timedelta(minutes=31))
    idle = Admin(playground.url, http=aiohttp.ClientSession(cookies={"vraagbaak_editor": cookie}))
    try:
        status, body = await idle.get("/admin")
        assert status == 401 and "30" in body
    finally:
        await idle.close()
    active = await _session(playground, opened=dt.timedelta(minutes=31), seen=dt.timedelta(minutes=29))
    assert await _status_with_cookie(playground, active) == 200


async def test_a_session_ends_12_hours_after_signing_in_however_busy(playground: Playground) -> None:
    busy = await _session(playground, opened=dt.timedelta(hours=11, minutes=50), seen=dt.timedelta(minutes=1))
    assert await _status_with_cookie(playground, busy) == 200
    too_old = await _session(playground, opened=dt.timedelta(hours=12, minutes=1), seen=dt.timedelta(minutes=1))
    assert await _status_with_cookie(playground, too_old) == 401
    assert await _status_with_cookie(playground, too_old) == 401  # gone, not just refused once


async def test_someone_removed_from_the_editors_loses_their_session_and_unused_link(
        playground: Playground, client: PlaygroundClient, admin: Admin) -> None:
    link = await sign_in_link(client)
    assert playground.parts is not None
    playground.parts.settings = playground.parts.settings.model_copy(update={"editor_ids": [EDITOR.id + 1]})

    status, body = await admin.get("/admin")
    assert status == 401 and "send <kbd>/edit</kbd>" in body
    assert (await admin.get(link))[0] == 403
    assert (await admin.get("/admin"))[0] == 401
    other_editor = await _session(playground, opened=dt.timedelta(minutes=1), seen=dt.timedelta(minutes=1),
                                  user_id=EDITOR.id + 1)
    assert await _status_with_cookie(playground, other_editor) == 200


async def test_a_cookie_or_csrf_header_that_is_not_ascii_is_refused_not_a_crash(
        playground: Playground, admin: Admin) -> None:
    host = yarl.URL(playground.url).host_port_subcomponent
    request = (f"GET /admin HTTP/1.1\r\nHost: {host}\r\n".encode() + b"Cookie: vraagbaak_editor=\xff\r\n"
               b"Connection: close\r\n\r\n")
    assert await _raw_status(playground.url, request) == 401

    cookie = next(c.value for c in admin.http.cookie_jar if c.key == "vraagbaak_editor")
    request = (f"POST /admin/logout HTTP/1.1\r\nHost: {host}\r\nCookie: vraagbaak_editor={cookie}\r\n".encode()
               + b"X-CSRF-Token: \xfe\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
    assert await _raw_status(playground.url, request) == 403
    assert (await admin.get("/admin"))[0] == 200  # still signed in


async def test_a_post_whose_body_is_no_readable_form_fails_the_csrf_check(playground: Playground, admin: Admin) -> None:
    await admin.get("/admin/unanswered")
    no_boundary = {"Content-Type": "multipart/form-data"}
    status, body, _ = await admin.post("/admin/unanswered/dismiss", b"id=1", headers=no_boundary)
    assert status == 403 and "nothing was changed" in body
    status, _, _ = await admin.post("/admin/unanswered/dismiss", b"id=1",
                                    headers={**no_boundary, "X-CSRF-Token": admin.csrf})
    assert status == 403
    status, _, _ = await admin.post("/admin/unanswered/dismiss", b"id=1",
                                    headers={"Content-Type": "application/x-www-form-urlencoded; charset=nonsense",
                                             "X-CSRF-Token": admin.csrf})
    assert status == 403


async def test_a_form_without_the_right_csrf_token_changes_nothing(playground: Playground, admin: Admin) -> None:
    assert playground.parts is not None
    before = playground.parts.editing.current("health.pep", "en")
    form = {"title": "Hijacked", "questions": "what is pep", "answer": "Hijacked.", "status": "draft"}
    status, body, _ = await admin.post("/admin/topics/health.pep/en", form, with_csrf=False)
    assert status == 403 and "nothing was changed" in body
    status, _, _ = await admin.post("/admin/topics/health.pep/en", {**form, "csrf_token": secrets.token_urlsafe(32)},
                                    with_csrf=False)
    assert status == 403
    status, _, _ = await admin.post("/admin/unanswered/dismiss", {"id": "1"}, with_csrf=False)
    assert status == 403
    status, _, _ = await admin.post("/admin/logout", {}, with_csrf=False)
    assert status == 403
    assert playground.parts.editing.current("health.pep", "en") == before
    assert await playground.parts.editing.history("health.pep", "en") == []


async def test_signing_out_ends_the_session_on_the_server(admin: Admin) -> None:
    cookie = next(c.value for c in admin.http.cookie_jar if c.key == "vraagbaak_editor")
    status, body = await admin.follow("/admin/logout", {})
    assert status == 200 and "You are signed out" in body
    assert (await admin.get("/admin"))[0] == 401
    replayed = Admin(admin.base_url, http=aiohttp.ClientSession(cookies={"vraagbaak_editor": cookie}))
    try:
        assert (await replayed.get("/admin"))[0] == 401
    finally:
        await replayed.close()


async def test_pages_forbid_framing_and_foreign_scripts(admin: Admin) -> None:
    async with admin.http.get(admin.url("/admin")) as response:
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["Cache-Control"] == "no-store"


async def test_the_cookie_is_secure_when_the_pages_are_served_over_https(settings: Settings, tmp_path) -> None:
    https = await started_playground(settings.model_copy(update={"public_url": "https://editors.example.org"}),
                                     tmp_path / "https")
    try:
        token = await _token(https)
        async with aiohttp.ClientSession() as http, \
                http.get(f"{https.url}/admin/login?token={token}", allow_redirects=False) as response:
            assert response.status == 200
            assert "Secure" in response.headers["Set-Cookie"]
    finally:
        await https.stop()


async def test_the_edit_pages_keep_alive_restarts_the_idle_timer_of_a_live_sign_in_only(
        playground: Playground) -> None:
    assert playground.parts is not None
    cookie = await _session(playground, opened=dt.timedelta(hours=1), seen=dt.timedelta(minutes=25))
    assert await _status_with_cookie(playground, cookie, "/admin/keep-alive") == 204
    async with playground.parts.sessions() as session:
        seen = await session.scalar(select(func.max(AdminSession.last_seen_at)))
    assert dt.datetime.now(dt.UTC) - seen < dt.timedelta(minutes=1)
    ended = await _session(playground, opened=dt.timedelta(hours=1), seen=dt.timedelta(minutes=31))
    assert await _status_with_cookie(playground, ended, "/admin/keep-alive") == 401
