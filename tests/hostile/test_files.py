"""Issue 9 items 4, 6 and 8: every input is read with a byte limit whatever the file is, and the
YAML reader stops at its size, node and nesting limits with the true reason."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from accord.errors import ImportFormatError, ScenarioError
from accord.io import load_file
from accord.io._files import read_bounded
from accord.io.yaml import LIMITS, YamlLimits, loads

from .cli import invoke, refused
from .inputs import scenario, write


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize("command", ["validate", "analyze"])
def test_a_symlink_to_dev_zero_is_refused_without_reading(tmp_path: Path, command: str) -> None:
    link = tmp_path / "s.yaml"
    link.symlink_to("/dev/zero")
    line = refused(invoke(command, str(link)), "s.yaml", "is a device, not a regular file")
    assert line.startswith("error: ")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.parametrize(("command", "name"), [("divide", "items.csv"), ("forecast", "actors.csv")])
def test_a_csv_table_that_is_a_device_is_refused_as_one(tmp_path: Path, command: str, name: str) -> None:
    link = tmp_path / name
    link.symlink_to("/dev/zero")
    refused(invoke(command, str(link)), name, "is a device, not a regular file; give a file")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("command", ["validate", "analyze", "divide"])
def test_a_fifo_is_refused_without_blocking(tmp_path: Path, command: str) -> None:
    fifo = tmp_path / ("s.csv" if command == "divide" else "s.yaml")
    os.mkfifo(fifo)
    # In a child process with a timeout: were the FIFO opened, the read would block forever.
    done = subprocess.run(
        [sys.executable, "-c", "from accord.cli import app; app()", command, str(fifo)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "40"},
    )
    assert done.returncode in (1, 2), done.stderr
    assert "Traceback" not in done.stderr
    assert f"error: {fifo}: is a named pipe (FIFO), not a regular file" in done.stderr.splitlines()[0]


def test_read_bounded_refuses_a_device_and_reads_no_more_than_the_limit(tmp_path: Path) -> None:
    with pytest.raises(ImportFormatError, match="is a device"):
        read_bounded(Path("/dev/zero"), 100, "small")
    big = tmp_path / "big.xml"
    big.write_bytes(b"x" * 1001)
    with pytest.raises(
        ImportFormatError, match=r"big\.xml: the file has 1,001 bytes, more than the limit of 1,000"
    ):
        read_bounded(big, 1000, "small")
    assert read_bounded(big, 1001, "small") == b"x" * 1001


def test_a_large_plain_file_fails_at_the_node_limit_and_says_so(tmp_path: Path) -> None:
    # Within the byte limit, no aliases: the message must be about nodes, not aliases, and the
    # reader must stop at the limit rather than read the rest.
    lines = ["format: accord/1", "id: x", "notes:", *(f"  - [{i % 10}, {i % 7}]" for i in range(400_000))]
    path = tmp_path / "plain.yaml"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert path.stat().st_size < LIMITS.max_bytes
    start = time.perf_counter()
    line = refused(invoke("validate", str(path)), "plain.yaml", "200,000 YAML nodes", "max_nodes", code=1)
    assert "alias" not in line
    assert time.perf_counter() - start < 60  # the whole file takes minutes; the limit, seconds
    assert f"{path}:66668:" in line  # where the 200,001st node starts: it names the place


def test_a_file_over_the_byte_limit_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"a: " + b"x" * LIMITS.max_bytes)
    line = refused(
        invoke("validate", str(path)), "huge.yaml", "bytes, more than the limit of 5,242,880", "max_bytes"
    )
    assert "YamlLimits(max_bytes=" in line


def test_aliases_are_still_blamed_when_they_are_the_cause() -> None:
    levels = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for n in range(1, 7):
        prev, name = chr(ord("a") + n - 1), chr(ord("a") + n)
        levels.append(f"{name}: &{name} [{', '.join([f'*{prev}'] * 10)}]")
    with pytest.raises(ScenarioError, match="through aliases"):
        loads("format: accord/1\n" + "\n".join(levels), file="bomb.yaml")


@pytest.mark.parametrize("brackets", [("[", "]"), ("{a: ", "}")])
def test_deep_nesting_is_a_clear_error_not_a_recursion_error(
    tmp_path: Path, brackets: tuple[str, str]
) -> None:
    open_, close = brackets
    path = tmp_path / "deep.yaml"
    path.write_text(
        "format: accord/1\nid: x\nnotes: " + open_ * 300 + "1" + close * 300 + "\n", encoding="utf-8"
    )
    refused(invoke("validate", str(path)), "deep.yaml:3:", "nested more than 64 deep", "max_depth", code=1)


def test_the_limits_can_be_raised_from_python(tmp_path: Path) -> None:
    path = write(tmp_path / "s.yaml", scenario(3))
    with pytest.raises(ScenarioError, match="more than 10 YAML nodes"):
        load_file(path, limits=YamlLimits(max_nodes=10))
    with pytest.raises(ScenarioError, match="nested more than 2 deep"):
        load_file(path, limits=YamlLimits(max_depth=2))
    assert load_file(path, limits=YamlLimits(max_nodes=10_000, max_depth=10)).party_ids == ("p0", "p1", "p2")


def test_a_file_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"format: accord/1\nid: caf\xe9\n")
    refused(invoke("validate", str(path)), "latin1.yaml:2:", "not UTF-8", code=1)
