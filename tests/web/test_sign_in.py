"""Signing in through the bot's one-time link, sessions, CSRF, signing out."""

from __future__ import annotations

import datetime as dt
import secrets

import aiohttp
from sqlalchemy import func, select

from bot.config import Settings
from playground.runner import Playground
from storage import admin_auth
from storage.models import LoginToken
from tests.e2e.client import Person, PlaygroundClient
from tests.web.conftest import Admin, sign_in_link, started_playground

PAGES = ["/admin", "/admin/topics/health.pep/en", "/admin/topics/health.pep/en/history", "/admin/unanswered",
         "/admin/report", "/admin/report.csv", "/admin/import", "/admin/export"]


async def _token(playground: Playground, *, minutes_ago: float = 0) -> str:
    assert playground.parts is not None
    async with playground.parts.sessions() as session:
        token = await admin_auth.create_login_token(
            session, "editor-token", "Editor TEST", dt.datetime.now(dt.UTC) - dt.timedelta(minutes=minutes_ago))
        await session.commit()
    return token


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
    assert playground.parts is not None
    async with playground.parts.sessions() as session:
        cookie, _ = await admin_auth.open_session(session, "e", "Editor IDLE",
                                                  dt.datetime.now(dt.UTC) - dt.timedelta(minutes=31))
        await session.commit()
    idle = Admin(playground.url, http=aiohttp.ClientSession(cookies={"vraagbaak_editor": cookie}))
    try:
        status, body = await idle.get("/admin")
        assert status == 401 and "30" in body
    finally:
        await idle.close()


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
