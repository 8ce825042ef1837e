"""The README documents every command and every mart with its columns; a missing one fails here."""

import re

import pytest
from typer.testing import CliRunner

from bilateral import analyst
from bilateral.cli import app
from conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    following = README.find("\n## ", start + 1)
    return README[start: following if following > 0 else None]


COMMANDS = sorted(command.name or command.callback.__name__ for command in app.registered_commands)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_readme_and_has_help(command):
    assert f"`bilateral {command}" in section("Commands")
    result = CliRunner().invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert len(result.stdout.strip().splitlines()) > 3


def test_readme_opens_with_the_run_and_test_commands():
    first_lines = README.splitlines()[:6]
    assert "make run" in "\n".join(first_lines) and "make test" in "\n".join(first_lines)


def test_every_mart_and_its_columns_are_in_the_readme(filled):
    documented = section("Querying the data")
    with analyst.connect(filled) as connection:
        columns = analyst.query(
            connection, "select table_name, list(column_name) from duckdb_columns() where schema_name = 'marts' group by 1"
        ).rows
    for mart, names in columns:
        row = next((line for line in documented.splitlines() if line.startswith(f"| `marts.{mart}` |")), None)
        assert row is not None, f"marts.{mart} is missing from the README's mart table"
        listed = set(re.findall(r"`([a-z_0-9]+)`", row.split("|")[3]))
        assert set(names) == listed, f"marts.{mart}: README columns differ"



def test_the_cli_reference_is_generated_from_help():
    import subprocess
    import sys

    fresh = subprocess.run([sys.executable, str(REPO / "docs" / "cli_reference.py"), "--print"],
                           capture_output=True, text=True, check=True).stdout
    assert (REPO / "docs" / "cli.md").read_text(encoding="utf-8") == fresh, "docs/cli.md is stale: run python docs/cli_reference.py"
