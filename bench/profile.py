"""Profile one job of the bench with pyinstrument, against the same servers, to see where its time goes.

    python -m bench.profile --economies 300              # cold refresh, synthetic World Bank
    python -m bench.profile --economies 300 --then warm  # a second run on the same home, profiled
    python -m bench.profile --economies 300 --then revised
    python -m bench.profile --recorded [--then warm]     # the recorded pair
    python -m bench.profile --recorded --then briefing   # the PDF, from the recorded pair's warehouse

pyinstrument is not a dependency of the project: `pip install pyinstrument` into the venv first.
The profile is printed; `--html FILE` writes pyinstrument's HTML instead.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from bench.measure import REPO, Job, job, run_child

INTERVAL_S = "0.001"


def main(argv: list[str] | None = None) -> int:
    options = _options(argv)
    with tempfile.TemporaryDirectory(prefix="bilateral-profile-") as folder, _served(options, Path(folder)) as (refresh, server):
        if options.then != "cold":
            run_child(refresh)  # the cold run the profiled one follows
        if options.then == "revised":
            server.api.revision = 1
        target = job("briefing", **{k: refresh.arguments[k] for k in ("settings", "home")}) if options.then == "briefing" else refresh
        return _profiled(target, options.html)


@contextlib.contextmanager
def _served(options: argparse.Namespace, folder: Path) -> Iterator[tuple[Job, object]]:
    """The refresh job and the server it asks: the fake API over the recordings, or the synthetic World Bank."""
    home = str(folder / "home")
    if options.recorded:
        from bench.recorded import FIXTURES, FakeAPI, recordings_dir, write_settings

        if recordings_dir() is None:
            sys.exit("bench.profile: no recordings on this machine (set BILATERAL_RECORDINGS)")
        with FakeAPI(recordings_dir(), FIXTURES) as fake:
            yield job("refresh", settings=str(write_settings(folder, fake)), home=home), fake
        return
    from bench.scale import write_settings
    from bench.synthetic import SyntheticServer, SyntheticWorldBank

    api = SyntheticWorldBank(options.economies)
    codes = [economy.iso3 for economy in api.economies]
    api.prime(codes)
    with SyntheticServer(api) as server:
        yield job("refresh", settings=str(write_settings(folder, server.url)), home=home, economies=codes), server


def _profiled(target: Job, html: Path | None) -> int:
    renderer = ["-r", "html", "-o", str(html)] if html else []
    command = [sys.executable, "-m", "pyinstrument", "-i", INTERVAL_S, *renderer, "-m", "bench.jobs", target.name]
    return subprocess.run(command, input=json.dumps(target.arguments).encode(), cwd=REPO).returncode


def _options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--economies", type=int, default=300, help="synthetic World Bank economies (default 300)")
    source.add_argument("--recorded", action="store_true", help="the recorded pair from the fake APIs")
    parser.add_argument("--then", choices=("cold", "warm", "revised", "briefing"), default="cold", help="which run to profile")
    parser.add_argument("--html", type=Path, help="write pyinstrument's HTML report here")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())
