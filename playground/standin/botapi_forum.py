"""Forum topic methods; only the counsellors' group is a forum."""

from __future__ import annotations

from typing import Any

from playground.standin.botapi_send import Handler
from playground.standin.errors import bad_request, forbidden
from playground.standin.params import Params
from playground.standin.state import StandinState

# The six colours Telegram allows for a topic icon; the first is its default.
ICON_COLORS = (7322096, 16766590, 13338331, 9367192, 16749490, 16478047)


def _forum(state: StandinState, p: Params) -> dict[str, Any]:
    chat = state.require_chat(p.values.get("chat_id"))
    if chat["left"]:
        raise forbidden("bot is not a member of the supergroup chat")
    if not chat.get("is_forum"):
        raise bad_request("the chat is not a forum")
    if not chat.get("bot_can_manage_topics", True):
        raise bad_request("not enough rights to create a topic" if p.values.get("name") is not None
                          else "CHAT_ADMIN_REQUIRED")
    return chat


def _topic(state: StandinState, p: Params) -> tuple[dict[str, Any], dict[str, Any]]:
    chat = _forum(state, p)
    topic = state.topic(chat, p.integer("message_thread_id"))
    if topic is None:
        raise bad_request("TOPIC_ID_INVALID")
    return chat, topic


def _name(p: Params) -> str:
    name = p.text("name", "")
    if not name.strip():
        raise bad_request("TOPIC_TITLE_EMPTY")
    if len(name) > 128:
        raise bad_request("TOPIC_TITLE_TOO_LONG")
    return name


async def create_forum_topic(state: StandinState, p: Params) -> dict[str, Any]:
    chat = _forum(state, p)
    name = _name(p)
    color = p.integer("icon_color", ICON_COLORS[0])
    if color not in ICON_COLORS:
        raise bad_request("TOPIC_ICON_COLOR_INVALID")
    created = {"name": name, "icon_color": color}
    # As in Telegram, the topic's id is the id of the service message that opens it.
    service = state.add_message(chat, state.config.bot_user, service={"forum_topic_created": created})
    thread_id = service["message_id"]
    service["thread_id"] = thread_id
    chat["topics"][str(thread_id)] = {
        "thread_id": thread_id,
        "name": name,
        "icon_color": color,
        "closed": False,
        "deleted": False,
    }
    return {"message_thread_id": thread_id, **created}


async def edit_forum_topic(state: StandinState, p: Params) -> bool:
    _, topic = _topic(state, p)
    name = _name(p) if p.has("name") else topic["name"]
    if name == topic["name"] and not p.has("icon_custom_emoji_id"):
        raise bad_request("TOPIC_NOT_MODIFIED")
    topic["name"] = name
    return True


def _set_closed(closed: bool) -> Handler:
    async def set_closed(state: StandinState, p: Params) -> bool:
        _, topic = _topic(state, p)
        if topic["closed"] == closed:
            raise bad_request("TOPIC_NOT_MODIFIED")
        topic["closed"] = closed
        return True

    return set_closed


async def delete_forum_topic(state: StandinState, p: Params) -> bool:
    """Deleting a topic deletes every message in it, the opening service message included."""
    chat, topic = _topic(state, p)
    topic["deleted"] = True
    for record in chat["messages"].values():
        if record["thread_id"] == topic["thread_id"]:
            record["deleted"] = True
    return True


METHODS: dict[str, Handler] = {
    "createForumTopic": create_forum_topic,
    "editForumTopic": edit_forum_topic,
    "closeForumTopic": _set_closed(True),
    "reopenForumTopic": _set_closed(False),
    "deleteForumTopic": delete_forum_topic,
}
