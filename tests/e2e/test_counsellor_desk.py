"""What counsellors see, in their own language (Arabic, right to left, and French): which danger a
crisis is and the message that raised it, human topic titles, who has a conversation, /queue's list,
a fresh notice after /release, and the bot's own words marked apart from the person's copies."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.config import Settings
from bot.i18n import create_i18n
from handoff.notices import BOT_MARK, danger_label, wait_words
from knowledge.languages import native_name
from knowledge.loader import load_knowledge
from playground.runner import COUNSELLOR_CHAT_ID
from tests.e2e.client import Person
from tests.e2e.desk_steps import bot_notes, claim_by_place, desk_in, talk_about
from tests.e2e.handoff_steps import (
    COUNSELLOR,
    OTHER_COUNSELLOR,
    group_id,
    new_topic,
    notice,
    open_topic,
    topic_count,
)

I18N = create_i18n("en")
KB = load_knowledge().kb


def said_in(lang: str, say) -> str:  # type: ignore[no-untyped-def]
    """What the interface says in `lang` (from the compiled catalog the bot uses)."""
    with I18N.context(), I18N.use_locale(lang):
        return str(say())


@pytest.mark.parametrize("lang", ["ar", "fr"])
async def test_a_crisis_notice_names_the_danger_and_holds_the_message_that_raised_it(
    settings: Settings, tmp_path: Path, lang: str
) -> None:
    async with desk_in(settings, tmp_path, lang) as client:
        gid = await group_id(client)
        person = Person(id=310001, language_code="en")
        words = "he's going to kill me, he is at the door"
        crisis = await client.reply_to(person, words, containing="112")
        before = await topic_count(client)
        await client.press(person, crisis, "counsellor")
        topic = await new_topic(client, before)
        assert topic["name"].startswith("🆘")
        label = said_in(lang, lambda: danger_label("violence_now"))
        assert label != said_in(
            "en", lambda: danger_label("violence_now")
        )  # really in the counsellors' language
        note = await client.wait_for(
            gid, lambda ms: next((m for m in bot_notes(ms, topic["thread_id"]) if label in m["text"]), None)
        )
        copied = await client.wait_for(
            gid,
            lambda ms: next(
                (m for m in ms if m["thread_id"] == topic["thread_id"] and m["text"] == words), None
            ),
        )
        assert copied["message_id"] > note["message_id"] and copied["forward_origin"] is None
        assert not copied["text"].startswith(BOT_MARK)

        # Danger written later in a waiting conversation: named too, the message relayed after it.
        other = Person(id=310002, language_code="en")
        waiting = await open_topic(client, other)
        await client.send(other, "i want to die")
        suicide = said_in(lang, lambda: danger_label("suicide"))
        note = await client.wait_for(
            gid,
            lambda ms: next((m for m in bot_notes(ms, waiting["thread_id"]) if suicide in m["text"]), None),
        )
        await client.wait_for(
            gid,
            lambda ms: next(
                (
                    m
                    for m in ms
                    if m["thread_id"] == waiting["thread_id"]
                    and m["text"] == "i want to die"
                    and m["message_id"] > note["message_id"]
                ),
                None,
            ),
        )


def test_every_crisis_kind_has_its_own_label_and_an_unknown_one_is_still_named() -> None:
    for lang in ("en", "ar", "fr"):
        labels = {
            kind: said_in(lang, lambda k=kind: danger_label(k))
            for kind in ("violence_now", "held", "suicide", "medical")
        }
        assert len(set(labels.values())) == 4 and all("_" not in label for label in labels.values())
        assert said_in(lang, lambda: danger_label("fire_now")) == "fire now"
        assert said_in(lang, lambda: danger_label("<b>x")) == "&lt;b&gt;x"


@pytest.mark.parametrize("lang", ["ar", "fr"])
async def test_titles_queue_and_release_speak_the_counsellors_language(
    settings: Settings, tmp_path: Path, lang: str
) -> None:
    async with desk_in(settings, tmp_path, lang) as client:
        gid = await group_id(client)
        asker = Person(id=320001, language_code="ru")
        topic = await talk_about(client, asker, "health.pregnancy")
        title = KB.title("health.pregnancy", [lang])
        assert title in topic["name"] and "health.pregnancy" not in topic["name"]
        note = await notice(client, topic["thread_id"])
        assert note["text"].startswith(BOT_MARK) and title in note["text"] and "health." not in note["text"]

        await claim_by_place(client, topic["thread_id"])
        named = await client.wait_for(
            gid,
            lambda ms: next(
                (
                    t
                    for t in client.last_topics
                    if t["thread_id"] == topic["thread_id"] and "✋ Sara" in t["name"]
                ),
                None,
            ),
        )
        assert title in named["name"]

        waiting = await open_topic(client, Person(id=320002, language_code="th"))
        reader = Person(id=COUNSELLOR.id, first_name=COUNSELLOR.first_name, language_code=lang)
        await client.send(reader, "/queue", chat=gid)
        listed = await client.wait_for(
            gid,
            lambda ms: next(
                (m for m in ms if m["text"].startswith(BOT_MARK) and "t.me/c/" in m["html"]), None
            ),
        )
        link = f"https://t.me/c/{str(-COUNSELLOR_CHAT_ID)[3:]}/"
        assert (
            f'{link}{topic["thread_id"]}"' in listed["html"]
            and f'{link}{waiting["thread_id"]}"' in listed["html"]
        )
        lines = listed["text"].splitlines()
        claimed = next(line for line in lines if topic["name"].split(" · ")[0] in line)
        assert "Sara" in claimed and native_name("ru") in claimed and title in claimed
        queued = next(line for line in lines if waiting["name"].split(" · ")[0] in line)
        assert native_name("th") in queued
        assert said_in(lang, lambda: wait_words(dt.timedelta(0))) in queued

        # Released: a fresh notice at the bottom claims it; the old one says where to look.
        await client.send(COUNSELLOR, "/release", chat=gid, thread_id=topic["thread_id"])
        fresh = await client.wait_for(
            gid,
            lambda ms: next(
                (
                    m
                    for m in ms
                    if m["thread_id"] == topic["thread_id"]
                    and m["buttons"]
                    and m["message_id"] > note["message_id"]
                ),
                None,
            ),
        )
        old = next(m for m in await client.messages(gid) if m["message_id"] == note["message_id"])
        assert not old["buttons"] and old["text"].startswith(BOT_MARK) and fresh["text"].startswith(BOT_MARK)
        await client.press_data(
            OTHER_COUNSELLOR, fresh["message_id"], fresh["buttons"][0][0]["data"], chat=gid
        )
        await client.wait_for(
            gid,
            lambda ms: next(
                (
                    t
                    for t in client.last_topics
                    if t["thread_id"] == topic["thread_id"] and "✋ Tom" in t["name"]
                ),
                None,
            ),
        )
