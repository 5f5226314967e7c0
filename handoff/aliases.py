"""Made-up names for people in the counsellors' group ("Guest K7F3"): random, never derived from
the person, so nothing links an alias to an account."""

from __future__ import annotations

import secrets

# No 0/O, 1/I: aliases are read aloud and typed by counsellors.
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_alias() -> str:
    return "Guest " + "".join(secrets.choice(ALPHABET) for _ in range(4))
