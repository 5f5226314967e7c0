"""Bot API methods about the bot itself and its chats: getMe, commands, menu button, chat info."""

from __future__ import annotations

import json
import re
from typing import Any

from playground.standin import content
from playground.standin.botapi_send import Handler
from playground.standin.errors import bad_request
from playground.standin.objects import administrators_json, full_chat_json, member_json
from playground.standin.params import Params
from playground.standin.state import StandinState

CHAT_ACTIONS = {
    "typing",
    "upload_photo",
    "record_video",
    "upload_video",
    "record_voice",
    "upload_voice",
    "upload_document",
    "choose_sticker",
    "find_location",
    "record_video_note",
    "upload_video_note",
}
SCOPE_TYPES = {
    "default",
    "all_private_chats",
    "all_group_chats",
    "all_chat_administrators",
    "chat",
    "chat_administrators",
    "chat_member",
}
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")


async def get_me(state: StandinState, p: Params) -> dict[str, Any]:
    return {
        **state.config.bot_user,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


def _commands_key(state: StandinState, p: Params) -> str:
    """Commands are kept per (scope, language_code), as Telegram keeps them."""
    scope = p.obj("scope", what="bot command scope") or {"type": "default"}
    if not isinstance(scope, dict) or scope.get("type") not in SCOPE_TYPES:
        raise bad_request("can't parse BotCommandScope JSON object")
    if "chat_id" in scope:
        state.require_chat(scope["chat_id"])
    language = p.text("language_code", "")
    if language and not re.fullmatch(r"[a-z]{2}", language):
        raise bad_request("invalid language code specified")
    return f"{json.dumps(scope, sort_keys=True)}|{language}"


async def set_my_commands(state: StandinState, p: Params) -> bool:
    commands = p.obj("commands", what="bot commands")
    if not isinstance(commands, list) or len(commands) > 100:
        raise bad_request("can't parse bot commands JSON object")
    for command in commands:
        if not isinstance(command, dict) or not _COMMAND.match(str(command.get("command", "")).lstrip("/")):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(str(command.get("description", ""))) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    cleaned = [{"command": c["command"].lstrip("/"), "description": c["description"]} for c in commands]
    key = _commands_key(state, p)
    if cleaned:
        state.data["commands"][key] = cleaned
    else:
        state.data["commands"].pop(key, None)
    return True


async def get_my_commands(state: StandinState, p: Params) -> list[dict[str, str]]:
    return state.data["commands"].get(_commands_key(state, p), [])


async def delete_my_commands(state: StandinState, p: Params) -> bool:
    state.data["commands"].pop(_commands_key(state, p), None)
    return True


def _menu_key(state: StandinState, p: Params) -> str:
    if not p.has("chat_id"):
        return "default"
    chat = state.require_chat(p.values["chat_id"])
    if chat["type"] != "private":
        raise bad_request("the menu button can be set only in private chats")
    return str(chat["id"])


async def set_chat_menu_button(state: StandinState, p: Params) -> bool:
    button = p.obj("menu_button", what="menu button") or {"type": "default"}
    if not isinstance(button, dict) or button.get("type") not in ("default", "commands", "web_app"):
        raise bad_request("can't parse menu button JSON object")
    state.data["menu_buttons"][_menu_key(state, p)] = button
    return True


async def get_chat_menu_button(state: StandinState, p: Params) -> dict[str, Any]:
    buttons = state.data["menu_buttons"]
    return buttons.get(_menu_key(state, p)) or buttons.get("default") or {"type": "default"}


async def send_chat_action(state: StandinState, p: Params) -> bool:
    content.target(state, p)  # same chat, block and topic refusals as a message
    if p.text("action") not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    return True


async def get_chat(state: StandinState, p: Params) -> dict[str, Any]:
    return full_chat_json(state, state.require_chat(p.values.get("chat_id")))


async def get_chat_member(state: StandinState, p: Params) -> dict[str, Any]:
    chat = state.require_chat(p.values.get("chat_id"))
    return member_json(state, chat, p.integer("user_id"))


async def get_chat_administrators(state: StandinState, p: Params) -> list[dict[str, Any]]:
    chat = state.require_chat(p.values.get("chat_id"))
    if chat["type"] == "private":
        raise bad_request("there are no administrators in the private chat")
    return administrators_json(state, chat)


async def leave_chat(state: StandinState, p: Params) -> bool:
    chat = state.require_chat(p.values.get("chat_id"))
    if chat["type"] == "private":
        raise bad_request("chat member status can't be changed in private chats")
    chat["left"] = True
    return True


METHODS: dict[str, Handler] = {
    "getMe": get_me,
    "setMyCommands": set_my_commands,
    "getMyCommands": get_my_commands,
    "deleteMyCommands": delete_my_commands,
    "setChatMenuButton": set_chat_menu_button,
    "getChatMenuButton": get_chat_menu_button,
    "sendChatAction": send_chat_action,
    "getChat": get_chat,
    "getChatMember": get_chat_member,
    "getChatAdministrators": get_chat_administrators,
    "leaveChat": leave_chat,
}
