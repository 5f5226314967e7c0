"""Copy versus forward: copies carry no trace of the sender, forwards do (the bot must never forward)."""

from __future__ import annotations

import pytest
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import BufferedInputFile


async def test_copy_message_carries_no_forward_origin(bot, ids, send, view):
    topic = await bot.create_forum_topic(ids.counsellor_chat, "Vraag")
    asked = await send(text="Mijn vraag")
    copied = await bot.copy_message(
        ids.counsellor_chat, ids.user["id"], asked, message_thread_id=topic.message_thread_id
    )
    shown = (await view(ids.counsellor_chat))["messages"][-1]
    assert shown["message_id"] == copied.message_id
    assert (shown["text"], shown["forward_origin"], shown["from_bot"]) == ("Mijn vraag", None, True)
    assert shown["thread_id"] == topic.message_thread_id


async def test_forward_message_records_the_original_sender(bot, ids, send, view):
    asked = await send(text="Mijn vraag")
    forwarded = await bot.forward_message(ids.counsellor_chat, ids.user["id"], asked)
    assert forwarded.forward_origin.sender_user.id == ids.user["id"]
    shown = (await view(ids.counsellor_chat))["messages"][-1]
    assert shown["forward_origin"]["type"] == "user"
    assert shown["forward_origin"]["sender_user"]["id"] == ids.user["id"]


async def test_copy_keeps_media_and_caption_or_takes_a_new_caption(bot, ids, send, view):
    topic = await bot.create_forum_topic(ids.counsellor_chat, "Foto")
    photo = await send(media={"type": "photo"}, caption="kijk")
    await bot.copy_message(
        ids.counsellor_chat, ids.user["id"], photo, message_thread_id=topic.message_thread_id
    )
    await bot.copy_message(
        ids.counsellor_chat, ids.user["id"], photo, caption="<i>nieuw</i>", parse_mode="HTML"
    )
    original = (await view())["messages"][-1]
    first, second = (await view(ids.counsellor_chat))["messages"][-2:]
    assert first["media"] == original["media"] and first["caption"] == "kijk"
    assert (second["caption"], second["html"]) == ("nieuw", "<i>nieuw</i>")


async def test_copy_messages_copies_in_order_and_skips_missing(bot, ids, send):
    first = await send(text="een")
    second = await send(text="twee")
    copied = await bot.copy_messages(ids.counsellor_chat, ids.user["id"], [first, second, 999])
    assert len(copied) == 2 and copied[0].message_id < copied[1].message_id


async def test_copy_of_an_unknown_message_is_refused(bot, ids, send):
    await send(text="hoi")
    with pytest.raises(TelegramBadRequest, match="message to copy not found"):
        await bot.copy_message(ids.counsellor_chat, ids.user["id"], 999)


async def test_uploaded_file_gets_a_new_file_id_that_can_be_sent_again(bot, ids, send, view):
    await send(text="hoi")
    sent = await bot.send_document(
        ids.user["id"], BufferedInputFile(b"%PDF-1.4 test", filename="folder.pdf"), caption="De folder"
    )
    assert sent.document.file_name == "folder.pdf" and sent.document.file_size == 13
    again = await bot.send_document(ids.user["id"], sent.document.file_id)
    assert again.document.file_id == sent.document.file_id
    with pytest.raises(TelegramBadRequest, match="wrong file identifier"):
        await bot.send_voice(ids.user["id"], "no-such-file-id")
    assert (await view())["messages"][-1]["media"] == {"type": "document", "file_id": sent.document.file_id,
                                                       "file_name": "folder.pdf"}


async def test_location_and_contact_can_be_sent(bot, ids, send):
    await send(text="hoi")
    location = await bot.send_location(ids.user["id"], latitude=50.85, longitude=4.35)
    contact = await bot.send_contact(ids.user["id"], phone_number="112", first_name="Noodnummer")
    assert (location.location.latitude, contact.contact.phone_number) == (50.85, "112")
