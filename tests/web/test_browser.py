"""The editor's story in a real browser (Chromium through Playwright), against the playground.

Without /usr/bin/chromium (or VRAAGBAAK_CHROMIUM) or the playwright package these tests are skipped,
saying why at the end of the run; with VRAAGBAAK_REQUIRE_BROWSER=1 (CI) they fail instead.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete

from playground.runner import Playground
from storage.models import AdminSession
from tests.e2e.client import Person, PlaygroundClient
from tests.web.conftest import sign_in_link

CHROMIUM = Path(os.environ.get("VRAAGBAAK_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
REQUIRED = os.environ.get("VRAAGBAAK_REQUIRE_BROWSER") == "1"
SENTENCE = "Bring your blue card to the clinic."


def missing_browser() -> str | None:
    if importlib.util.find_spec("playwright") is None:
        return "browser tests need the playwright package: pip install -e '.[test]'"
    if not CHROMIUM.exists():
        return f"browser tests need Chromium at {CHROMIUM}: apt-get install chromium"
    return None


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    reason = missing_browser()
    if reason:
        if REQUIRED:
            pytest.fail(f"{reason} (VRAAGBAAK_REQUIRE_BROWSER=1)")
        pytest.skip(reason)
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        await chromium.close()


@pytest.fixture
async def page(browser: Any) -> AsyncIterator[Any]:
    context = await browser.new_context(viewport={"width": 1200, "height": 900})
    tab = await context.new_page()
    tab.set_default_timeout(10_000)
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))

    def on_console(message: Any) -> None:
        if message.type != "error" or "status of 422" in message.text:  # a refused form is a 422, on purpose
            return
        if "status of 401" in message.text and message.location.get("url", "").endswith("/admin/keep-alive"):
            return  # the edit page learning that the sign-in has ended, on purpose
        if "/admin" in message.location.get("url", "/admin"):  # not the playground's own page
            errors.append(message.text)

    tab.on("console", on_console)
    yield tab
    await context.close()
    assert errors == [], f"the page reported errors: {errors}"  # e.g. a script the CSP refused


async def sign_in(page: Any, playground: Playground, client: PlaygroundClient) -> None:
    """Open the link the bot sends for /edit, and wait until it has moved on to the Topics page."""
    from playwright.async_api import expect

    await page.goto(await sign_in_link(client))
    await expect(page).to_have_url(f"{playground.url}/admin")
    await expect(page.get_by_role("heading", name="Topics", exact=True)).to_be_visible()


async def test_an_editor_changes_an_answer_the_bot_uses_it_and_restoring_brings_the_old_one_back(
        page: Any, playground: Playground, client: PlaygroundClient) -> None:
    from playwright.async_api import expect

    person = Person(id=100701, language_code="en")

    await sign_in(page, playground, client)
    await page.get_by_role("link", name="PEP: medicine after an HIV risk").click()
    await expect(page).to_have_url(f"{playground.url}/admin/topics/health.pep/en")

    answer = page.get_by_label("Answer", exact=True)
    await answer.fill(await answer.input_value() + f"\n<b>{SENTENCE}</b>")
    await expect(page.locator("#preview b", has_text=SENTENCE)).to_be_visible()  # the live preview
    await expect(page.locator("#preview")).not_to_contain_text("<b>")
    await page.get_by_label("What did you change?").fill("blue card")
    await page.get_by_role("button", name="Save and publish").click()
    await expect(page.get_by_role("status")).to_contain_text("Saved and published")

    reply = await client.reply_to(person, "what is pep")
    assert SENTENCE in reply["text"]

    await page.get_by_role("link", name="History").click()
    await expect(page.locator("#revision-shipped")).to_be_visible()
    await page.get_by_role("button", name="Restore the shipped text").click()
    await expect(page.get_by_role("status")).to_contain_text("Restored the shipped text")

    reply = await client.reply_to(person, "what is pep")
    assert SENTENCE not in reply["text"] and "72 hours" in reply["text"]


async def test_the_preview_shows_what_telegram_would_refuse(page: Any, playground: Playground,
                                                            client: PlaygroundClient) -> None:
    from playwright.async_api import expect

    await sign_in(page, playground, client)
    await page.goto(f"{playground.url}/admin/topics/health.pep/en")
    await page.get_by_label("Answer", exact=True).fill("Start <div>now</div> & <script>alert(1)</script>")
    preview = page.locator("#preview")
    await expect(preview).to_contain_text("<div>now</div>")  # shown as text, not as HTML
    assert await preview.locator("div, script").count() == 0
    await expect(page.locator("#preview-issues")).to_contain_text("unsupported tag <div> at line 1, column 7")

    await page.get_by_role("button", name="Save and publish").click()
    await expect(page.get_by_role("alert")).to_contain_text("Not saved")
    await page.get_by_role("button", name="Show line 1, column").first.click()
    assert await page.evaluate("document.activeElement.id") == "field-answer"


async def test_while_the_editor_types_the_page_keeps_the_sign_in_alive_and_says_when_it_has_ended(
        page: Any, playground: Playground, client: PlaygroundClient) -> None:
    """A long translation outlasts the 30 minutes a sign-in stays unused: typing keeps it alive; a
    sign-in that ended anyway is said before Save would lose the text."""
    from playwright.async_api import expect

    await page.clock.install()
    await sign_in(page, playground, client)
    await page.goto(f"{playground.url}/admin/topics/health.pep/fr")
    await page.get_by_label("Answer", exact=True).press_sequentially(" Merci")
    async with page.expect_response(lambda r: r.url.endswith("/admin/keep-alive")) as kept:
        await page.clock.run_for("05:01")
    assert (await kept.value).status == 204
    await expect(page.locator("#session-lost")).to_be_hidden()

    assert playground.parts is not None
    async with playground.parts.sessions() as session:  # meanwhile the sign-in ends (a closed laptop)
        await session.execute(delete(AdminSession))
        await session.commit()
    await page.get_by_label("Answer", exact=True).press_sequentially(" encore")
    async with page.expect_response(lambda r: r.url.endswith("/admin/keep-alive")) as ended:
        await page.clock.run_for("05:01")
    assert (await ended.value).status == 401
    await expect(page.locator("#session-lost")).to_contain_text("Your sign-in has ended")


async def test_the_arabic_edit_page_writes_right_to_left(page: Any, playground: Playground,
                                                         client: PlaygroundClient) -> None:
    from playwright.async_api import expect

    await sign_in(page, playground, client)
    await page.goto(f"{playground.url}/admin/topics/health.pep/ar")
    answer = page.get_by_label("Answer", exact=True)
    await expect(answer).to_have_attribute("dir", "rtl")
    await expect(answer).to_have_attribute("lang", "ar")
    await expect(page.locator("#preview")).to_have_attribute("dir", "rtl")
    assert await page.evaluate("getComputedStyle(document.getElementById('preview')).direction") == "rtl"
    await expect(page.locator("#preview")).to_contain_text("PEP")  # rendered from the Arabic answer


async def test_a_link_followed_from_another_site_still_signs_in(page: Any, playground: Playground,
                                                               client: PlaygroundClient) -> None:
    """As from Telegram Web: a SameSite=Strict cookie is not sent on a redirect that began on another
    site, so the sign-in answers with a page of its own that moves on."""
    from playwright.async_api import expect

    link = await sign_in_link(client)
    await page.goto(playground.url.replace("127.0.0.1", "localhost") + "/")  # another site than 127.0.0.1
    await page.evaluate("""url => { const a = document.createElement('a'); a.href = url; a.id = 'sign-in';
                                   a.textContent = 'sign in'; document.body.prepend(a); }""", link)
    await page.click("#sign-in")
    await expect(page).to_have_url(f"{playground.url}/admin")
    await expect(page.get_by_role("heading", name="Topics", exact=True)).to_be_visible()
