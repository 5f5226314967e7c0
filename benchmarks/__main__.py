"""`make bench`: every benchmark of the project, each ending with a `bench <name>: key=value ...` line."""

from __future__ import annotations

import subprocess
import sys

BENCHMARKS = ["benchmarks.matcher_quality", "benchmarks.match_speed", "benchmarks.crisis_speed", "benchmarks.load.run",
              "benchmarks.handoff_capacity"]


def main() -> int:
    failed = 0
    for module in BENCHMARKS:
        print(f"== {module}", flush=True)
        # Each in its own process, so memory figures are not mixed up.
        failed += subprocess.run([sys.executable, "-m", module], check=False).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
