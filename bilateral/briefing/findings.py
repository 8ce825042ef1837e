"""The summary's findings: four to seven sentences, each built on a figure printed elsewhere in the briefing.

Each sentence names its number, its year and its source; none is written by hand.
"""

from __future__ import annotations

from bilateral.briefing import wording
from bilateral.briefing.wording import _

MOST = 7


def sentences(briefing) -> list[str]:
    """The findings, most telling first; a finding whose figures are missing is left out."""
    a, b = (wording.country_in_text(country["code"]) for country in briefing.pair)
    found = [
        _trade(briefing, a, b),
        _economies(briefing, a, b),
        _growth(briefing, a, b),
        _ranks(briefing, a, b),
        _changes(briefing),
        _claims(briefing),
    ]
    return [wording.sentence(sentence) for sentence in found if sentence][:MOST]


def _row(briefing, key: str) -> dict | None:
    return next((row for row in briefing.key_rows if row["key"] == key), None)


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
        change = _(", {change} on {year}", change=wording.signed(100 * (total - previous) / previous, 1, "%"), year=before["year"])
    return _("Goods trade between {a} and {b} came to {total} in {year}{change}: {a} sold {sold} and bought {bought} "
             "(IMF IMTS, each direction as its exporter reports it, else as its importer does).",
             a=a, b=b, total=wording.money(total), year=latest["year"], change=change,
             sold=wording.money(_flow(latest["ab"])), bought=wording.money(_flow(latest["ba"])))


def _flow(side: dict) -> float | None:
    return side["exports_usd"] if side["exports_usd"] is not None else side["imports_usd"]


def _economies(briefing, a: str, b: str) -> str | None:
    gdp, per_person = _both(_row(briefing, "gdp")), _both(_row(briefing, "gdp_per_capita"))
    if not gdp:
        return None
    text = _("{a}'s GDP was US${gdp_a} billion in {year} against US${gdp_b} billion for {b}",
             a=a, b=b, gdp_a=gdp[0]["text"], gdp_b=gdp[1]["text"], year=gdp[0]["period"])
    if per_person and per_person[0]["period"] == gdp[0]["period"]:
        text += _("; per person, US${a} against US${b}", a=per_person[0]["text"], b=per_person[1]["text"])
    return text + _(" (IMF WEO, {vintage}).", vintage=gdp[0]["vintage"])


def _growth(briefing, a: str, b: str) -> str | None:
    growth = _both(_row(briefing, "growth"))
    if not growth:
        return None
    return _("Real GDP grew {growth_a}% in {a} and {growth_b}% in {b} in {year}, "
             "the latest year the IMF reports as actual (IMF WEO, {vintage}).",
             a=a, b=b, growth_a=growth[0]["text"], growth_b=growth[1]["text"], year=growth[0]["period"],
             vintage=growth[0]["vintage"])


def _ranks(briefing, a: str, b: str) -> str | None:
    ranks = _both(_row(briefing, "rank.NGDPD"))
    if not ranks:
        return None
    return _("By GDP in US dollars {a} ranked {rank_a} economies in {year} and {b} {rank_b} (IMF WEO, {vintage}).",
             a=a, b=b, rank_a=ranks[0]["text"], rank_b=ranks[1]["text"], year=ranks[0]["period"], vintage=ranks[0]["vintage"])


def _changes(briefing) -> str | None:
    changes = briefing.changes
    if not changes["has_previous"]:
        return None
    revised, new = changes["all_revisions"], sum(point["new_values"] for point in changes["new_points"])
    revised_text = wording.ngettext("{count} published value was revised", "{count} published values were revised", revised) \
        if revised else _("no published value was revised")
    new_text = wording.ngettext("{count} new value arrived", "{count} new values arrived", new) if new else _("no new value arrived")
    return _("Since the briefing for {period}, {revised} and {new} for the pair.", period=changes["previous_period"],
             revised=revised_text, new=new_text)


def _claims(briefing) -> str | None:
    counts = briefing.claim_counts
    checked = counts["supported"] + counts["outdated"] + counts["contradicted"]
    if not checked:
        return None
    verdicts = {"checked": checked, "supported": counts["supported"], "outdated": counts["outdated"],
                "contradicted": counts["contradicted"]}
    if briefing.claims_document:
        text = _("Of the {checked} checkable figures in {document}, {supported} hold, "
                 "{outdated} held only for an earlier year and {contradicted} do not hold",
                 document=_("\u201c{title}\u201d", title=briefing.claims_document["title"]), **verdicts)
    else:
        text = _("Of the {checked} checkable curated figures, {supported} hold, "
                 "{outdated} held only for an earlier year and {contradicted} do not hold", **verdicts)
    example = next((claim for claim in briefing.claims if claim["verdict"] == "outdated" and claim["held_for"]), None)
    if example:
        text += _("; for instance, \u201c{claim}\u201d was true for {held_for}", claim=example["claim_text"].rstrip("."),
                  held_for=example["held_for"])
    return text + "."
