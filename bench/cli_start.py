"""How long the `bilateral` command takes to answer when it runs no flow, and whether it imports Prefect.

Measured from outside, interpreter start included: that is what a user waits for.
`python -X importtime` (PYTHONPROFILEIMPORTTIME) names every module a command loads.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from bench.measure import REPO, stats

TOP_IMPORTS = 5


def command() -> list[str]:
    """The installed console script, or the module when the package is not installed as a script."""
    script = Path(sys.executable).with_name("bilateral")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bilateral"]


def measure(runs: int, settings: Path | None, home: Path | None) -> dict:
    """`bilateral --help` and `bilateral sql "select 1"` (on a published warehouse, when the command exists)."""
    env = _env(settings, home)
    found = {"help": _timed(["--help"], runs, env)}
    sql_help = _run(["sql", "--help"], env)
    if sql_help.returncode != 0:
        found["sql"] = {"seconds": None, "reason": f"`bilateral sql --help` exited {sql_help.returncode}: the command does not exist yet"}
    elif settings is None:
        found["sql"] = {"seconds": None, "reason": "no published warehouse to query (neither the recorded nor a synthetic refresh ran)"}
    else:
        found["sql"] = _timed(["sql", "select 1"], runs, env)
    return found


def _timed(arguments: list[str], runs: int, env: dict[str, str]) -> dict:
    seconds = []
    for _ in range(runs):
        t0 = time.perf_counter()
        done = _run(arguments, env)
        seconds.append(time.perf_counter() - t0)
        if done.returncode != 0:
            return {"seconds": None, "reason": f"`bilateral {' '.join(arguments)}` exited {done.returncode}: {done.stderr.strip()[-300:]}"}
    return {"seconds": stats(seconds), "argv": ["bilateral", *arguments], **_imports(arguments, env)}


def _imports(arguments: list[str], env: dict[str, str]) -> dict:
    """Whether Prefect gets imported, and the slowest top-level imports (cumulative ms)."""
    done = _run(arguments, env | {"PYTHONPROFILEIMPORTTIME": "1"})
    modules = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.split("|", 2)
        if cumulative.strip().isdigit():
            modules.append((name.rstrip().removeprefix(" "), int(cumulative)))  # then two spaces per nesting level
    names = {name.strip() for name, _ in modules}
    top = sorted((item for item in modules if not item[0].startswith("  ")), key=lambda item: -item[1])
    return {
        "imports_prefect": any(name == "prefect" or name.startswith("prefect.") for name in names),
        "slowest_imports_ms": {name.strip(): round(us / 1000, 1) for name, us in top[:TOP_IMPORTS]},
    }


def _run(arguments: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([*command(), *arguments], capture_output=True, text=True, env=env, cwd=REPO, timeout=60)


def _env(settings: Path | None, home: Path | None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("BILATERAL_")}
    if settings is not None and home is not None:
        env |= {"BILATERAL_CONFIG": str(settings), "BILATERAL_HOME": str(home)}
    return env
