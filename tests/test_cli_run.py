"""`vraagbaak run` without a token (what `make run` starts): the playground on VRAAGBAAK_LISTEN_PORT,
one line when that port is taken, and catalogs compiled when missing."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bot.catalogs import compile_catalogs
from bot.i18n import LOCALES_DIR
from knowledge.languages import SUPPORTED_LANGUAGES

ROOT = Path(__file__).resolve().parent.parent


def _env(tmp_path: Path, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VRAAGBAAK_")}
    env |= {
        "VRAAGBAAK_LISTEN_PORT": str(port),
        "VRAAGBAAK_DATA_DIR": str(tmp_path / "data"),
        "VRAAGBAAK_SECRET_KEY": "test-secret-key-for-tests-only",
    }
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_run_without_a_token_serves_the_playground_on_the_configured_port(tmp_path: Path) -> None:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run"],
        env=_env(tmp_path, port),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/config", timeout=2) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert process.poll() is None, process.communicate()
                time.sleep(0.2)
        else:
            raise AssertionError("the playground did not answer on VRAAGBAAK_LISTEN_PORT")
    finally:
        process.terminate()
        out, _err = process.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}" in out


def test_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "bot.cli", "run"],
            env=_env(tmp_path, port),
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and f"{port} is already in use" in lines[0], result.stderr


def test_missing_catalogs_are_compiled_and_each_one_summed_up(tmp_path: Path) -> None:
    locales = tmp_path / "locales"
    shutil.copytree(LOCALES_DIR, locales, ignore=shutil.ignore_patterns("*.mo"))
    assert not list(locales.glob("*/LC_MESSAGES/*.mo"))
    lines = compile_catalogs(locales, only_stale=True)
    assert sorted(line.split(":")[0] for line in lines) == sorted(SUPPORTED_LANGUAGES)
    assert all(" of " in line and "messages translated" in line for line in lines)
    assert len(list(locales.glob("*/LC_MESSAGES/messages.mo"))) == len(SUPPORTED_LANGUAGES)
    assert compile_catalogs(locales, only_stale=True) == []  # nothing stale any more
