"""A wrong setting stops start-up with one clear line naming it; secrets never show."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.config import ConfigError, load_settings


def test_lists_of_ids_are_read_from_comma_separated_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VRAAGBAAK_COUNSELLOR_IDS", "11, 22,33")
    monkeypatch.setenv("VRAAGBAAK_FALLBACK_LANGUAGES", "pt,en")
    settings = load_settings(_env_file=None)
    assert settings.counsellor_ids == [11, 22, 33]
    assert settings.fallback_languages == ["pt", "en"]


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("VRAAGBAAK_COUNSELLOR_IDS", "12,abc", "VRAAGBAAK_COUNSELLOR_IDS"),
        ("VRAAGBAAK_DEFAULT_LANGUAGE", "xx", "VRAAGBAAK_DEFAULT_LANGUAGE: must be one of"),
        ("VRAAGBAAK_TELEGRAM_API_URL", "ftp://x", "VRAAGBAAK_TELEGRAM_API_URL: must start with http"),
        ("VRAAGBAAK_DATABASE_URL", "mysql://x", "VRAAGBAAK_DATABASE_URL"),
    ],
)
def test_a_wrong_value_names_the_setting(monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as caught:
        load_settings(_env_file=None)
    assert expected in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_bad_token_is_reported_without_showing_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VRAAGBAAK_BOT_TOKEN", "secret-looking-but-wrong")
    with pytest.raises(ConfigError) as caught:
        load_settings(_env_file=None)
    assert "VRAAGBAAK_BOT_TOKEN" in str(caught.value)
    assert "secret-looking-but-wrong" not in str(caught.value)


def test_the_token_never_prints_with_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    token = "123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    monkeypatch.setenv("VRAAGBAAK_BOT_TOKEN", token)
    settings = load_settings(_env_file=None)
    assert token not in repr(settings) and token not in str(settings.model_dump())


def test_the_command_exits_with_one_line_on_a_bad_setting(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {"VRAAGBAAK_COUNSELLOR_CHAT_ID": "not-a-number", "PATH": "/usr/bin:/bin"}
    proc = subprocess.run([sys.executable, "-m", "bot.cli", "run"], env=env, capture_output=True, text=True,
                          cwd=tmp_path, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [proc.stderr.strip()]
    assert proc.stderr.startswith("configuration error: VRAAGBAAK_COUNSELLOR_CHAT_ID")
