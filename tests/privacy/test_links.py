"""An answer's link can only lead to a web page, a Telegram chat, a phone number or an e-mail address."""

from __future__ import annotations

import pytest

from knowledge.telegram_html import TelegramHTMLError, check_html


@pytest.mark.parametrize(
    "href",
    ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "vbscript:x", "/relative/page"],
)
def test_a_link_that_could_run_or_hide_something_is_refused(href: str) -> None:
    with pytest.raises(TelegramHTMLError, match="links must start with"):
        check_html(f'see <a href="{href}">here</a>')


@pytest.mark.parametrize(
    "href",
    [
        "https://violett.be",
        "http://example.org",
        "tg://resolve?domain=x",
        "tel:+3225550000",
        "mailto:info@example.org",
    ],
)
def test_ordinary_links_pass(href: str) -> None:
    check_html(f'see <a href="{href}">here</a>')
