"""Telegram's HTML subset: check text the way the Bot API would before it is sent or saved.

Telegram rejects a message whose HTML it cannot parse ("can't parse entities"), so an answer that
would fail must be caught when it is loaded or edited, with the place of the error.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from html.parser import HTMLParser

# Tags (and their aliases) that the Bot API accepts with parse_mode=HTML.
ALLOWED_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
    "blockquote", "tg-spoiler", "span", "tg-emoji",
}
ALLOWED_ATTRS = {"a": {"href"}, "span": {"class"}, "tg-emoji": {"emoji-id"}, "code": {"class"},
                 "blockquote": {"expandable"}}
NAMED_ENTITIES = {"lt", "gt", "amp", "quot"}
LINK_SCHEMES = {"https", "http", "tg", "tel", "mailto"}


class TelegramHTMLError(ValueError):
    """The text would be refused by Telegram; `position` is (line, column), 1-based."""

    def __init__(self, message: str, position: tuple[int, int]) -> None:
        super().__init__(f"{message} at line {position[0]}, column {position[1]}")
        self.reason = message
        self.position = position


@dataclass
class _Open:
    tag: str
    position: tuple[int, int]


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[_Open] = []
        self.plain: list[str] = []

    def _fail(self, message: str) -> None:
        line, col = self.getpos()
        raise TelegramHTMLError(message, (line, col + 1))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self._fail(f"unsupported tag <{tag}>")
        for name, value in attrs:
            if name not in ALLOWED_ATTRS.get(tag, set()):
                self._fail(f"unsupported attribute {name!r} on <{tag}>")
            if tag == "span" and value != "tg-spoiler":
                self._fail('<span> needs class="tg-spoiler"')
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if not href:
                self._fail("<a> needs an href")
            # Links lead to a web page, a Telegram chat, a phone number or an e-mail address; a
            # javascript: or data: link could run or hide something in an editor's preview or an app.
            scheme = href.strip().split(":", 1)[0].lower() if ":" in href else ""
            if scheme not in LINK_SCHEMES:
                self._fail(f"<a> links must start with {', '.join(s + ':' for s in sorted(LINK_SCHEMES))}")
        self.stack.append(_Open(tag, self.getpos()))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._fail(f"self-closing <{tag}/> is not allowed")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack:
            self._fail(f"closing </{tag}> without an opening tag")
        if self.stack[-1].tag != tag:
            self._fail(f"</{tag}> closes <{self.stack[-1].tag}>")
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        if "<" in data or ">" in data:
            self._fail("a bare '<' or '>': write &lt; or &gt;")
        self.plain.append(data)

    def handle_entityref(self, name: str) -> None:
        if name not in NAMED_ENTITIES:
            self._fail(f"unknown entity &{name};")
        self.plain.append(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.plain.append(html.unescape(f"&#{name};"))

    def handle_comment(self, data: str) -> None:
        self._fail("comments are not allowed")

    def handle_decl(self, decl: str) -> None:
        self._fail("declarations are not allowed")

    def unknown_decl(self, data: str) -> None:
        self._fail("declarations are not allowed")

    def handle_pi(self, data: str) -> None:
        self._fail("processing instructions are not allowed")


def _check_ampersands(text: str) -> None:
    """A '&' that does not start an entity is refused by Telegram; HTMLParser would let it pass."""
    for line_no, line in enumerate(text.split("\n"), start=1):
        start = 0
        while (idx := line.find("&", start)) != -1:
            end = line.find(";", idx)
            name = line[idx + 1 : end] if end != -1 else ""
            ok = end != -1 and (name in NAMED_ENTITIES or (name.startswith("#") and name[1:].lstrip("xX").isalnum()))
            if not ok:
                raise TelegramHTMLError("a bare '&': write &amp;", (line_no, idx + 1))
            start = idx + 1


def check_html(text: str) -> str:
    """Raise TelegramHTMLError if Telegram would refuse `text`; return the plain text it shows."""
    _check_ampersands(text)
    checker = _Checker()
    checker.feed(text)
    checker.close()
    if checker.rawdata:  # an unfinished tag such as "<b" at the end
        raise TelegramHTMLError("unfinished tag", checker.getpos())
    if checker.stack:
        opened = checker.stack[-1]
        raise TelegramHTMLError(f"<{opened.tag}> is never closed", (opened.position[0], opened.position[1] + 1))
    return "".join(checker.plain)
