"""No secret reaches the logs, the warehouse, the landed bytes, the artifacts or the PDF."""

import logging

from bilateral import refresh, summaries, warehouse
from bilateral.briefing import produce
from bilateral.config import load_config

SENTINEL_IMF = "imf-sentinel-5d1c9e"
SENTINEL_COMTRADE = "comtrade-sentinel-a8b2f0"


def test_api_keys_are_sent_but_never_written_anywhere(settings, home, fake, monkeypatch, caplog):
    monkeypatch.setenv("BILATERAL_IMF_KEY", SENTINEL_IMF)
    monkeypatch.setenv("BILATERAL_COMTRADE_KEY", SENTINEL_COMTRADE)
    caplog.set_level(logging.DEBUG)
    config = load_config(settings)
    summary = refresh.run_once(config)
    assert summary.status == "ok", summary.failures  # the full Comtrade API answers only with the key
    sent = {request.header("Ocp-Apim-Subscription-Key") for request in fake.requests}
    assert {SENTINEL_IMF, SENTINEL_COMTRADE} <= sent

    moment = produce.as_of_moment(config, None)
    briefing = produce.build(config, None, moment)
    produce.record(config, briefing, moment, produce.write(config, briefing))

    written = [path for path in home.rglob("*") if path.is_file()]
    assert any(path.suffix == ".pdf" for path in written)
    for path in written:
        content = path.read_bytes()
        assert SENTINEL_IMF.encode() not in content and SENTINEL_COMTRADE.encode() not in content, path
    texts = [caplog.text, summaries.refresh_markdown(summary), repr(config), str(warehouse.revisions_of_run(config.snapshot_path, summary.run_id))]
    assert not any(SENTINEL_IMF in text or SENTINEL_COMTRADE in text for text in texts)
