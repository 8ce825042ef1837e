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


def status_text(pair: str, others: list[str], sources: list[dict], last_run: dict | None, last_briefing: dict | None,
                publish: dict | None) -> str:
    """`bilateral status`: a line per source, then the snapshot, the last run and the last briefing, all in full.
    The states and the last briefing are those of `pair`; with other pairs configured, a first line says which."""
    lines = [f"pair            {pair}; also configured: {', '.join(others)} (choose with --pair)"] if others else []
    for row in sources:
        fetched = _moment(row["fetched_at"]) if row["fetched_at"] else "never"
        line = (
            f"{row['source']:<15} {row['state']:<8} latest period {row['latest_period'] or '-'}; "
            f"publisher updated {row['publisher_updated'] or 'unknown'}; fetched {fetched}"
        )
        if row["last_failure_at"]:
            line += f"; last problem {_moment(row['last_failure_at'])}: {row['last_error']}"
        lines.append(line)
    if not sources:
        lines.append("no source has been refreshed yet")
    if publish:
        lines.append(f"snapshot        stale: the last publish failed ({publish['at'] or 'time unknown'}): {publish['reason']}")
    if last_run:
        lines.append(
            f"last run        {last_run['status']:<7} {last_run['run_id']} at {_moment(last_run['finished_at'])}: "
            f"{last_run['new_values']} new, {last_run['revised_values']} revised, {last_run['unchanged_values']} unchanged values"
        )
    if last_briefing:
        lines.append(
            f"last briefing   {last_briefing['period']:<7} {last_briefing['path']} ({last_briefing['pages']} pages), "
            f"data as of {_moment(last_briefing['as_of'])}"
        )
    return "\n".join(lines) + "\n"


def status_json(pair: str, others: list[str], sources: list[dict], last_run: dict | None, last_briefing: dict | None,
                publish: dict | None) -> str:
    """`bilateral status --format json`: the same facts for scripts, strict JSON, times in ISO 8601."""
    from bilateral.analyst import strict_json

    snapshot = {"stale": bool(publish), "reason": publish["reason"] if publish else None}
    return strict_json({"pair": pair, "other_pairs": others, "sources": sources, "snapshot": snapshot, "last_run": last_run,
                        "last_briefing": last_briefing}) + "\n"


def _moment(moment) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"
