"""Issue 9 item 11: MOPAC with more voters than subsets can be enumerated for."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import AccordError
from accord.simulation.voting import MAX_VOTERS, Vote, largest_group

from .cli import invoke
from .inputs import scenario, write


def test_mopac_on_fifty_parties_runs(tmp_path: Path) -> None:
    path = write(tmp_path / "p50.yaml", scenario(50))
    result = invoke("simulate", str(path), "--protocol", "mopac", "-s", "boulware", "-n", "20", "--json")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output


def _brute_power(powers: list[float], votes: list[Vote], quorum: float) -> float:
    best = 0.0
    for r in range(2, len(votes) + 1):
        for group in itertools.combinations(range(len(votes)), r):
            power = sum(powers[i] for i in group)
            if power >= quorum - 1e-9 and all(votes[i].admits(power) for i in group):
                best = max(best, power)
    return best


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from([0.5, 1.0, 2.0, 3.0]), st.sampled_from([0.0, 1.0, 2.0, 4.0, 7.0, 12.0])),
        min_size=2,
        max_size=9,
    ),
    st.sampled_from([0.0, 2.0, 5.0]),
    st.integers(0, 20),
)
def test_many_uncapped_voters_get_the_largest_coalition(
    voters: list[tuple[float, float]], quorum: float, padding: int
) -> None:
    # The voters of interest, then enough voters of power 0 whose min_power no coalition can
    # reach (they never join) to push the count past MAX_VOTERS, where enumeration stops.
    n_extra = MAX_VOTERS + 1 - len(voters) + padding
    powers = [p for p, _ in voters] + [0.0] * n_extra
    votes = [Vote(m, math.inf) for _, m in voters] + [Vote(1e6, math.inf)] * n_extra
    group = largest_group(list(range(len(powers))), votes, powers, quorum)
    expected = _brute_power([p for p, _ in voters], votes[: len(voters)], quorum)
    power = sum(powers[i] for i in group)
    assert power == pytest.approx(expected)
    if group:
        assert len(group) >= 2 and all(votes[i].admits(power) for i in group)


def test_many_capped_voters_are_a_clear_error() -> None:
    n = MAX_VOTERS + 1
    with pytest.raises(AccordError, match=f"{n} parties vote for one package and some votes cap"):
        largest_group(list(range(n)), [Vote(0, 5)] + [Vote()] * (n - 1), [1.0] * n)
