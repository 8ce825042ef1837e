"""Errors the package raises; each message is one line naming the URL, file or field."""


class BilateralError(Exception):
    """Base of every error a user can act on; the CLI prints it as one line."""

    exit_code = 1


class UsageError(BilateralError):
    """A command was given an argument it cannot take (a period, a date, a category)."""

    exit_code = 2


class ConfigError(BilateralError):
    """A configuration file or environment value is missing or not allowed."""

    exit_code = 2


class SourceError(BilateralError):
    """An API answered, but with an error, an outage page, or a body we cannot read."""


class FetchError(SourceError):
    """An API could not be reached or kept failing after the retries."""


class SchemaDriftError(SourceError):
    """An API answered in a shape we do not know: a field renamed, removed or retyped."""


class SeedError(BilateralError):
    """A curated file (events, claims) breaks its schema."""


class WarehouseError(BilateralError):
    """The warehouse file is missing, locked by another writer, or unreadable."""


class QueryError(BilateralError):
    """An ad-hoc SQL statement failed or tried something the read-only session forbids."""


class BriefingError(BilateralError):
    """The briefing could not be rendered."""
