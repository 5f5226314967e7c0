"""Sending, editing and deleting messages through a real aiogram Bot, answered as Telegram would."""

from __future__ import annotations

import pytest
from aiogram.exceptions import TelegramBadRequest, TelegramUnauthorizedError
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaDocument,
    InputMediaPhoto,
    ReplyParameters,
)

KEYBOARD = InlineKeyboardMarkup(
    inline_keyboard=[
        [InlineKeyboardButton(text="Gezondheid", callback_data="topic:health")],
        [InlineKeyboardButton(text="Website", url="https://example.org")],
    ]
)


async def test_get_me_describes_the_bot_from_its_token(bot, ids):
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.username, me.first_name) == (ids.bot_id, True, "vraagbaak_bot", "Vraagbaak")


async def test_wrong_token_is_unauthorized(api, new_bot):
    intruder = new_bot(api, "42:wrong")
    with pytest.raises(TelegramUnauthorizedError):
        await intruder.get_me()
    await intruder.session.close()
    response = await api.post("/bot42:wrong/getMe")
    assert (response.status, await response.json()) == (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )


async def test_unknown_method_is_not_found(api, ids):
    response = await api.post(f"/bot{ids.token}/sendTelepathy")
    assert (response.status, await response.json()) == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found"},
    )


async def test_method_names_are_case_insensitive_and_json_bodies_work(api, ids, send):
    await send(text="hoi")
    response = await api.post(f"/bot{ids.token}/sendmessage", json={"chat_id": ids.user["id"], "text": "dag"})
    body = await response.json()
    assert response.status == 200 and body["result"]["text"] == "dag"


async def test_urlencoded_form_bodies_work(api, ids, send):
    await send(text="hoi")
    response = await api.post(
        f"/bot{ids.token}/sendMessage", data={"chat_id": str(ids.user["id"]), "text": "dag"}
    )
    assert (await response.json())["ok"] is True


async def test_sent_buttons_show_in_the_chat_view(bot, ids, send, view):
    await send(text="/start")
    sent = await bot.send_message(ids.user["id"], "Waarover gaat je vraag?", reply_markup=KEYBOARD)
    assert sent.reply_markup.model_dump(exclude_none=True) == KEYBOARD.model_dump(exclude_none=True)
    shown = (await view())["messages"][-1]
    assert shown["message_id"] == sent.message_id and shown["from_bot"] is True
    assert shown["buttons"] == [
        [{"text": "Gezondheid", "data": "topic:health"}],
        [{"text": "Website", "url": "https://example.org"}],
    ]


async def test_html_text_shows_plain_with_html_kept(bot, ids, send, view):
    await send(text="hoi")
    sent = await bot.send_message(ids.user["id"], "<b>Veilig</b> &amp; anoniem", parse_mode="HTML")
    assert sent.text == "Veilig & anoniem"
    shown = (await view())["messages"][-1]
    assert (shown["text"], shown["html"]) == ("Veilig & anoniem", "<b>Veilig</b> &amp; anoniem")


async def test_edit_replaces_the_text_in_place(bot, ids, send, view):
    await send(text="hoi")
    sent = await bot.send_message(ids.user["id"], "Even geduld", reply_markup=KEYBOARD)
    edited = await bot.edit_message_text("Klaar", chat_id=ids.user["id"], message_id=sent.message_id)
    assert edited.text == "Klaar" and edited.edit_date is not None
    messages = (await view())["messages"]
    assert [m["text"] for m in messages] == ["hoi", "Klaar"]
    assert messages[-1]["buttons"] == []  # an edit that does not repeat the keyboard drops it


async def test_edit_with_same_content_is_not_modified(bot, ids, send):
    await send(text="hoi")
    sent = await bot.send_message(ids.user["id"], "Zelfde", reply_markup=KEYBOARD)
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text(
            "Zelfde", chat_id=ids.user["id"], message_id=sent.message_id, reply_markup=KEYBOARD
        )
    await bot.edit_message_reply_markup(chat_id=ids.user["id"], message_id=sent.message_id)
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_reply_markup(chat_id=ids.user["id"], message_id=sent.message_id)


async def test_edit_media_swaps_the_file_and_its_caption(bot, ids, send, view):
    await send(text="hoi")
    sent = await bot.send_document(ids.user["id"], BufferedInputFile(b"old", "old.pdf"), caption="folder")
    photo = await bot.send_photo(ids.user["id"], BufferedInputFile(b"png", "kaart.png"))
    swapped = await bot.edit_message_media(
        InputMediaPhoto(media=photo.photo[-1].file_id, caption="kaart"), chat_id=ids.user["id"], message_id=sent.message_id
    )
    assert swapped.photo[-1].file_id == photo.photo[-1].file_id and swapped.caption == "kaart"
    assert swapped.document is None and swapped.edit_date is not None
    uploaded = await bot.edit_message_media(
        InputMediaDocument(media=BufferedInputFile(b"new", "new.pdf")), chat_id=ids.user["id"], message_id=sent.message_id
    )
    assert uploaded.document.file_name == "new.pdf" and uploaded.caption is None
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_media(
            InputMediaDocument(media=uploaded.document.file_id), chat_id=ids.user["id"], message_id=sent.message_id
        )
    text = await bot.send_message(ids.user["id"], "tekst")
    with pytest.raises(TelegramBadRequest, match="there is no media in the message to edit"):
        await bot.edit_message_media(
            InputMediaDocument(media=uploaded.document.file_id), chat_id=ids.user["id"], message_id=text.message_id
        )
    with pytest.raises(TelegramBadRequest, match="wrong file identifier"):
        await bot.edit_message_media(InputMediaPhoto(media="nope"), chat_id=ids.user["id"], message_id=sent.message_id)
    shown = next(m for m in (await view())["messages"] if m["message_id"] == sent.message_id)
    assert shown["media"]["type"] == "document"


