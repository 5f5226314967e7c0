"""The installation secret, pseudonyms and encryption."""

from __future__ import annotations

import stat
from pathlib import Path

from storage.secrets import Cipher, Pseudonymizer, load_or_create_secret


def test_the_secret_is_generated_once_with_mode_0600(tmp_path: Path) -> None:
    first = load_or_create_secret(tmp_path / "data")
    path = tmp_path / "data" / "secret.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_or_create_secret(tmp_path / "data") == first
    assert len(first) == 64


def test_a_given_secret_is_used_and_no_file_is_written(tmp_path: Path) -> None:
    assert load_or_create_secret(tmp_path, "from-env") == b"from-env"
    assert not (tmp_path / "secret.key").exists()


def test_a_pseudonym_is_stable_keyed_and_does_not_contain_the_id() -> None:
    one, other = Pseudonymizer(b"a" * 32), Pseudonymizer(b"b" * 32)
    assert one(123456789) == one(123456789)
    assert one(123456789) != one(123456780)
    assert one(123456789) != other(123456789)
    assert "123456789" not in one(123456789)


def test_encrypted_ids_round_trip_and_another_key_cannot_read_them() -> None:
    token = Cipher(b"k" * 32).encrypt_int(555000111)
    assert b"555000111" not in token
    assert Cipher(b"k" * 32).decrypt_int(token) == 555000111
    assert Cipher(b"x" * 32).decrypt_int(token) is None
