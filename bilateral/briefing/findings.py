"""The summary's findings: four to seven sentences, each built on a figure printed elsewhere in the briefing.

Each sentence names its number, its year and its source; none is written by hand.
"""

from __future__ import annotations

from bilateral.briefing import wording

MOST = 7


def sentences(briefing) -> list[str]:
    """The findings, most telling first; a finding whose figures are missing is left out."""
    a, b = (country["name"] for country in briefing.pair)
    found = [
        _trade(briefing, a, b),
        _economies(briefing, a, b),
        _growth(briefing, a, b),
        _ranks(briefing, a, b),
        _changes(briefing),
        _claims(briefing),
    ]
    return [sentence for sentence in found if sentence][:MOST]


def _row(briefing, label: str) -> dict | None:
    return next((row for row in briefing.key_rows if row["label"] == label), None)


def _both(row: dict | None) -> tuple[dict, dict] | None:
    if row is None or not all(cell["latest"] for cell in row["cells"]):
        return None
    return tuple(cell["latest"] for cell in row["cells"])


def _trade(briefing, a: str, b: str) -> str | None:
    complete = [row for row in briefing.trade_rows if all(_flow(row[side]) is not None for side in ("ab", "ba"))]
    if not complete:
        return None
    latest = complete[0]
    total = _flow(latest["ab"]) + _flow(latest["ba"])
    before = next((row for row in complete if row["year"] == latest["year"] - 1), None)
    change = ""
    if before:
        previous = _flow(before["ab"]) + _flow(before["ba"])
        change = f", {wording.signed(100 * (total - previous) / previous, 1, '%')} on {before['year']}"
    return (f"Goods trade between {a} and {b} came to {wording.money(total)} in {latest['year']}{change}: "
            f"{a} sold {wording.money(_flow(latest['ab']))} and bought {wording.money(_flow(latest['ba']))} "
            f"(IMF IMTS, each direction as its exporter reports it, else as its importer does).")


def _flow(side: dict) -> float | None:
    return side["exports_usd"] if side["exports_usd"] is not None else side["imports_usd"]


def _economies(briefing, a: str, b: str) -> str | None:
    gdp, per_person = _both(_row(briefing, "GDP, current prices")), _both(_row(briefing, "GDP per person, current prices"))
    if not gdp:
        return None
    text = (f"{a}'s GDP was US${gdp[0]['text']} billion in {gdp[0]['period']} against US${gdp[1]['text']} billion for {b}")
    if per_person and per_person[0]["period"] == gdp[0]["period"]:
        text += f"; per person, US${per_person[0]['text']} against US${per_person[1]['text']}"
    return text + f" (IMF WEO, {gdp[0]['vintage']})."


def _growth(briefing, a: str, b: str) -> str | None:
    growth = _both(_row(briefing, "Real GDP growth"))
    if not growth:
        return None
    return (f"Real GDP grew {growth[0]['text']}% in {a} and {growth[1]['text']}% in {b} in {growth[0]['period']}, "
            f"the latest year the IMF reports as actual (IMF WEO, {growth[0]['vintage']}).")


def _ranks(briefing, a: str, b: str) -> str | None:
    ranks = _both(_row(briefing, "World rank by GDP"))
    if not ranks:
        return None
    return (f"By GDP in US dollars {a} ranked {ranks[0]['text']} economies in {ranks[0]['period']} and "
            f"{b} {ranks[1]['text']} (IMF WEO, {ranks[0]['vintage']}).")


def _changes(briefing) -> str | None:
    changes = briefing.changes
    if not changes["has_previous"]:
        return None
    new_values = sum(point["new_values"] for point in changes["new_points"])
    return (f"Since the briefing for {changes['previous_period']}, {changes['all_revisions']} published values were "
            f"revised and {new_values} new values arrived for the pair.")


def _claims(briefing) -> str | None:
    counts = briefing.claim_counts
    checked = counts["supported"] + counts["outdated"] + counts["contradicted"]
    if not checked:
        return None
    text = (f"Of the source article's {checked} checkable figures, {counts['supported']} hold, "
            f"{counts['outdated']} held only for an earlier year and {counts['contradicted']} do not hold")
    example = next((claim for claim in briefing.claims if claim["verdict"] == "outdated" and claim["held_for"]), None)
    if example:
        text += f"; for instance, \u201c{example['claim_text'].rstrip('.')}\u201d was true for {example['held_for']}"
    return text + "."
