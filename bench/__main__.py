"""`python -m bench`: one JSON object on stdout, a Markdown table on stderr.

Sections: the recorded pair (cold, warm, floor, briefing), scale on the synthetic
World Bank (two sizes: rows/s, warm, 1% revision, floor, naive, peak RSS), CLI start,
Prefect's own overhead. A section that breaks is reported under "errors" and the
exit status is 1; a missed target never fails the run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

from bench import cli_start, overhead, recorded, report, scale
from bench.measure import REPO, ChildFailed

RESULTS = REPO / "bench" / "results" / "last.json"


def main(argv: list[str] | None = None) -> int:
    options = _options(argv)
    started = time.perf_counter()
    found: dict = {"bench": _about(options)}
    errors: dict[str, str] = {}
    with tempfile.TemporaryDirectory(prefix="bilateral-bench-") as folder:
        folder = Path(folder)
        pair, filled = _section(errors, "recorded", lambda: recorded.measure(options.runs, _made(folder / "recorded")), ({}, None))
        sizes, synthetic = _section(
            errors, "scale", lambda: scale.measure(options.sizes, options.runs, options.large_runs, _made(folder / "scale")), ([], None)
        )
        large = _section(errors, "million", lambda: scale.million(_made(folder / "million")), {}) if options.million else {}
        warehouse = filled or synthetic  # `bilateral sql` needs a published warehouse; either will do
        settings, home = (warehouse.settings, warehouse.home) if warehouse else (None, None)
        cli = _section(errors, "cli", lambda: cli_start.measure(options.runs, settings, home), {})
        prefect = _section(errors, "prefect", lambda: overhead.measure(options.runs, folder / "prefect"), {}) if options.prefect else {}
    found |= _flat(pair, sizes, cli, prefect) | large
    found["targets"] = report.targets(found)
    found["errors"] = errors
    found["bench"]["duration_s"] = round(time.perf_counter() - started, 1)
    print(json.dumps(found, indent=1, default=str), flush=True)
    report.show(found)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(found, indent=1, default=str) + "\n", encoding="utf-8")
    return 1 if errors else 0


def _flat(pair: dict, sizes: list[dict], cli: dict, prefect: dict) -> dict:
    """The top-level keys: the recorded pair's, the larger size's, the CLI's and Prefect's."""
    large = max(sizes, key=lambda size: size["economies"]) if sizes else {}
    flat = {key: pair.get(key) for key in ("refresh_cold_s", "refresh_warm_s", "warm_cold_ratio", "warm_rows_written",
                                           "floor_s", "cold_floor_ratio", "briefing_new_s", "briefing_unchanged_s",
                                           "paced_refresh_s", "slowest_host_paced_s", "paced_ratio",
                                           "three_pairs_cold_request_ratio", "three_pairs_warm_request_ratio")}
    flat |= {
        "naive_ratio": large.get("naive_ratio"),
        "naive_s": large.get("naive_s"),
        "rows_per_s": {str(size["economies"]): size["rows_per_s"] for size in sizes},
        "rows_per_s_large": large.get("rows_per_s"),
        "revision_reload_s": large.get("revision_reload_s"),
        "revision_refresh_s": large.get("revision_refresh_s"),
        "peak_rss_mib": large.get("peak_rss_mib"),
        "cli_start_s": {command: found.get("seconds") for command, found in cli.items()},
    }
    flat |= prefect
    flat["skipped"] = {name: reason for name, reason in _skipped(pair, cli).items() if reason}
    flat["recorded"] = {key: value for key, value in pair.items() if key not in flat}
    flat["scale"] = sizes
    flat["cli"] = cli
    return flat


def _skipped(pair: dict, cli: dict) -> dict:
    return {
        "recorded_pair": pair.get("skipped"),
        "briefing": "needs the warehouse the recorded pair fills" if pair.get("skipped") else None,
        "cli_sql": (cli.get("sql") or {}).get("reason"),
    }


def _section(errors: dict[str, str], name: str, measure, fallback):
    """Run one section; a failure is recorded and the rest of the bench still runs."""
    print(f"bench: {name} ...", file=sys.stderr, flush=True)
    t0 = time.perf_counter()
    try:
        return measure()
    except (ChildFailed, OSError, RuntimeError) as error:
        errors[name] = str(error)[-2000:]
        print(f"bench: {name} failed: {error}", file=sys.stderr)
        return fallback
    finally:
        print(f"bench: {name} took {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)


def _made(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _about(options: argparse.Namespace) -> dict:
    return {
        "started_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "runs": options.runs,
        "large_runs": options.large_runs,
        "sizes": options.sizes,
    }


def _options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per metric (the median is reported); default 3")
    parser.add_argument("--large-runs", type=int, default=2, help="runs at the largest synthetic size; default 2 (keeps `make bench` well under 10 minutes)")
    parser.add_argument("--sizes", type=lambda text: [int(n) for n in text.split(",")], default=[50, 300],
                        help="synthetic economies, comma-separated; default 50,300")
    parser.add_argument("--no-prefect", dest="prefect", action="store_false", help="skip Prefect's overhead (~1 min)")
    parser.add_argument("--no-million", dest="million", action="store_false",
                        help="skip the ~1,000,000-value refresh (760 synthetic economies, ~1 min)")
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.exit(main())
