"""Running one of our modules as a short-lived child process (`python -m <module>`): migrations
(storage/migrate.py) and reading uploaded YAML (knowledge/yaml_reading.py) keep their weight or their
risk out of the serving process. The child runs in this process's directory (a relative SQLite path
means the same file), with the package importable even when it is not installed."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[1]


async def run_module(module: str, *, stdin: bytes | None = None, env: dict[str, str] | None = None,
                     keep_stdout: bool = True, keep_stderr: bool = True) -> tuple[int, bytes, bytes]:
    """The child's exit code, standard output and error output (empty where not kept)."""
    path = os.pathsep.join(filter(None, [str(PACKAGE_ROOT), os.environ.get("PYTHONPATH")]))
    pipe, drop = asyncio.subprocess.PIPE, asyncio.subprocess.DEVNULL
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", module, env={**os.environ, **(env or {}), "PYTHONPATH": path},
        stdin=pipe if stdin is not None else drop, stdout=pipe if keep_stdout else drop,
        stderr=pipe if keep_stderr else drop)
    out, errors = await child.communicate(stdin)
    return child.returncode or 0, out or b"", errors or b""
