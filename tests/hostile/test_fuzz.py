"""Hypothesis fuzzing of the argument parsers: reservation overrides, package strings and
strategy specs. Whatever the text, the command answers or refuses with one line naming the
argument: never a traceback."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .cli import invoke

PIECES = [
    "seller", "buyer", "nobody", "price", "warranty", "payment", "18000", "20000", "none", "one_year",
    "cash", "instalments", "boulware", "conceder", "time-based", "random", "e", "k", "=", ",", "(",
    ")", " ", "0.5", "-1", "1e400", "nan", "inf", "1_0", "0x1", "[/]", "[bold]", "\x1b]0;t\x07", "é", "",
]  # fmt: skip
TEXT = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=8).map("".join),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30),
)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _answers_or_names(args: list[str], option: str) -> None:
    result = invoke(*args)
    out = result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in out
    assert "\x1b]" not in out and "\x07" not in out  # the text never reaches the terminal raw
    if result.exit_code != 0:
        assert result.exit_code == 2, out
        errors = [line for line in out.splitlines() if line.startswith(("error:", "Error:"))]
        assert len(errors) == 1, out
        assert option in errors[0], out


@FUZZ
@given(st.lists(TEXT, min_size=1, max_size=3))
def test_reservation_overrides(items: list[str]) -> None:
    args = ["explain", "car-sale", "-p", "price=20000,warranty=none,payment=cash"]
    _answers_or_names(args + [f"--reservation={item}" for item in items], "--reservation")


@FUZZ
@given(TEXT)
def test_package_strings(text: str) -> None:
    _answers_or_names(["explain", "car-sale", f"--package={text}"], "--package")


@FUZZ
@given(TEXT)
def test_strategy_specs(text: str) -> None:
    _answers_or_names(["simulate", "car-sale", "-n", "3", f"--strategies={text}"], "--strategies")
