"""`make bench`: how fast the refresh, the briefing and the CLI are, against a floor and a naive script.

Run it as `python -m bench` from the repository root; see bench/README.md.
"""
