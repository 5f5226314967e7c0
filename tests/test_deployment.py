"""The Compose file and the Dockerfile, checked as far as possible without a Docker engine."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from bot.config import Settings

ROOT = Path(__file__).resolve().parent.parent


def compose() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_two_bots_with_postgres_and_redis_and_health_checks() -> None:
    services = compose()["services"]
    assert set(services) == {"bot", "postgres", "redis"}
    assert services["bot"]["deploy"]["replicas"] == 2
    for name, service in services.items():
        assert "healthcheck" in service, f"{name} has no health check"
    for name in ("bot", "postgres"):
        assert services[name].get("volumes"), f"{name} keeps no data in a volume"
    assert services["bot"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "/readyz" in " ".join(services["bot"]["healthcheck"]["test"])


def test_redis_writes_nothing_to_disk() -> None:
    """Redis holds only short-lived locks and notices: no append-only file, no snapshot, no volume."""
    redis = compose()["services"]["redis"]
    command = redis["command"]
    assert command[command.index("--appendonly") + 1] == "no"
    assert command[command.index("--save") + 1] == ""
    assert not redis.get("volumes")


def test_every_bot_setting_in_compose_and_env_example_is_a_real_setting() -> None:
    fields = {f"VRAAGBAAK_{name.upper()}" for name in Settings.model_fields}
    names = set(compose()["services"]["bot"]["environment"])
    names |= {line.split("=")[0] for line in (ROOT / ".env.example").read_text().splitlines()
              if line.startswith("VRAAGBAAK_")}
    assert names <= fields, names - fields


def test_compose_config_is_valid_where_the_client_exists(tmp_path: Path) -> None:
    docker = shutil.which("docker")
    if not docker or subprocess.run([docker, "compose", "version"], capture_output=True).returncode != 0:
        pytest.skip("no `docker compose` client on this machine; the structure is checked above")
    env = tmp_path / ".env"
    env.write_text((ROOT / ".env.example").read_text())
    result = subprocess.run([docker, "compose", "-f", str(ROOT / "docker-compose.yml"), "--env-file", str(env),
                             "config", "--quiet"], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_the_dockerfile_builds_in_stages_and_runs_as_a_non_root_user() -> None:
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    stages = [line for line in lines if line.startswith("FROM ")]
    assert len(stages) == 2 and " AS build" in stages[0] and " AS runtime" in stages[1]
    runtime = lines[lines.index(stages[1]):]
    assert not any("build-essential" in line or "gcc" in line for line in runtime), "no compilers in the final image"
    assert any(re.match(r"USER (?!root)\w+", line) for line in runtime)
    assert any(line.startswith("VOLUME") and "/data" in line for line in runtime)
    for line in lines:
        if line.startswith("COPY ") and "--from" not in line:
            for source in line.split()[1:-1]:
                assert (ROOT / source).exists(), f"Dockerfile copies {source}, which does not exist"
    cmd = next(line for line in runtime if line.startswith("CMD"))
    assert '"vraagbaak"' in cmd and '"run"' in cmd


def test_the_image_runs_optimised_with_its_bytecode_made_at_build_time() -> None:
    # tests/production/test_shipped_process.py runs the bot this way (benchmarks.load.processes).
    dockerfile = (ROOT / "Dockerfile").read_text()
    runtime = dockerfile[dockerfile.index(" AS runtime"):]
    assert re.search(r"^\s+PYTHONOPTIMIZE=2\b", runtime, re.M)
    assert "-OO -m compileall" in dockerfile[:dockerfile.index(" AS runtime")], "bytecode made at build time"
