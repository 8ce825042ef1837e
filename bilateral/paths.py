"""Where the project's own files (sql/, reports/, data/, bilateral.toml) live."""

import os
from pathlib import Path


def project_root() -> Path:
    """The checkout that holds sql/, reports/ and data/ beside the package.

    BILATERAL_ROOT points elsewhere when the package is installed without them.
    """
    configured = os.environ.get("BILATERAL_ROOT")
    return Path(configured) if configured else Path(__file__).resolve().parent.parent


def sql_dir() -> Path:
    return project_root() / "sql"


def reports_dir() -> Path:
    return project_root() / "reports"


def data_dir() -> Path:
    return project_root() / "data"
