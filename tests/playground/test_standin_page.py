"""The web page and its assets are served by the same app, with no build step."""

from __future__ import annotations


async def test_page_is_served_at_the_root(api):
    response = await api.get("/")
    page = await response.text()
    assert response.status == 200 and response.content_type == "text/html"
    for anchor in ('id="user-log"', 'id="thread-log"', 'id="topics"', 'id="user-lang"', "/static/app.js"):
        assert anchor in page


async def test_page_assets_are_served(api):
    for path, marker in (("/static/app.js", "safeHtml"), ("/static/style.css", "max-width: 800px")):
        response = await api.get(path)
        assert response.status == 200 and marker in await response.text()


async def test_config_tells_the_page_who_is_who(api, ids):
    config = await (await api.get("/api/config")).json()
    assert config == {
        "counsellor_chat_id": ids.counsellor_chat,
        "counsellor_ids": ids.counsellors,
        "editor_ids": ids.editors,
    }


async def test_chat_nobody_wrote_in_yet_shows_empty(api):
    assert await (await api.get("/api/chats/31337")).json() == {"messages": [], "topics": [], "alerts": []}


async def test_api_refuses_bad_input_with_an_error_field(api, ids):
    wrong_chat = await api.post("/api/send", json={"chat": 5, "from": ids.user, "text": "x"})
    assert wrong_chat.status == 400 and "error" in await wrong_chat.json()
    no_message = await api.post(
        "/api/press", json={"chat": ids.user["id"], "from": ids.user, "message_id": 9, "data": "x"}
    )
    assert no_message.status == 404
    bad_fault = await api.post("/api/faults", json={"method": None, "code": 418, "count": 1})
    assert bad_fault.status == 400
