"""Short texts about a run or a briefing: the terminal's summary line and Prefect artifacts."""

from __future__ import annotations

from pathlib import Path

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


def briefing_markdown(briefing, pdf: Path) -> str:
    """The key figures of a briefing as a markdown table, for the Prefect UI."""
    codes = [country["code"] for country in briefing.pair]
    lines = [
        f"# Briefing {briefing.period} ({pdf.name})",
        f"Data as of {briefing.as_of}.",
        "",
        "| indicator | " + " | ".join(codes) + " |",
        "|---|" + "---:|" * len(codes),
    ]
    for row in briefing.key_rows:
        cells = [cell["latest"]["text"] + f" ({cell['latest']['period']})" if cell["latest"] else "–" for cell in row["cells"]]
        lines.append(f"| {row['label']} ({row['unit']}) | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
