"""Updates: what users do reaches the bot by getUpdates long polling, parsed by aiogram's models."""

from __future__ import annotations

import asyncio
import time

import pytest
from aiogram.exceptions import TelegramConflictError
from aiogram.types import Update

MEDIA = ["photo", "voice", "video", "document", "sticker", "video_note", "audio", "animation"]


@pytest.mark.parametrize("kind", MEDIA)
async def test_media_from_a_user_arrives_as_a_parsable_message_update(api, bot, ids, send, kind):
    captioned = kind not in ("sticker", "video_note")  # Telegram gives these no caption
    await send(
        media={"type": kind, "file_id": f"user-{kind}"}, **({"caption": "zie bijlage"} if captioned else {})
    )
    response = await api.post(f"/bot{ids.token}/getUpdates")
    raw = (await response.json())["result"][-1]
    update = Update.model_validate(raw, context={"bot": bot})
    media = getattr(update.message, kind)
    file_id = media[-1].file_id if kind == "photo" else media.file_id
    assert file_id == f"user-{kind}"
    assert update.message.caption == ("zie bijlage" if captioned else None)


async def test_user_file_id_can_be_sent_back_by_the_bot(bot, ids, send):
    await send(media={"type": "voice"})
    voice = (await bot.get_updates())[-1].message.voice
    sent = await bot.send_voice(ids.user["id"], voice.file_id)
    assert sent.voice.file_unique_id == voice.file_unique_id


async def test_a_user_swapping_a_file_gives_an_edited_message_with_the_new_one(api, bot, ids, send):
    sent = await send(media={"type": "photo", "file_id": "blurry"}, caption="hier")
    edit = {"from": ids.user, "chat": ids.user["id"], "message_id": sent}
    response = await api.post("/api/edit", json={**edit, "media": {"type": "document", "file_id": "scan"}, "caption": "hier"})
    assert response.status == 200, await response.json()
    edited = (await bot.get_updates())[-1].edited_message
    assert edited.document.file_id == "scan" and edited.photo is None and edited.caption == "hier"
    voice = await send(media={"type": "voice"})
    refused = await api.post("/api/edit", json={**edit, "message_id": voice, "media": {"type": "photo"}})
    assert refused.status == 400 and "voice" in (await refused.json())["error"]
    wrong = await api.post("/api/edit", json={**edit, "media": {"type": "sticker"}})
    assert wrong.status == 400 and "media.type" in (await wrong.json())["error"]


async def test_location_and_contact_from_a_user_parse(bot, send):
    await send(location={"latitude": 51.2, "longitude": 4.4})
    await send(contact={"phone_number": "+3212345678", "first_name": "Sam"})
    first, second = (update.message for update in await bot.get_updates())
    assert first.location.longitude == 4.4 and second.contact.first_name == "Sam"


async def test_long_poll_returns_as_soon_as_a_user_writes(bot, send):
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=20))
    await asyncio.sleep(0.2)
    assert not poll.done()
    await send(text="hallo?")
    updates = await asyncio.wait_for(poll, timeout=5)
    assert [u.message.text for u in updates] == ["hallo?"]
    assert time.monotonic() - started < 5


async def test_long_poll_without_updates_waits_for_its_timeout(bot):
    started = time.monotonic()
    assert await bot.get_updates(timeout=1) == []
    assert time.monotonic() - started >= 0.9


async def test_offset_acknowledges_and_limit_caps(bot, send):
    for text in ("een", "twee", "drie"):
        await send(text=text)
    first = await bot.get_updates(limit=2)
    assert [u.message.text for u in first] == ["een", "twee"]
    rest = await bot.get_updates(offset=first[-1].update_id + 1)
    assert [u.message.text for u in rest] == ["drie"]
    assert [u.message.text for u in await bot.get_updates()] == ["drie"]


async def test_a_second_poller_ends_the_first_with_conflict(bot):
    first = asyncio.create_task(bot.get_updates(timeout=10))
    await asyncio.sleep(0.2)
    second = asyncio.create_task(bot.get_updates(timeout=1))
    with pytest.raises(TelegramConflictError):
        await asyncio.wait_for(first, timeout=5)
    assert await second == []


async def test_allowed_updates_filters_later_updates(api, bot, ids, send):
    await bot.get_updates(allowed_updates=["callback_query"])
    await send(text="niet gezien")
    assert await bot.get_updates() == []
    await bot.get_updates(allowed_updates=[])  # back to the default: every usual type
    await send(text="wel gezien")
    assert [u.message.text for u in await bot.get_updates()] == ["wel gezien"]


async def test_webhook_is_stored_and_blocks_get_updates(bot):
    await bot.set_webhook("https://example.org/hook")
    assert (await bot.get_webhook_info()).url == "https://example.org/hook"
    with pytest.raises(TelegramConflictError):
        await bot.get_updates()
    await bot.delete_webhook(drop_pending_updates=True)
    assert (await bot.get_webhook_info()).url == ""
    assert await bot.get_updates() == []
