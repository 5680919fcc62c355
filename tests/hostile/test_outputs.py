"""Issue 9 items 10 and 19: output paths are checked before the work, write failures are clear
errors, existing files are not overwritten without --force, convert never writes into its
source."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from accord.simulation.tournament import TournamentResult

from .cli import invoke, refused

GENIUS = Path(__file__).parent.parent / "data" / "genius" / "Bookshop"
FAST = ("-s", "boulware,conceder", "-n", "10")


def test_tournament_to_a_missing_folder(tmp_path: Path) -> None:
    out = tmp_path / "nowhere" / "r.csv"
    line = refused(invoke("tournament", "car-sale", *FAST, "-o", str(out)), f"--output {out}", code=2)
    assert "does not exist" in line and "mkdir -p" in line


def test_tournament_to_a_folder(tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    out.mkdir()
    line = refused(invoke("tournament", "car-sale", *FAST, "-o", str(out)), f"--output {out}", code=2)
    assert "is a folder" in line


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_tournament_to_a_full_disk(tmp_path: Path) -> None:
    link = tmp_path / "full.csv"
    link.symlink_to("/dev/full")
    line = refused(invoke("tournament", "car-sale", *FAST, "-o", str(link)), f"--output {link}", code=2)
    assert "cannot be written: No space left on device" in line


def test_tournament_to_an_unwritable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests may run as root, who can write any file: the write itself is made to fail.
    out = tmp_path / "r.csv"

    def denied(self: TournamentResult, path: object) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(TournamentResult, "to_csv", denied)
    line = refused(invoke("tournament", "car-sale", *FAST, "-o", str(out)), f"--output {out}", code=2)
    assert "cannot be written: Permission denied" in line


@pytest.mark.parametrize("suffix", [".csv", ".json"])
def test_tournament_does_not_overwrite_without_force(tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"r{suffix}"
    out.write_text("keep me", encoding="utf-8")
    line = refused(invoke("tournament", "car-sale", *FAST, "-o", str(out)), f"--output {out}", "--force")
    assert "the file exists" in line
    assert out.read_text(encoding="utf-8") == "keep me"
    done = invoke("tournament", "car-sale", *FAST, "-o", str(out), "--force")
    assert done.exit_code == 0, done.output
    assert out.read_text(encoding="utf-8") != "keep me"


def test_report_does_not_overwrite_without_force(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    out.write_text("keep me", encoding="utf-8")
    line = refused(invoke("report", "car-sale", "-o", str(out)), f"--output {out}", "--force", code=2)
    assert "the file exists" in line
    assert out.read_text(encoding="utf-8") == "keep me"


def test_report_to_a_missing_folder_is_refused_before_the_work(tmp_path: Path) -> None:
    out = tmp_path / "nowhere" / "r.html"
    line = refused(invoke("report", "car-sale", "-o", str(out)), f"--output {out}", code=2)
    assert "does not exist" in line


@pytest.mark.parametrize("target", [".", "sub"])
def test_convert_refuses_to_write_into_its_source(tmp_path: Path, target: str) -> None:
    src = tmp_path / "lap2"
    shutil.copytree(GENIUS, src)
    before = sorted(p.name for p in src.rglob("*"))
    dst = src if target == "." else src / target
    line = refused(invoke("convert", str(src), str(dst), "-f", "geniusweb"), str(src), code=2)
    assert "write to another folder" in line
    assert sorted(p.name for p in src.rglob("*")) == before


def test_convert_refuses_a_yaml_file_onto_itself(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    assert invoke("convert", "car-sale", str(path)).exit_code == 0
    refused(invoke("convert", str(path), str(path)), "the target is the source", code=2)
