"""The playground's own page in Chromium: the "/" command menu as Telegram shows it, updates pushed
(no polling every second), and inline buttons that wrap between words, never inside one."""

from __future__ import annotations

from typing import Any

import pytest

from bot.commands import USER_COMMANDS
from bot.i18n import create_i18n
from flows.texts import main_menu_text
from playground.runner import Playground
from tests.e2e.client import Person, PlaygroundClient
from tests.web.test_browser import browser, page

__all__ = ["browser", "page"]

I18N = create_i18n("en")


def said_in(lang: str, say: Any) -> str:
    with I18N.context(), I18N.use_locale(lang):
        return str(say())


async def _open_as(page: Any, playground: Playground, user_id: int, lang: str) -> None:
    await page.goto(f"{playground.url}/")
    await page.select_option("#user-lang", lang)
    await page.fill("#user-id", str(user_id))
    await page.locator("#user-id").dispatch_event("change")


async def test_the_command_menu_lists_the_bots_commands_in_the_users_language_and_sends_one(
    page: Any, playground: Playground
) -> None:
    from playwright.async_api import expect

    await _open_as(page, playground, 100801, "ar")
    await page.locator("#user-text").press_sequentially("/")
    menu = page.locator("#user-commands")
    await expect(menu).to_be_visible()
    for command, description in USER_COMMANDS:
        await expect(menu).to_contain_text(f"/{command}")
        await expect(menu).to_contain_text(said_in("ar", lambda d=description: d))
    await page.locator("#user-text").press_sequentially("st")
    await expect(menu.locator("button")).to_have_count(1)
    await menu.locator("button", has_text="/start").click()
    await expect(menu).to_be_hidden()
    await expect(page.locator("#user-log")).to_contain_text(said_in("ar", main_menu_text))


async def test_updates_are_pushed_not_polled(
    page: Any, playground: Playground, client: PlaygroundClient
) -> None:
    from playwright.async_api import expect

    person = Person(id=100802, language_code="hu")
    await _open_as(page, playground, person.id, "hu")
    await page.wait_for_timeout(500)
    reads: list[str] = []
    page.on("request", lambda request: reads.append(request.url) if "/api/chats/" in request.url else None)
    await page.wait_for_timeout(3000)
    assert reads == [], "nothing changed, so nothing is read again"
    await client.send(person, "/start")  # from outside the page: it must still show up, at once
    await expect(page.locator("#user-log")).to_contain_text(said_in("hu", main_menu_text), timeout=2000)


@pytest.mark.parametrize("lang", ["ar", "hu"])
async def test_buttons_wrap_between_words_on_a_phone(page: Any, playground: Playground, lang: str) -> None:
    from playwright.async_api import expect

    await page.set_viewport_size({"width": 320, "height": 700})
    await _open_as(page, playground, 100810 + len(lang), lang)
    await page.fill("#user-text", "/start")
    await page.locator("#user-text").press("Enter")
    await expect(page.locator("#user-log .buttons button").first).to_be_visible()
    cut = await page.evaluate(
        """() => {
        const cut = [];
        for (const button of document.querySelectorAll("#user-log .buttons button")) {
          const text = button.firstChild;
          for (const word of text.textContent.matchAll(/\\S+/g)) {
            const range = document.createRange();
            range.setStart(text, word.index);
            range.setEnd(text, word.index + word[0].length);
            const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
            if (lines.size > 1) cut.push(word[0]);
          }
        }
        return cut;
      }"""
    )
    assert cut == [], f"words cut inside: {cut}"
