"""`bilateral doctor` finds what is damaged on disk, and the next refresh repairs landed files."""

import dataclasses
import shutil
import subprocess
import sys

from bilateral import refresh


def doctor(config):
    return subprocess.run([sys.executable, "-m", "bilateral", "doctor", "--config", str(config.path)],
                          capture_output=True, text=True, env={"BILATERAL_HOME": str(config.home), "PATH": ""})


def copy_of(filled, tmp_path):
    shutil.copytree(filled.home, tmp_path / "home")
    return dataclasses.replace(filled, home=tmp_path / "home")


def test_a_sound_data_directory_passes_every_check(filled, tmp_path):
    done = doctor(copy_of(filled, tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert all(line.startswith("ok ") for line in done.stdout.splitlines())
    assert len(done.stdout.splitlines()) == 6


def test_a_corrupted_raw_file_is_found_and_the_next_refresh_writes_it_again(filled, tmp_path, fake):
    config = copy_of(filled, tmp_path)
    damaged = sorted((config.raw_dir / "worldbank").rglob("*"))[-1]
    damaged.write_bytes(damaged.read_bytes()[:-10] + b"0123456789")
    done = doctor(config)
    assert done.returncode == 1
    assert "damaged  " in done.stdout and damaged.relative_to(config.home).as_posix() in done.stdout
    refresh.run_once(config)
    assert doctor(config).returncode == 0


def test_a_second_open_version_of_one_value_is_found(filled, tmp_path):
    import duckdb

    config = copy_of(filled, tmp_path)
    with duckdb.connect(str(config.warehouse_path)) as connection:
        connection.execute("insert into core.observations select * from core.observations where valid_to is null limit 1")
    done = doctor(config)
    assert done.returncode == 1
    assert "damaged  one open version per observation key: 1 rows break it" in done.stdout
