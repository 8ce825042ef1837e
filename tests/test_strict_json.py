"""`--format json` is strict JSON: a parser that refuses NaN and Infinity reads every answer."""

import json
import subprocess
import sys


def strict(text: str):
    def refuse(constant):
        raise ValueError(f"not JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


def test_non_finite_numbers_are_null_in_sql_json(filled):
    done = subprocess.run([sys.executable, "-m", "bilateral", "sql", "--format", "json", "--config", str(filled.path),
                           "select 'nan'::double as a, 'inf'::double as b, -'inf'::double as c, 1.5 as d"],
                          capture_output=True, text=True, env={"BILATERAL_HOME": str(filled.home), "PATH": ""})
    assert done.returncode == 0, done.stderr
    assert strict(done.stdout) == [{"a": None, "b": None, "c": None, "d": "1.5"}]


def test_status_and_claims_json_parse_strictly(filled):
    for command in (["status", "--format", "json"], ["claims", "--format", "json"], ["events", "--format", "json"]):
        done = subprocess.run([sys.executable, "-m", "bilateral", *command, "--config", str(filled.path)],
                              capture_output=True, text=True, env={"BILATERAL_HOME": str(filled.home), "PATH": ""})
        assert done.returncode == 0, done.stderr
        assert strict(done.stdout)
