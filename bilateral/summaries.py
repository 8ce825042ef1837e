"""Short texts about a run or a briefing: the terminal's summary line and Prefect artifacts."""

from __future__ import annotations

from bilateral.refresh import RunSummary


def run_line(summary: RunSummary) -> str:
    return (
        f"refresh {summary.status}: {summary.new} new, {summary.revised} revised, "
        f"{summary.unchanged} unchanged values; run {summary.run_id}"
    )


def refresh_markdown(summary: RunSummary) -> str:
    lines = [
        f"# Refresh {summary.run_id}: {summary.status}",
        "",
        "| source | status | requests | unchanged answers | new | revised | unchanged values | failure |",
        "|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for outcome in summary.outcomes:
        fetches = outcome.fetches
        unchanged_fetches = int(fetches["is_unchanged"].sum()) if not fetches.empty else 0
        failure = (outcome.error or "").replace("|", "\\|")
        lines.append(
            f"| {outcome.source} | {outcome.status} | {len(fetches)} | {unchanged_fetches} | {outcome.counts.new} "
            f"| {outcome.counts.revised} | {outcome.counts.unchanged} | {failure} |"
        )
    return "\n".join(lines) + "\n"
