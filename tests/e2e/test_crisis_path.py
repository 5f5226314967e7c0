"""The crisis path through the real bot, for every language and every kind of danger, with the
counsellors in and at night: the numbers for the danger in the person's language come in the right
order, the button says what pressing it really does, and a message left at night is acknowledged."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import pytest_asyncio
from aiogram.utils.i18n import gettext as _

from bot.config import Settings
from bot.i18n import create_i18n
from bot.opening_hours import WEEKDAYS, Availability
from flows.crisis import message_received
from knowledge.crisis import KINDS
from knowledge.engine import AnswerEngine
from knowledge.languages import SUPPORTED_LANGUAGES
from playground.runner import Playground
from tests.e2e.client import Person, PlaygroundClient, buttons

IN_MODULE_LOOP = pytest.mark.asyncio(loop_scope="module")  # the playgrounds live as long as the module

ALWAYS_OPEN = dict.fromkeys(WEEKDAYS, "00:00-24:00")
# A number stands alone: not part of a longer one ("0800 32 123" holds no "123" of its own).
NUMBERS = re.compile(r"(?<!\d)(?<!\d )(112|101|1712|1813|108|0800 32 123|078 05 58 00)(?! ?\d)")
SUICIDE_ORDER = {"nl": ["1813", "112"], "fr": ["0800 32 123", "112"]}
EXPECTED = {"held": ["112", "078 05 58 00"], "violence_now": ["112"], "medical": ["112"]}
I18N = create_i18n("en")


def closed_now_opening_later() -> dict[str, str]:
    """Every day one hour that starts ~12 hours from now: closed during the test, a known next opening."""
    hour = (dt.datetime.now(dt.UTC).astimezone(Settings(_env_file=None).hours().timezone).hour + 12) % 24  # type: ignore[call-arg]
    return dict.fromkeys(WEEKDAYS, f"{hour:02d}:00-{'24' if hour == 23 else f'{hour + 1:02d}'}:00")


@contextmanager
def locale(lang: str) -> Iterator[None]:
    with I18N.context(), I18N.use_locale(lang):
        yield


def first_numbers(text: str) -> list[str]:
    """The phone numbers in the order they first appear."""
    seen: list[str] = []
    for number in NUMBERS.findall(text):
        if number not in seen:
            seen.append(number)
    return seen


def expected_numbers(kind: str, lang: str) -> list[str]:
    if kind == "suicide":
        return SUICIDE_ORDER.get(lang, ["112", "1813", "0800 32 123"])
    return EXPECTED[kind]


def danger_phrases() -> dict[tuple[str, str], str]:
    """For each language and kind, a phrase from that language's lexicon that the check reads as that kind."""
    engine = AnswerEngine.load()[0]
    found: dict[tuple[str, str], str] = {}
    for lang, lexicon in engine.kb.crisis.items():
        for kind in KINDS:
            for phrase in getattr(lexicon, kind, []):
                text = phrase.replace("*", "")
                hit = engine.crisis.check(text)
                if hit is not None and hit.kind == kind:
                    found[(lang, kind)] = text
                    break
    return found


PHRASES = danger_phrases()


@pytest_asyncio.fixture(scope="module", loop_scope="module", params=["open", "night"])
async def desk(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Any]:
    hours = ALWAYS_OPEN if request.param == "open" else closed_now_opening_later()
    data = tmp_path_factory.mktemp(request.param)
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=data / "data",
        secret_key="test-secret-key-for-tests-only",
        opening_hours=hours,
    )
    pg = Playground(settings, data / "playground", port=0)
    await pg.start()
    try:
        async with PlaygroundClient(pg.url) as client:
            yield request.param, settings, client
    finally:
        await pg.stop()


@IN_MODULE_LOOP
@pytest.mark.parametrize("lang", SUPPORTED_LANGUAGES)
async def test_each_danger_gets_its_numbers_a_truthful_button_and_an_acknowledged_message(
    desk: Any, lang: str
) -> None:
    state, settings, client = desk
    problems = []
    kinds = [kind for kind in KINDS if (lang, kind) in PHRASES]
    assert {"violence_now", "held", "suicide"} <= set(kinds), f"no lexicon phrase for some kinds in {lang}"
    for number, kind in enumerate(kinds):
        person = Person(
            id=500000 + 1000 * SUPPORTED_LANGUAGES.index(lang) + 10 * number + (state == "night"),
            language_code=lang,
        )
        reply = await client.reply_to(person, PHRASES[(lang, kind)], containing="🆘")
        availability = settings.hours().availability(dt.datetime.now(dt.UTC))
        with locale(lang):
            button = (
                _("💬 Talk to a counsellor now") if state == "open" else _("✉️ Leave a message for the team")
            )
            received = message_received(availability, lang)
        if first_numbers(reply["text"]) != expected_numbers(kind, lang):
            problems.append(
                f"{kind}: numbers {first_numbers(reply['text'])}, not {expected_numbers(kind, lang)}"
            )
        if buttons(reply) != [button]:
            problems.append(f"{kind}: buttons {buttons(reply)}, not {[button]}")
            continue
        confirmation = await _press(client, person, reply)
        if state == "night":
            when = availability.when(lang)
            assert when is not None
            # 112 first, then one line on when it is read: no weekday table.
            if not (
                "112" in confirmation
                and when["time"] in confirmation
                and when["day"] in confirmation
                and confirmation.index("112") < confirmation.index(when["time"])
                and len(re.findall(r"\d\d:\d\d", confirmation)) == 1
            ):
                problems.append(f"{kind}: at night the press says {confirmation!r}")
        elif "112" in confirmation or "/end" not in confirmation:
            problems.append(f"{kind}: in hours the press says {confirmation!r}")
        left = await _leave(client, person, "please call me back")
        if state == "night" and left != [received]:
            problems.append(f"{kind}: a message left at night got {left}, not {[received]}")
        if state == "open" and left:
            problems.append(f"{kind}: a message in hours got {left}")
    assert not problems, f"{lang} ({state}): " + "; ".join(problems)


