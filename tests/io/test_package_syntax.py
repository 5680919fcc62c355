"""Naming a package whose ids hold ',' or '=' on the command line: --package JSON and --set."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from accord.cli.app import app

from ..corpus import DATA

runner = CliRunner()
WORKSHOP = str(DATA / "genius" / "Workshop")
PACKAGE = {" Accessory": "Strap", "Share, in %": "33%,33%,33%", "Guns": 3, "Speed = km/h": 50}


def _explain(*args: str) -> dict[str, object]:
    result = runner.invoke(app, ["explain", WORKSHOP, *args, "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.output)
    return data


def test_a_json_package_names_ids_with_commas_spaces_and_percent() -> None:
    data = _explain("--package", json.dumps(PACKAGE))
    assert data["package"] == {**PACKAGE, "Speed = km/h": 50.0}
    # workshop_a, by hand: (0.5 * 2/4 + 0.25 * 1 + 0.25 * 0.6 + 0.25 * 0.5) / 1.25 = 0.62
    parties = {p["party"]: p for p in data["parties"]}  # type: ignore[attr-defined]
    assert parties["workshop_a"]["utility"] == 0.62


def test_set_names_one_issue_at_a_time_even_with_equals_signs() -> None:
    data = _explain(
        "--set", " Accessory=Strap", "--set", "Share, in %=a=b", "--set", "Guns=3", "--set", "Speed = km/h=50"
    )
    assert data["package"] == {" Accessory": "Strap", "Share, in %": "a=b", "Guns": 3, "Speed = km/h": 50.0}


def test_json_and_set_combine_and_text_still_works() -> None:
    partial = {k: v for k, v in PACKAGE.items() if k != "Guns"}
    assert _explain("--package", json.dumps(partial), "--set", "Guns=3")["package"] == {
        **PACKAGE,
        "Speed = km/h": 50.0,
    }
    result = runner.invoke(
        app, ["explain", "car-sale", "-p", "price=18000,warranty=one_year,payment=cash", "--json"]
    )
    assert result.exit_code == 0, result.output


def _refused(*args: str) -> str:
    result = runner.invoke(app, ["explain", WORKSHOP, *args])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return result.output.replace("\n", "")


def test_bad_package_syntax_is_a_clear_error() -> None:
    assert "given twice" in _refused("--package", json.dumps(PACKAGE), "--set", "Guns=4")
    assert "given twice" in _refused("--package", '{"Guns": 3, "Guns": 4}')
    assert "not valid JSON" in _refused("--package", '{"Guns": 3')
    assert "string or a number" in _refused("--package", '{"Guns": [3]}')
    assert "names no issue 'Gun'" in _refused("--set", "Gun=3")
    assert "ISSUE=OPTION" in _refused("--set", "Guns")
    assert "--package" in _refused()
