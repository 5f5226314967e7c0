"""A whole aiogram Dispatcher polling the stand-in: the loop the playground runs."""

from __future__ import annotations

import asyncio
import contextlib

from aiogram import Dispatcher, F
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message


async def _wait_for(predicate, view, chat_id: int, seconds: float = 5.0) -> dict:
    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline:
        messages = (await view(chat_id))["messages"]
        if predicate(messages):
            return messages
        await asyncio.sleep(0.05)
    raise AssertionError("the bot did not answer in time")


async def test_dispatcher_polling_answers_messages_and_button_presses(api, bot, ids, send, view):
    dp = Dispatcher()

    @dp.message(F.text == "/start")
    async def start(message: Message) -> None:
        button = InlineKeyboardButton(text="Ja", callback_data="yes")
        await message.answer("Welkom", reply_markup=InlineKeyboardMarkup(inline_keyboard=[[button]]))

    @dp.callback_query(F.data == "yes")
    async def pressed(query: CallbackQuery) -> None:
        await query.answer("Top")
        await query.message.edit_text("Gekozen: ja")

    polling = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=30))
    try:
        await send(text="/start")
        messages = await _wait_for(lambda ms: ms[-1]["from_bot"], view, ids.user["id"])
        welcome = messages[-1]
        assert welcome["buttons"] == [[{"text": "Ja", "data": "yes"}]]
        await api.post(
            "/api/press",
            json={
                "chat": ids.user["id"],
                "from": ids.user,
                "message_id": welcome["message_id"],
                "data": "yes",
            },
        )
        await _wait_for(lambda ms: ms[-1]["text"] == "Gekozen: ja", view, ids.user["id"])
        assert (await view())["alerts"] == [{"text": "Top", "show_alert": False}]
    finally:
        await dp.stop_polling()
        with contextlib.suppress(asyncio.CancelledError):
            await polling
