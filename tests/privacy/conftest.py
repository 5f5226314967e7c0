"""The playground fixtures of the end-to-end tests, for the privacy tests too."""

from __future__ import annotations

from tests.e2e.conftest import client, playground

__all__ = ["client", "playground"]
