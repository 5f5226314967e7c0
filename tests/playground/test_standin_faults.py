"""Injected failures and blocked users surface as the exceptions aiogram raises against Telegram."""

from __future__ import annotations

import pytest
from aiogram.exceptions import TelegramForbiddenError, TelegramRetryAfter, TelegramServerError


async def _calls(api, method: str) -> list[dict]:
    return (await (await api.get("/api/calls", params={"method": method})).json())["calls"]


async def test_429_fault_raises_retry_after_then_service_resumes(api, bot, ids, send):
    await send(text="hoi")
    response = await api.post(
        "/api/faults", json={"method": "sendMessage", "code": 429, "count": 2, "retry_after": 7}
    )
    assert response.status == 200
    for _ in range(2):
        with pytest.raises(TelegramRetryAfter) as caught:
            await bot.send_message(ids.user["id"], "dag")
        assert caught.value.retry_after == 7
    await bot.send_message(ids.user["id"], "dag")
    assert [c["status"] for c in await _calls(api, "sendMessage")] == [429, 429, 200]


async def test_429_answer_has_telegrams_exact_shape(api, ids):
    await api.post("/api/faults", json={"method": None, "code": 429, "count": 1, "retry_after": 3})
    response = await api.post(f"/bot{ids.token}/getMe")
    assert (response.status, await response.json()) == (
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 3",
            "parameters": {"retry_after": 3},
        },
    )


@pytest.mark.parametrize("code", [500, 502, 503])
async def test_server_faults_raise_server_error(api, bot, code):
    await api.post("/api/faults", json={"method": None, "code": code, "count": 1})
    with pytest.raises(TelegramServerError):
        await bot.get_me()
    assert (await bot.get_me()).username == "vraagbaak_bot"


async def test_faults_only_hit_the_named_method_and_can_be_cleared(api, bot):
    await api.post("/api/faults", json={"method": "sendMessage", "code": 500, "count": 5})
    assert (await bot.get_me()).is_bot
    response = await api.delete("/api/faults")
    assert response.status == 200
    assert [c["status"] for c in await _calls(api, "getMe")] == [200]


async def test_call_log_keeps_method_and_status_only(api, bot):
    await bot.get_me()
    calls = (await (await api.get("/api/calls")).json())["calls"]
    assert calls == [{"method": "getMe", "status": 200}]


async def test_blocked_user_gives_forbidden_until_unblocked(api, bot, ids, send):
    await send(text="hoi")
    await api.post("/api/block", json={"user": ids.user["id"], "blocked": True})
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(ids.user["id"], "ben je daar?")
    await api.post("/api/block", json={"user": ids.user["id"], "blocked": False})
    await bot.send_message(ids.user["id"], "ben je daar?")
    kinds = [u.my_chat_member.new_chat_member.status for u in await bot.get_updates() if u.my_chat_member]
    assert kinds == ["kicked", "member"]


async def test_writing_to_the_bot_again_unblocks_it(api, bot, ids, send):
    await send(text="hoi")
    await api.post("/api/block", json={"user": ids.user["id"], "blocked": True})
    await send(text="toch nog een vraag")
    await bot.send_message(ids.user["id"], "welkom terug")
