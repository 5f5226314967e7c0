"""The counsellors' group: a forum supergroup whose topics the bot opens, closes and writes in."""

from __future__ import annotations

import pytest
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.types import MenuButtonCommands


async def test_create_topic_posts_the_service_message_and_lists_the_topic(bot, ids, view):
    topic = await bot.create_forum_topic(ids.counsellor_chat, "Vraag #1")
    assert topic.name == "Vraag #1" and topic.icon_color == 7322096
    shown = await view(ids.counsellor_chat)
    assert shown["topics"] == [
        {"thread_id": topic.message_thread_id, "name": "Vraag #1", "closed": False, "icon_color": 7322096}
    ]
    opening = shown["messages"][-1]
    assert (opening["message_id"], opening["thread_id"], opening["service"]) == (
        topic.message_thread_id,
        topic.message_thread_id,
        "forum_topic_created",
    )


async def test_bot_message_goes_into_the_topic(bot, ids, view):
    topic = await bot.create_forum_topic(ids.counsellor_chat, "Vraag #2")
    sent = await bot.send_message(
        ids.counsellor_chat, "Nieuwe vraag", message_thread_id=topic.message_thread_id
    )
    assert sent.message_thread_id == topic.message_thread_id and sent.is_topic_message is True
    assert sent.chat.is_forum is True and sent.chat.type == "supergroup"
    assert (await view(ids.counsellor_chat))["messages"][-1]["thread_id"] == topic.message_thread_id


async def test_closed_topic_refuses_messages_until_reopened(bot, ids, view):
    topic = await bot.create_forum_topic(ids.counsellor_chat, "Vraag #3")
    assert await bot.close_forum_topic(ids.counsellor_chat, topic.message_thread_id) is True
    assert (await view(ids.counsellor_chat))["topics"][0]["closed"] is True
    with pytest.raises(TelegramBadRequest, match="TOPIC_CLOSED"):
        await bot.send_message(ids.counsellor_chat, "nog iets", message_thread_id=topic.message_thread_id)
    with pytest.raises(TelegramBadRequest, match="TOPIC_NOT_MODIFIED"):
        await bot.close_forum_topic(ids.counsellor_chat, topic.message_thread_id)
    await bot.reopen_forum_topic(ids.counsellor_chat, topic.message_thread_id)
    await bot.send_message(ids.counsellor_chat, "nog iets", message_thread_id=topic.message_thread_id)


async def test_unknown_thread_is_not_found(bot, ids):
    with pytest.raises(TelegramBadRequest, match="message thread not found"):
        await bot.send_message(ids.counsellor_chat, "hallo", message_thread_id=4242)


async def test_topics_exist_only_in_the_counsellor_forum(bot, ids, send):
    await send(text="hoi")
    with pytest.raises(TelegramBadRequest, match="the chat is not a forum"):
        await bot.create_forum_topic(ids.user["id"], "nee")


async def test_edit_and_delete_topic(bot, ids, view):
    topic = await bot.create_forum_topic(ids.counsellor_chat, "Oud")
    await bot.send_message(ids.counsellor_chat, "in het topic", message_thread_id=topic.message_thread_id)
    await bot.edit_forum_topic(ids.counsellor_chat, topic.message_thread_id, name="Nieuw")
    assert (await view(ids.counsellor_chat))["topics"][0]["name"] == "Nieuw"
    await bot.delete_forum_topic(ids.counsellor_chat, topic.message_thread_id)
    shown = await view(ids.counsellor_chat)
    assert shown["topics"] == [] and all(m["deleted"] for m in shown["messages"])


async def test_counsellor_reply_in_a_topic_reaches_the_bot_with_its_thread(api, bot, ids, send):
    topic = await bot.create_forum_topic(ids.counsellor_chat, "Vraag #4")
    await send(
        chat=ids.counsellor_chat,
        sender=ids.counsellor,
        text="Ik help je graag",
        thread_id=topic.message_thread_id,
    )
    message = (await bot.get_updates())[-1].message
    assert (message.chat.id, message.message_thread_id, message.is_topic_message) == (
        ids.counsellor_chat,
        topic.message_thread_id,
        True,
    )
    assert message.from_user.id == ids.counsellor["id"]
    # As in Telegram, a plain message in a topic replies to the topic's opening message.
    assert message.reply_to_message.forum_topic_created.name == "Vraag #4"


async def test_counsellor_cannot_write_in_a_closed_topic(api, bot, ids):
    topic = await bot.create_forum_topic(ids.counsellor_chat, "Dicht")
    await bot.close_forum_topic(ids.counsellor_chat, topic.message_thread_id)
    response = await api.post(
        "/api/send",
        json={
            "chat": ids.counsellor_chat,
            "from": ids.counsellor,
            "text": "hallo",
            "thread_id": topic.message_thread_id,
        },
    )
    assert response.status == 400


async def test_chat_member_status_follows_the_configured_roles(bot, ids):
    status = {
        user: (await bot.get_chat_member(ids.counsellor_chat, user)).status
        for user in (ids.counsellors[0], ids.editors[0], 777, ids.bot_id)
    }
    assert status == {
        ids.counsellors[0]: "administrator",
        ids.editors[0]: "member",
        777: "left",
        ids.bot_id: "administrator",
    }
    admins = {member.user.id for member in await bot.get_chat_administrators(ids.counsellor_chat)}
    assert admins == {ids.bot_id, *ids.counsellors}


async def test_get_chat_describes_the_forum_and_private_chats(bot, ids, send):
    group = await bot.get_chat(ids.counsellor_chat)
    assert (group.type, group.title, group.is_forum) == ("supergroup", "Counsellors", True)
    await send(text="hoi")
    private = await bot.get_chat(ids.user["id"])
    assert (private.type, private.first_name) == ("private", ids.user["first_name"])
    assert (await bot.get_chat_member(ids.user["id"], ids.user["id"])).status == "member"


async def test_after_leaving_the_group_the_bot_cannot_write_there(bot, ids):
    assert await bot.leave_chat(ids.counsellor_chat) is True
    with pytest.raises(TelegramForbiddenError, match="bot is not a member"):
        await bot.send_message(ids.counsellor_chat, "hallo?")


async def test_chat_action_and_menu_button_are_accepted(bot, ids, send):
    await send(text="hoi")
    assert await bot.send_chat_action(ids.user["id"], "typing") is True
    with pytest.raises(TelegramBadRequest, match="wrong parameter action"):
        await bot.send_chat_action(ids.user["id"], "dancing")
    await bot.set_chat_menu_button(chat_id=ids.user["id"], menu_button=MenuButtonCommands())
    assert (await bot.get_chat_menu_button(chat_id=ids.user["id"])).type == "commands"


async def test_an_anonymous_admin_writes_as_the_group_and_only_there(api, bot, ids):
    topic = await bot.create_forum_topic(ids.counsellor_chat, "Anoniem")
    body = {"chat": ids.counsellor_chat, "from": ids.counsellor, "text": "hoi", "thread_id": topic.message_thread_id,
            "anonymous": True}
    assert (await api.post("/api/send", json=body)).status == 200
    message = (await bot.get_updates())[-1].message
    assert message.sender_chat.id == ids.counsellor_chat
    assert message.from_user.username == "GroupAnonymousBot" and message.from_user.id != ids.counsellor["id"]
    private = {"chat": ids.counsellor["id"], "from": ids.counsellor, "text": "hoi", "anonymous": True}
    response = await api.post("/api/send", json=private)
    assert response.status == 400 and "anonymous" in (await response.json())["error"]
