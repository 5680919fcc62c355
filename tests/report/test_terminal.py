"""What a mediator reads in a terminal of 100 columns: the first screen comes first, names not
ids, two decimals, nothing cut (a cut cell ends in '…'), aligned lists, unbroken help."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from accord.cli import app
from accord.report.brief import number, plural, signed, versus

runner = CliRunner()
WIDE = {"COLUMNS": "100"}


def test_numbers_have_two_decimals_no_negative_zero_and_no_exponent() -> None:
    assert number(0.123456) == "0.12" and number(0.123456, 3) == "0.123"
    assert number(-0.0001) == "0.00" and number(-0.004) == "0.00" and number(-0.006) == "-0.01"
    assert signed(-0.004) == "0.00" and signed(0.2) == "+0.20" and signed(-0.2) == "−0.20"
    assert number(2.556e-05, 2) == "0.00" and "e" not in number(1e-9, 9)
    assert plural(1, "issue") == "1 issue" and plural(2, "issue") == "2 issues"
    assert versus(0.04) == "0.04 above its reservation value"
    assert versus(-0.001) == "less than 0.01 below its reservation value"
    assert versus(0.0) == "exactly at its reservation value"


def test_analyze_shows_the_first_screen_first() -> None:
    out = runner.invoke(app, ["analyze", "three-towns", "--order", "alder, birch, cedar"], env=WIDE)
    assert out.exit_code == 0, out.output
    lines = out.stdout.splitlines()
    keys = ("Agreement is possible", "Package to table:", "Rule:", "Nobody blocks.", "Sequence (Alder, then")
    at = {key: next(n for n, line in enumerate(lines) if line.startswith(key)) for key in keys}
    assert list(at.values()) == sorted(at.values())  # in the order a mediator asks
    detail = next(n for n, line in enumerate(lines) if "detail" in line and "─" in line)
    assert (
        max(at.values()) < detail < next(n for n, line in enumerate(lines) if "Bargaining solutions" in line)
    )
    assert "  3. Cedar joins (1 issue changed): Alder pays 0.20, Birch gains 0.24." in lines
    assert "…" not in out.stdout and "-0.00" not in out.stdout
    # Names only: no party id, and two decimals (0.650, not 0.65, would be three).
    assert not re.search(r"\b(alder|birch|cedar)\b", out.stdout)
    assert "0.65" in out.stdout and "0.650" not in out.stdout
    wider = runner.invoke(app, ["analyze", "three-towns", "--precision", "3"], env=WIDE).stdout
    assert "0.650" in wider


def test_identical_solutions_share_one_column_and_say_so() -> None:
    out = runner.invoke(app, ["analyze", "three-towns"], env=WIDE).stdout
    flat = " ".join(out.replace("│", " ").replace("┃", " ").split())
    # Nash and Kalai-Smorodinsky choose the same package: one row, one column, the rule stated.
    assert "Nash = Kalai–Smorodinsky (to table)" in flat
    assert "solutions that choose the same package share a column" in flat


def test_explain_names_who_rejects_as_its_table_does_and_counts_issues_in_english() -> None:
    package = "price=18000,warranty=one_year,payment=instalments"
    out = runner.invoke(app, ["explain", "car-sale", "-p", package], env=WIDE).stdout
    assert "rejected by Dealer" in out and "│ Dealer │" in out and "seller" not in out
    assert "(1 issue changed)" in out and "−0.40" in out and "-0.40" not in out


def test_robustness_at_100_columns_cuts_nothing_uses_names_and_orders_the_tornado_by_swing() -> None:
    # A terminal of 100 columns (FORCE_COLOR makes Rich treat the output as one; off a terminal
    # nothing is folded at any width): the tables fit, no cell is cut.
    terminal = {**WIDE, "FORCE_COLOR": "1"}
    out = runner.invoke(app, ["robustness", "ceasefire-2025", "-n", "200"], env=terminal)
    assert out.exit_code == 0, out.output
    text = re.sub(r"\x1b\[[0-9;]*m", "", out.stdout)
    assert text != out.stdout  # it was rendered for a terminal
    assert "…" not in text
    assert max(len(line) for line in text.splitlines()) <= 100
    assert "Russia: reservation value" in text and "russia.reservation" not in text
    assert "ordered by swing" in " ".join(text.split())
    tornado = text[text.index("Tornado:") : text.index("Thresholds")]
    swings = [float(x) for x in re.findall(r"█+ (\d+\.\d+)", tornado)]
    assert len(swings) > 3 and swings == sorted(swings, reverse=True)


def test_scenarios_are_aligned_and_help_does_not_break_mid_sentence() -> None:
    out = runner.invoke(app, ["scenarios"], env=WIDE).stdout
    starts = {len(m.group(1)) for m in re.finditer(r"^(\S+\s+)\S", out, re.M)}
    assert len(starts) == 1, out
    for command in app.registered_commands:
        first = (command.help or "").split("\n\n")[0]
        assert "\n" not in first, command.name
    helped = runner.invoke(app, ["robustness", "--help"], env=WIDE).stdout
    assert "a tornado of the inputs" in " ".join(helped.replace("│", " ").split())


def test_a_bad_order_or_pair_is_a_one_line_error(tmp_path: object) -> None:
    out = runner.invoke(app, ["analyze", "three-towns", "--order", "alder, nobody"], env={"COLUMNS": "300"})
    assert out.exit_code == 2 and "--order" in out.output and "nobody" in out.output
    assert len(out.output.strip().splitlines()) == 1 and "Traceback" not in out.output
    page = f"{tmp_path}/r.html"
    bad = runner.invoke(
        app, ["report", "three-towns", "--pairs", "alder,zed", "-o", page], env={"COLUMNS": "300"}
    )
    assert bad.exit_code == 2 and len(bad.output.strip().splitlines()) == 1
    assert "--pairs 'alder,zed': name two different parties of 'three-towns'" in bad.output