async def _press(client: PlaygroundClient, person: Person, reply: dict[str, Any]) -> str:
    before = len(await client.messages(person.id))
    await client.press_data(person, reply["message_id"], reply["buttons"][0][0]["data"])
    message = await client.wait_for(
        person.id, lambda ms: next((m for m in ms[before:] if m["from_bot"]), None)
    )
    return message["text"]


async def _leave(client: PlaygroundClient, person: Person, text: str) -> list[str]:
    """What the bot says to a message left in the conversation, up to the reply to a /help sent after it
    (each chat's updates are handled in order)."""
    before = len(await client.messages(person.id))
    await client.send(person, text)
    await client.send(person, "/help")
    messages = await client.wait_for(
        person.id, lambda ms: ms if any("/talk" in m["text"] for m in ms[before:] if m["from_bot"]) else None
    )
    return [m["text"] for m in messages[before:] if m["from_bot"] and "/talk" not in m["text"]]


@IN_MODULE_LOOP
async def test_danger_written_at_night_while_waiting_is_answered_once(desk: Any) -> None:
    """The crisis reply to danger written in a waiting conversation says it was received: no second line."""
    state, settings, client = desk
    person = Person(id=590001 + (state == "night"), language_code="fr")
    reply = await client.reply_to(person, PHRASES[("fr", "held")], containing="🆘")
    await _press(client, person, reply)
    before = len(await client.messages(person.id))
    await client.send(person, PHRASES[("fr", "suicide")])
    await client.send(person, "/help")
    messages = await client.wait_for(
        person.id, lambda ms: ms if any("/talk" in m["text"] for m in ms[before:] if m["from_bot"]) else None
    )
    said = [m["text"] for m in messages[before:] if m["from_bot"] and "/talk" not in m["text"]]
    assert len(said) == 1 and first_numbers(said[0])[0] == "0800 32 123", said
    availability = settings.hours().availability(dt.datetime.now(dt.UTC))
    with locale("fr"):
        assert (message_received(availability, "fr") in said[0]) == (state == "night"), said[0]


def test_the_medical_reply_is_112_and_stay_with_the_person() -> None:
    """Until the lexicons have `medical`, the reply is checked here; the test above covers it once they do."""
    from flows.crisis import crisis_buttons, crisis_text
    from knowledge.crisis import CrisisHit

    kb = AnswerEngine.load()[0].kb
    night = Availability(False, None, "Brussels")
    for lang in SUPPORTED_LANGUAGES:
        with locale(lang):
            text = crisis_text(CrisisHit("medical", lang), kb, lang, availability=night)
            assert first_numbers(text) == ["112"], (lang, text)
            assert text.startswith("🆘") and text.index("112") < text.index(
                _(
                    "Our counsellors are not online right now. With the button below you can leave a message for "
                    "the team: it is read first when they are back."
                )
            ), (lang, text)
            assert buttons_text(crisis_buttons(night)) == [_("✉️ Leave a message for the team")]


def buttons_text(markup: Any) -> list[str]:
    return [button.text for row in markup.inline_keyboard for button in row]


def test_without_planned_hours_nobody_is_promised_a_time() -> None:
    from flows.crisis import crisis_text
    from knowledge.crisis import CrisisHit

    kb = AnswerEngine.load()[0].kb
    with locale("en"):
        text = crisis_text(
            CrisisHit("held", "en"), kb, "en", availability=Availability(False, None, "Brussels")
        )
        assert "read first when they are back" in text and not re.search(r"\d\d:\d\d", text.split("\n\n")[-1])
        assert message_received(Availability(False, None, "Brussels"), "en").startswith("Received.")


def test_the_next_opening_is_named_in_the_persons_language() -> None:
    opening = dt.datetime(2026, 12, 8, 10, 0, tzinfo=Settings(_env_file=None).hours().timezone)  # type: ignore[call-arg]
    availability = Availability(False, opening, "Brussels")
    assert availability.when("fr") == {"day": "mardi", "time": "10:00", "timezone": "Brussels"}
    assert availability.when("en") == {"day": "Tuesday", "time": "10:00", "timezone": "Brussels"}
    with locale("en"):
        assert message_received(availability, "en") == (
            "Received. The next counsellor reads it on Tuesday at 10:00 (Brussels time). In danger now: 112."
        )
