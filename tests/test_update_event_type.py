"""An update's type, computed without aiogram's cache (bot/update_event_type.py): the same answers, and
the update is gone once nothing else holds it. (That the running bot keeps no update once handled is
tests/e2e/test_per_chat_memory.py.)"""

from __future__ import annotations

import gc
import weakref

import pytest
from aiogram.types import Update
from aiogram.types.update import UpdateTypeLookupError

from bot import update_event_type
from bot.versions import installed

PERSON = {"id": 7, "is_bot": False, "first_name": "A"}
CHAT = {"id": 7, "type": "private", "first_name": "A"}
MESSAGE = {"message_id": 5, "date": 0, "chat": CHAT, "from": PERSON, "text": "the words someone wrote"}
MEMBER = {"chat": CHAT, "from": PERSON, "date": 0, "old_chat_member": {"status": "member", "user": PERSON},
          "new_chat_member": {"status": "kicked", "user": PERSON, "until_date": 0}}
KINDS = {
    "message": MESSAGE,
    "edited_message": {**MESSAGE, "edit_date": 1},
    "callback_query": {"id": "9", "chat_instance": "c", "from": PERSON, "data": "menu:health:", "message": MESSAGE},
    "my_chat_member": MEMBER,
    "chat_member": MEMBER,
}


@pytest.fixture(autouse=True, scope="module")
def applied() -> None:
    update_event_type.apply()


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_of_update_has_its_type(kind: str) -> None:
    update = Update.model_validate({"update_id": 1, kind: KINDS[kind]})
    assert update.event_type == kind


def test_an_update_with_no_known_part_is_still_refused() -> None:
    with pytest.raises(UpdateTypeLookupError):
        _ = Update(update_id=1).event_type


def test_an_update_whose_type_was_asked_is_not_kept() -> None:
    update = Update.model_validate({"update_id": 2, "message": MESSAGE})
    assert update.event_type == "message"
    gone = weakref.ref(update)
    del update
    gc.collect()
    assert gone() is None


def test_applying_twice_changes_nothing_more() -> None:
    assert update_event_type.apply() is False  # already uncached: nothing left to unwrap
    assert Update.model_validate({"update_id": 3, "message": MESSAGE}).event_type == "message"


def test_with_an_aiogram_it_was_not_checked_with_nothing_changes(monkeypatch: pytest.MonkeyPatch,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    import functools

    cached = property(functools.lru_cache(maxsize=128)(lambda self: "message"))
    monkeypatch.setattr(Update, "event_type", cached)
    monkeypatch.setattr(update_event_type, "CHECKED_WITH", {"aiogram": ("2.0",)})
    assert update_event_type.apply() is False
    assert Update.__dict__["event_type"] is cached
    assert [r.getMessage() for r in caplog.records] == [
        f"uncached Update.event_type not applied: checked with aiogram 2.0, found {installed('aiogram')}"]
