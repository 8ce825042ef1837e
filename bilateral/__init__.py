"""bilateral: scheduled country-pair briefings from public trade and macro data."""

__version__ = "0.1.0"