async def test_editing_or_deleting_an_unknown_message_is_refused(bot, ids, send):
    await send(text="hoi")
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("x", chat_id=ids.user["id"], message_id=999)
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(ids.user["id"], 999)


async def test_invalid_html_raises_bad_request(bot, ids, send):
    await send(text="hoi")
    with pytest.raises(TelegramBadRequest, match="can't parse entities") as caught:
        await bot.send_message(ids.user["id"], "<b>open", parse_mode="HTML")
    assert caught.value.message.startswith("Bad Request: can't parse entities: ")


async def test_unknown_chat_is_not_found(bot):
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(555, "hallo")


async def test_empty_text_is_refused(bot, ids, send):
    await send(text="hoi")
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await bot.send_message(ids.user["id"], "<b> </b>", parse_mode="HTML")


async def test_text_limit_is_4096_characters_after_entity_parsing(bot, ids, send):
    await send(text="hoi")
    await bot.send_message(ids.user["id"], "<b>" + "a" * 4096 + "</b>", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(ids.user["id"], "a" * 4097)


async def test_caption_limit_is_1024_characters(bot, ids, send):
    await send(text="hoi")
    file_id = (await bot.send_photo(ids.user["id"], "https://example.org/a.jpg")).photo[-1].file_id
    with pytest.raises(TelegramBadRequest, match="message caption is too long"):
        await bot.send_photo(ids.user["id"], file_id, caption="a" * 1025)


async def test_callback_data_over_64_bytes_is_button_data_invalid(bot, ids, send):
    await send(text="hoi")
    too_long = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="x", callback_data="é" * 33)]]
    )
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(ids.user["id"], "kies", reply_markup=too_long)


async def test_delete_marks_the_message_deleted_but_keeps_it_listed(bot, ids, send, view):
    await send(text="hoi")
    sent = await bot.send_message(ids.user["id"], "weg ermee")
    assert await bot.delete_message(ids.user["id"], sent.message_id) is True
    shown = (await view())["messages"][-1]
    assert (shown["text"], shown["deleted"]) == ("weg ermee", True)
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(ids.user["id"], sent.message_id)


async def test_delete_of_a_message_older_than_48_hours_is_refused(api, bot, ids, send):
    first = await send(text="oud bericht")
    second = await send(text="nieuw bericht")
    response = await api.post(
        "/api/age", json={"chat": ids.user["id"], "message_id": first, "seconds": 48 * 3600 + 1}
    )
    assert response.status == 200
    with pytest.raises(TelegramBadRequest, match="message can't be deleted"):
        await bot.delete_message(ids.user["id"], first)
    assert await bot.delete_message(ids.user["id"], second) is True


async def test_delete_messages_skips_what_it_cannot_delete(bot, ids, send, view):
    kept = await send(text="a")
    gone = await send(text="b")
    await bot.delete_message(ids.user["id"], kept)
    assert await bot.delete_messages(ids.user["id"], [kept, gone, 999]) is True
    assert all(m["deleted"] for m in (await view())["messages"])


async def test_reply_to_an_unknown_message_is_refused(bot, ids, send):
    asked = await send(text="vraag")
    answer = await bot.send_message(
        ids.user["id"], "antwoord", reply_parameters=ReplyParameters(message_id=asked)
    )
    assert answer.reply_to_message.message_id == asked
    with pytest.raises(TelegramBadRequest, match="message to be replied not found"):
        await bot.send_message(ids.user["id"], "x", reply_parameters=ReplyParameters(message_id=999))


async def test_pressing_a_button_gives_a_callback_update_and_the_answer_shows_as_alert(
    api, bot, ids, send, view
):
    await send(text="hoi")
    sent = await bot.send_message(ids.user["id"], "kies", reply_markup=KEYBOARD)
    response = await api.post(
        "/api/press",
        json={
            "chat": ids.user["id"],
            "from": ids.user,
            "message_id": sent.message_id,
            "data": "topic:health",
        },
    )
    pressed = await response.json()
    updates = await bot.get_updates(offset=-1)
    query = updates[0].callback_query
    assert (query.id, query.data, query.message.message_id) == (
        pressed["callback_query_id"],
        "topic:health",
        sent.message_id,
    )
    assert await bot.answer_callback_query(query.id, text="Even kijken", show_alert=True) is True
    assert (await view())["alerts"] == [{"text": "Even kijken", "show_alert": True}]
    with pytest.raises(TelegramBadRequest, match="query ID is invalid"):
        await bot.answer_callback_query(query.id)


async def test_commands_are_kept_per_scope_and_language(bot):
    await bot.set_my_commands([BotCommand(command="start", description="Begin")], language_code="nl")
    await bot.set_my_commands(
        [BotCommand(command="talk", description="Talk")], scope=BotCommandScopeAllPrivateChats()
    )
    assert [c.command for c in await bot.get_my_commands(language_code="nl")] == ["start"]
    assert await bot.get_my_commands() == []
    assert [c.command for c in await bot.get_my_commands(scope=BotCommandScopeAllPrivateChats())] == ["talk"]
    await bot.delete_my_commands(language_code="nl")
    assert await bot.get_my_commands(language_code="nl") == []
