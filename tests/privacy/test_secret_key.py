"""A strong secret is required, and start-up refuses a secret that did not make the data, or a lost
secret file, with one line instead of silently cutting everyone off."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.app import build_parts
from bot.config import ConfigError, Settings, load_settings
from storage import people
from storage.key_check import SecretKeyError

STRONG = "3f9c1a77be02d45e8a61c0f4b9d2e7a1"
OTHER = "b8e4d2c0a91f37c6e5d8a2b4f1c7e903"


@pytest.mark.parametrize(
    "weak", ["a", "password", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "abababababababababababababab"]
)
def test_a_weak_secret_is_refused_with_one_line(weak: str) -> None:
    with pytest.raises(ConfigError) as refused:
        load_settings(_env_file=None, secret_key=weak)
    line = str(refused.value)
    assert line.startswith("configuration error: VRAAGBAAK_SECRET_KEY") and "\n" not in line
    assert "too weak" in line
    if len(weak) > 3:
        assert weak not in line, "the key itself is never shown"


def test_an_empty_secret_means_none_given() -> None:
    assert load_settings(_env_file=None, secret_key="").secret_key is None


async def _with_a_person(settings: Settings) -> None:
    parts = await build_parts(settings)
    try:
        async with parts.sessions() as session:
            await people.set_language(session, parts.pseudonyms(12345), "nl")
            await session.commit()
    finally:
        await parts.close()


async def test_another_secret_than_the_datas_is_refused(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", secret_key=STRONG)  # type: ignore[call-arg]
    await _with_a_person(settings)
    with pytest.raises(SecretKeyError, match="does not match the data"):
        await build_parts(settings.model_copy(update={"secret_key": Settings(secret_key=OTHER).secret_key}))
    parts = await build_parts(settings)  # the right key still starts
    await parts.close()


async def test_a_lost_secret_file_is_not_replaced_while_data_exists(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path / "data")  # type: ignore[call-arg]
    await _with_a_person(settings)
    key_file = tmp_path / "data" / "secret.key"
    original = key_file.read_bytes()
    key_file.unlink()
    with pytest.raises(SecretKeyError, match=r"secret\.key is missing"):
        await build_parts(settings)
    assert not key_file.exists(), "no new key was written"
    key_file.write_bytes(original)
    parts = await build_parts(settings)
    await parts.close()


async def test_a_fresh_installation_generates_its_secret(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path / "data")  # type: ignore[call-arg]
    parts = await build_parts(settings)
    await parts.close()
    assert (tmp_path / "data" / "secret.key").stat().st_mode & 0o077 == 0
    assert (tmp_path / "data").stat().st_mode & 0o077 == 0, "the data directory is the bot's alone"


def test_the_command_says_it_in_one_line(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "VRAAGBAAK_DATA_DIR": str(tmp_path / "data"),
        "VRAAGBAAK_SECRET_KEY": STRONG,
        "VRAAGBAAK_BOT_TOKEN": "123456:" + "A" * 30,
        "VRAAGBAAK_TELEGRAM_API_URL": "http://127.0.0.1:9",
    }
    script = (
        "import asyncio, sys; from bot.app import build_parts; from bot.config import load_settings;"
        "from storage import people\n"
        "async def main():\n"
        "    p = await build_parts(load_settings())\n"
        "    async with p.sessions() as s:\n"
        "        await people.set_language(s, p.pseudonyms(1), 'nl'); await s.commit()\n"
        "    await p.close()\n"
        "asyncio.run(main())"
    )
    subprocess.run([sys.executable, "-c", script], env=env, check=True, cwd=Path(__file__).parents[2])
    env["VRAAGBAAK_SECRET_KEY"] = OTHER
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "run"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).parents[2],
    )
    assert done.returncode != 0
    lines = [line for line in done.stderr.splitlines() if line.strip() and not line.startswith("{")]
    assert lines == [
        "secret key error: the secret key does not match the data (the database was made with another key)"
    ]


async def test_two_instances_starting_at_once_share_one_secret(tmp_path: Path) -> None:
    import asyncio

    from storage.database import create_engine, session_factory
    from storage.key_check import establish_secret
    from storage.migrate import upgrade
    from storage.secrets import Pseudonymizer

    data_dir = tmp_path / "data"
    settings = Settings(_env_file=None, data_dir=data_dir)  # type: ignore[call-arg]
    # The schema first (one instance serves SQLite; Alembic is not for two migrations at once in one
    # process); then both make or read the secret at the same moment.
    engine = create_engine(settings.db_url)
    try:
        await upgrade(engine)
        sessions = session_factory(engine)
        first, second = await asyncio.gather(establish_secret(data_dir, None, sessions),
                                             establish_secret(data_dir, None, sessions))
        assert Pseudonymizer(first)(42) == Pseudonymizer(second)(42)
    finally:
        await engine.dispose()
