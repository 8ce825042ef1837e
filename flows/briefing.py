"""Briefing: context (marts as of a moment) -> HTML and PDF -> record, with artifacts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from prefect import flow, task
from prefect.artifacts import create_link_artifact, create_markdown_artifact
from prefect.cache_policies import NONE

from bilateral import alerts
from bilateral.briefing import produce
from bilateral.briefing.context import Briefing
from bilateral.config import Config, load_config
from bilateral.periods import as_of_day
from bilateral.summaries import briefing_markdown
from flows.alerts import emit as announce
from flows.writer import writer_slot


@task(cache_policy=NONE)
def build_context(config: Config, period: str | None, as_of: dt.datetime, since: str | None,
                  rebuilt_as_of: dt.date | None, language: str) -> Briefing:
    return produce.build(config, period, as_of, since, rebuilt_as_of, language)


@task(cache_policy=NONE)
def render_pdf(config: Config, briefing: Briefing) -> produce.Rendered:
    return produce.write(config, briefing)


@task(cache_policy=NONE)
def record_briefing(config: Config, briefing: Briefing, as_of: dt.datetime, rendered: produce.Rendered) -> None:
    produce.record(config, briefing, as_of, rendered)


@flow(name="briefing")
def briefing_flow(config_path: str | None = None, period: str | None = None, as_of: str | None = None,
                  since: str | None = None, languages: list[str] | None = None, pair: str | None = None) -> Path:
    """A pair's editions (the first pair unless `pair` names one, e.g. RUS-MEX; its configured languages unless
    `languages` names some), PDF and HTML; returns the first's PDF."""
    config = load_config(config_path).for_pair(pair)
    moment = produce.as_of_moment(config, as_of)
    paths = []
    for language in languages or config.languages:
        briefing = build_context(config, period, moment, since, as_of_day(as_of) if as_of else None, language)
        rendered = render_pdf(config, briefing)
        with writer_slot():  # taken by the flow, so the task's own run is the write and nothing else
            record_briefing(config, briefing, moment, rendered)
        announce([alerts.briefing_published(rendered.path, briefing.period, briefing.language, rendered.pages)])
        create_markdown_artifact(markdown=briefing_markdown(briefing, rendered.path), key=f"briefing-key-figures-{config.pair_slug}-{language}")
        create_link_artifact(link=rendered.path.resolve().as_uri(), link_text=rendered.path.name, key=f"briefing-pdf-{config.pair_slug}-{language}")
        paths.append(rendered.path)
    return paths[0]
