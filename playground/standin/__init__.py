"""A stand-in for the Telegram Bot API, with a JSON test API and a web page to play the users.

The real bot (aiogram) talks to it exactly as it would talk to api.telegram.org, so what works here
works there; the JSON API lets tests and the page act as users and counsellors.
"""

from __future__ import annotations

from playground.standin.app import STANDIN_KEY, create_standin_app

__all__ = ["STANDIN_KEY", "create_standin_app"]
