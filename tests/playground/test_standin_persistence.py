"""A restarted stand-in on the same state dir shows the same chats and continues numbering."""

from __future__ import annotations

import io
import json
import logging

from aiohttp.test_utils import TestClient, TestServer


async def _restart(new_app, state_dir) -> TestClient:
    client = TestClient(TestServer(new_app(state_dir), host="127.0.0.1"))
    await client.start_server()
    return client


async def test_new_app_on_the_same_dir_shows_the_same_chats_and_continues(
    api, bot, ids, send, state_dir, new_app, new_bot
):
    await send(text="een")
    await send(text="twee")
    topic = await bot.create_forum_topic(ids.counsellor_chat, "Blijft")
    acknowledged = await bot.get_updates()
    await bot.get_updates(offset=acknowledged[0].update_id + 1)  # "een" acknowledged, "twee" not
    before = await (await api.get(f"/api/chats/{ids.user['id']}")).json()
    await api.close()

    again = await _restart(new_app, state_dir)
    restarted_bot = new_bot(again)
    try:
        after = await (await again.get(f"/api/chats/{ids.user['id']}")).json()
        assert after == before
        group = await (await again.get(f"/api/chats/{ids.counsellor_chat}")).json()
        assert group["topics"][0]["thread_id"] == topic.message_thread_id
        pending = await restarted_bot.get_updates()
        assert [u.message.text for u in pending] == ["twee"]  # the acknowledged one is not redelivered
        await again.post("/api/send", json={"chat": ids.user["id"], "from": ids.user, "text": "drie"})
        newest = (await restarted_bot.get_updates(offset=pending[-1].update_id + 1))[-1]
        assert newest.update_id == pending[-1].update_id + 1
        assert newest.message.message_id == 3
        sent = await restarted_bot.send_message(ids.user["id"], "vier")
        assert sent.message_id == 4
    finally:
        await restarted_bot.session.close()
        await again.close()


async def test_state_file_is_plain_json_written_whole(api, send, state_dir):
    await send(text="hoi")
    files = sorted(path.name for path in state_dir.iterdir())
    assert files == ["standin.json"]  # no temp file left behind
    assert json.loads((state_dir / "standin.json").read_text())["next_update_id"] == 2


async def test_nothing_a_user_says_or_is_called_reaches_the_logs(api, bot, ids, send):
    # An own handler rather than caplog, so the test also runs under `-p no:logging`.
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        await send(text="geheime vraag", sender={"id": 424242, "first_name": "Geheimnaam"}, chat=424242)
        await bot.send_message(424242, "geheim antwoord")
        await bot.get_updates()
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    logged = stream.getvalue()
    for secret in ("geheime vraag", "Geheimnaam", "424242", "geheim antwoord"):
        assert secret not in logged
