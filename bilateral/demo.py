"""`bilateral demo`: the real pipeline on the bundled recordings, replayed on 127.0.0.1, in a home of its own.

Nothing leaves the machine: every source's base URL points at the replay server, the
politeness intervals (meant for the real services) are dropped, and the briefing says
on page 1 that it shows recorded data, and of which vintage.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from bilateral import refresh
from bilateral.briefing import produce
from bilateral.briefing.wording import N_
from bilateral.config import Config
from bilateral.replay import FakeAPI

NOTE = N_("Demo edition: the recorded public data bundled with bilateral ({vintage}), replayed offline; not a live refresh.")


def run(config: Config, home: Path, language: str = "en") -> tuple[refresh.RunSummary, Path]:
    """Refresh from the replayed recordings, then render the briefing in `language`; returns the run and the PDF."""
    with FakeAPI() as replay:
        urls = {
            "worldbank": replay.worldbank_url,
            "imf_datamapper": replay.datamapper_url,
            "imf_trade": replay.sdmx_url,
            "comtrade": replay.comtrade_url,
        }
        sources = {
            name: dataclasses.replace(source, base_url=urls[name], min_interval_s=0.0, key=None)
            for name, source in config.sources.items()
        }
        local = dataclasses.replace(config, home=home, sources=sources)
        summary = refresh.run_once(local)
    return summary, produce.run_once(local, note=NOTE, language=language)[1].path
