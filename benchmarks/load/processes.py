"""Start and stop the processes of a load run: the stand-in, bot instances, the echo bot."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from playground.runner import COUNSELLOR_CHAT_ID, COUNSELLOR_IDS, EDITOR_IDS, PLAYGROUND_TOKEN


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Proc:
    name: str
    url: str
    process: subprocess.Popen[bytes]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


@dataclass
class Fleet:
    workdir: Path
    procs: list[Proc] = field(default_factory=list)

    def spawn(self, name: str, args: list[str], env: dict[str, str], url: str) -> Proc:
        self.workdir.mkdir(parents=True, exist_ok=True)
        log = (self.workdir / f"{name}.log").open("wb")
        process = subprocess.Popen([sys.executable, *args], env={**os.environ, **env}, stdout=log, stderr=log,
                                   cwd=Path(__file__).resolve().parents[2])
        proc = Proc(name, url, process)
        self.procs.append(proc)
        return proc

    def stop(self) -> None:
        for proc in reversed(self.procs):
            proc.stop()


async def wait_until_up(url: str, seconds: float = 180.0) -> None:  # a busy machine loads slowly
    deadline = time.monotonic() + seconds
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            try:
                async with http.get(url) as response:
                    if response.status < 500:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError(f"{url} did not come up")


def standin(fleet: Fleet) -> Proc:
    port = free_port()
    return fleet.spawn("standin", ["-m", "benchmarks.load.standin_server", str(port), str(fleet.workdir / "standin")],
                       {}, f"http://127.0.0.1:{port}")


METRICS_TOKEN = "benchmark-metrics-token"  # /metrics answers only with it


def bot_instance(fleet: Fleet, index: int, api_url: str, database_url: str, redis_url: str | None) -> Proc:
    port = free_port()
    env = {
        "VRAAGBAAK_BOT_TOKEN": PLAYGROUND_TOKEN, "VRAAGBAAK_TELEGRAM_API_URL": api_url,
        "VRAAGBAAK_PUBLIC_URL": f"http://127.0.0.1:{port}", "VRAAGBAAK_LISTEN_PORT": str(port),
        "VRAAGBAAK_DATA_DIR": str(fleet.workdir / "data"), "VRAAGBAAK_DATABASE_URL": database_url,
        "VRAAGBAAK_SECRET_KEY": "benchmark-secret-key-not-for-production",
        "VRAAGBAAK_METRICS_TOKEN": METRICS_TOKEN,
        "VRAAGBAAK_COUNSELLOR_CHAT_ID": str(COUNSELLOR_CHAT_ID),
        "VRAAGBAAK_COUNSELLOR_IDS": ",".join(map(str, COUNSELLOR_IDS)),
        "VRAAGBAAK_EDITOR_IDS": ",".join(map(str, EDITOR_IDS)),
        "VRAAGBAAK_OPENING_HOURS": '{"mon":"00:00-24:00","tue":"00:00-24:00","wed":"00:00-24:00",'
                                   '"thu":"00:00-24:00","fri":"00:00-24:00","sat":"00:00-24:00","sun":"00:00-24:00"}',
        "VRAAGBAAK_MESSAGES_PER_MINUTE": "100000", "VRAAGBAAK_LOG_LEVEL": "WARNING",
        "PYTHONOPTIMIZE": "2",  # as the image runs it (Dockerfile): measured and tested as shipped
    }
    if redis_url:
        env["VRAAGBAAK_REDIS_URL"] = redis_url
    return fleet.spawn(f"bot{index}", ["-m", "bot.cli", "run"], env, f"http://127.0.0.1:{port}")


def echo_bot(fleet: Fleet, api_url: str) -> Proc:
    port = free_port()
    return fleet.spawn("echo", ["-m", "benchmarks.load.echo_bot", api_url, str(port), PLAYGROUND_TOKEN], {}, f"http://127.0.0.1:{port}")
