"""Writes docs/cli.md from the commands' own --help, so the reference cannot drift from the code.

    python docs/cli_reference.py           # rewrite docs/cli.md
    python docs/cli_reference.py --print   # print it instead (tests/test_docs.py compares the two)
"""

import os
import sys
from pathlib import Path

os.environ["COLUMNS"] = "100"  # help is wrapped to the terminal: fix the width so the text is stable
os.environ["NO_COLOR"] = "1"
os.environ["TERM"] = "dumb"

from typer.testing import CliRunner  # noqa: E402

from bilateral.cli import app  # noqa: E402

TARGET = Path(__file__).with_name("cli.md")


def reference() -> str:
    runner = CliRunner()
    names = sorted(command.name or command.callback.__name__ for command in app.registered_commands)
    parts = ["# Command reference", "", "Generated from `--help` by `python docs/cli_reference.py`; do not edit by hand.", ""]
    for arguments in [[]] + [[name] for name in names]:
        title = " ".join(["bilateral", *arguments])
        text = runner.invoke(app, [*arguments, "--help"], prog_name="bilateral", terminal_width=100).stdout
        lines = [line.rstrip() for line in text.strip("\n").splitlines()]
        parts += [f"## `{title}`", "", "```", *lines, "```", ""]
    return "\n".join(parts)


if __name__ == "__main__":
    if "--print" in sys.argv:
        sys.stdout.write(reference())
    else:
        TARGET.write_text(reference(), encoding="utf-8")
        sys.stdout.write(f"wrote {TARGET}\n")
