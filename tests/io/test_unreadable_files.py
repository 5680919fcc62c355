"""Files the readers cannot read faithfully: a clear one-line error naming the file, never a
silently dropped party, a traceback or minutes of work (issue 9 items 3, 7, 12, 18, 20).

Each case runs the command line in-process as a user would and checks the exit code, that no
traceback is printed, and that the message names the file.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from accord.cli.app import app
from accord.errors import ImportFormatError
from accord.io import read, read_genius

from ..corpus import DATA

runner = CliRunner()
WORKSHOP = DATA / "genius" / "Workshop"
JOBS = DATA / "geniusweb" / "Jobs"


def _copy(source: Path, tmp_path: Path) -> Path:
    out = tmp_path / source.name
    shutil.copytree(source, out)
    return out


def _refused(folder: Path, *words: str) -> str:
    result = runner.invoke(app, ["analyze", str(folder)])
    output = result.output.replace("\n", "")  # unwrapped, wherever the console wraps it
    assert result.exit_code == 2, output
    assert "Traceback" not in output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert output.startswith("error: ")
    for word in words:
        assert word in output, (word, output)
    return output


# -- item 3: an unreadable profile is an error, not a dropped party --------------------------------

UTF16 = (
    (WORKSHOP / "workshop_b.xml").read_text(encoding="utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
)
BROKEN_PROFILES = {
    "binary": b"\x00\x01\x02\xff\xfe\x00binary" * 20,
    "empty": b"",
    "blank": b"  \n\t\n",
    "wrong root": b'<?xml version="1.0"?><profile><objective/></profile>',
}


@pytest.mark.parametrize("kind", list(BROKEN_PROFILES))
def test_an_unreadable_genius_profile_is_an_error_naming_it(kind: str, tmp_path: Path) -> None:
    folder = _copy(WORKSHOP, tmp_path)
    (folder / "workshop_b.xml").write_bytes(BROKEN_PROFILES[kind])
    _refused(folder, "workshop_b.xml")


def test_a_utf16_genius_profile_is_read(tmp_path: Path) -> None:
    folder = _copy(WORKSHOP, tmp_path)
    (folder / "workshop_b.xml").write_bytes(UTF16.encode("utf-16"))
    scenario = read_genius(folder)
    assert scenario.party_ids == ("workshop_a", "workshop_b")
    assert scenario == read_genius(WORKSHOP).model_copy(update={"id": scenario.id, "name": scenario.name})


def test_plain_text_with_an_xml_name_is_still_skipped(tmp_path: Path) -> None:
    folder = _copy(WORKSHOP, tmp_path)
    (folder / "pareto.xml").write_text("0.1,0.9\n0.5,0.5\n")  # as ANAC 2014 10issues ships
    assert read_genius(folder).party_ids == ("workshop_a", "workshop_b")


@pytest.mark.parametrize(
    "root",
    [
        [{"LinearAdditiveUtilitySpace": {}}],  # the profile inside a list
        {"profile": {"LinearAdditiveUtilitySpace": {}}},  # under another key
        {"LinearAdditiveUtilitySpac": {"issueWeights": {}}},  # misspelt
    ],
    ids=["list", "nested", "misspelt"],
)
def test_a_geniusweb_profile_under_a_wrong_root_is_an_error_naming_it(root: object, tmp_path: Path) -> None:
    folder = _copy(JOBS, tmp_path)
    profile = json.loads((folder / "employee.json").read_text())
    body = profile["LinearAdditiveUtilitySpace"]
    wrapped = json.loads(json.dumps(root).replace("{}", json.dumps(body), 1))
    (folder / "employee.json").write_text(json.dumps(wrapped))
    _refused(folder, "employee.json", "root")


@pytest.mark.parametrize("kind", ["binary", "empty"])
def test_an_unreadable_geniusweb_profile_is_an_error_naming_it(kind: str, tmp_path: Path) -> None:
    folder = _copy(JOBS, tmp_path)
    (folder / "employee.json").write_bytes(BROKEN_PROFILES[kind])
    _refused(folder, "employee.json")


# -- item 7: a profile of 60,000 hyper-rectangles ------------------------------------------------


def _nonlinear_folder(tmp_path: Path, rectangles: int) -> Path:
    folder = tmp_path / "big"
    folder.mkdir()
    issues = "".join(
        f'<issue index="{i}" name="i{i}" type="integer" lowerbound="0" upperbound="9"/>' for i in range(1, 6)
    )
    (folder / "domain.xml").write_text(
        f'<negotiation_template><utility_space><objective index="0" name="r">{issues}'
        "</objective></utility_space></negotiation_template>"
    )
    rects = "".join(
        f'<hyperRectangle utility="1"><INCLUDES index="{1 + n % 5}" min="{n % 10}" max="{n % 10}"/>'
        "</hyperRectangle>"
        for n in range(rectangles)
    )
    for party in ("p1", "p2"):
        (folder / f"{party}.xml").write_text(
            f'<utility_space type="nonlinear"><objective index="0" name="r">{issues}'
            f'<utility maxutility="{rectangles}"><ufun type="PlainUfun" weight="1" aggregation="sum">'
            f"{rects}</ufun></utility></objective></utility_space>"
        )
    return folder


def test_sixty_thousand_hyper_rectangles_are_refused_before_parsing(tmp_path: Path) -> None:
    _refused(_nonlinear_folder(tmp_path, 60_000), "p1.xml", "60,000 hyper-rectangles", "10,000")


def test_a_cap_check_out_of_budget_says_so_instead_of_claiming_a_package() -> None:
    import itertools

    from accord.io.genius_xml._boxes import max_box_sum

    bounds = {f"k{i}": (0, 4) for i in range(4)}
    pieces = [(1.0 + n % 3, {f"k{n % 4}": (n % 5, n % 5), f"k{(n + 1) % 4}": (0, n % 4)}) for n in range(60)]
    brute = max(
        sum(v for v, box in pieces if all(lo <= x[int(k[1])] <= hi for k, (lo, hi) in box.items()))
        for x in itertools.product(range(5), repeat=4)
    )
    tight = max_box_sum(pieces, bounds, work=50, nodes=3)
    assert not tight.exact and tight.value <= brute <= tight.bound
    full = max_box_sum(pieces, bounds)
    assert full.exact and full.value == brute


def test_a_hyper_rectangle_with_min_above_max_is_refused(tmp_path: Path) -> None:
    folder = _copy(DATA / "genius" / "Rectangles", tmp_path)
    profile = folder / "rect_two.xml"
    profile.write_text(
        profile.read_text().replace(
            '<INCLUDES index="1" min="2" max="3"/>', '<INCLUDES index="1" min="9" max="7"/>'
        )
    )
    _refused(folder, "rect_two.xml", "min (9) is above max (7)")


# -- items 12 and 18: numbers too large, duplicate keys, strings for numbers ----------------------


def _edit_profile(folder: Path, name: str, change: str, into: str) -> None:
    path = folder / name
    text = path.read_text()
    assert change in text
    path.write_text(text.replace(change, into, 1))


def test_a_geniusweb_weight_of_4000_digits_is_a_clear_error(tmp_path: Path) -> None:
    folder = _copy(JOBS, tmp_path)
    _edit_profile(folder, "employee.json", '"salary": 0.5', '"salary": ' + "9" * 4000)
    output = _refused(folder, "employee.json", "4,000 digits", "issueWeights")
    assert "OverflowError" not in output


def test_duplicate_json_keys_are_refused(tmp_path: Path) -> None:
    folder = _copy(JOBS, tmp_path)
    _edit_profile(folder, "employee.json", '"salary": 0.5,', '"salary": 0.5, "salary": 0.2,')
    _refused(folder, "employee.json", "twice")


def test_a_string_where_a_number_belongs_is_refused(tmp_path: Path) -> None:
    folder = _copy(JOBS, tmp_path)
    _edit_profile(folder, "employee.json", '"salary": 0.5', '"salary": "0.5"')
    _refused(folder, "employee.json", "must be a number")
    folder = _copy(JOBS, tmp_path / "2")
    _edit_profile(folder, "jobs.json", '"low": 1000', '"low": "1000"')
    _refused(folder, "jobs.json", "must be a number")


# -- item 20: an unreadable folder -----------------------------------------------------------------


def test_an_unreadable_folder_is_reported_as_unreadable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _copy(WORKSHOP, tmp_path)
    real = Path.iterdir

    def refuse(self: Path):  # type: ignore[no-untyped-def]
        if self == folder:
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "iterdir", refuse)  # chmod 000 does not stop root
    with pytest.raises(ImportFormatError, match=r"cannot be read.*Permission denied"):
        read(folder)
    output = _refused(folder, str(folder), "cannot be read")
    assert "neither" not in output


@pytest.mark.parametrize(
    ("file", "old", "message"),
    [
        ("workshop_domain.xml", 'upperbound="5"', "32-bit integers"),
        ("workshop_a.xml", '<weight index="2" value="0.25"/>', "not a finite number"),
    ],
    ids=["integer bound", "weight"],
)
def test_a_genius_number_of_4000_digits_is_a_clear_error(
    file: str, old: str, message: str, tmp_path: Path
) -> None:
    folder = _copy(WORKSHOP, tmp_path)
    big = "9" * 4000
    new = old.replace('"5"', f'"{big}"').replace('"0.25"', f'"{big}"')
    _edit_profile(folder, file, old, new)
    _refused(folder, file, message)
