"""The log handler's filter: whatever a library logs, ids and a decode error's raw content are cut."""

from __future__ import annotations

import io
import logging

from aiogram.exceptions import ClientDecodeError

from bot.logging_setup import setup_logging


def test_a_decode_errors_content_never_reaches_the_log() -> None:
    stream = io.StringIO()
    setup_logging("DEBUG", stream)
    try:
        error = ClientDecodeError("Failed to deserialize object", ValueError("bad"),
                                  {"result": [{"message": {"from": {"first_name": "Jessamine", "id": 7319024866}}}]})
        logging.getLogger("aiogram.dispatcher").error("Failed to fetch updates - %s: %s", type(error).__name__, error)
        logging.getLogger("anything").warning("person 7319024866 wrote")
    finally:
        logging.getLogger().handlers.clear()
    written = stream.getvalue()
    assert "Failed to fetch updates - ClientDecodeError" in written
    assert "Jessamine" not in written and "7319024866" not in written
