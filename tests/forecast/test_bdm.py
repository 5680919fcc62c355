"""The expected-utility forecast: a hand-checked round, the EC reference case against a public
replication's log, and the invariances (relabelling, one actor, all agreeing)."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import AnalysisError, ImportFormatError
from accord.forecast import (
    Actor,
    BdmConfig,
    bdm_path,
    forecast,
    median_position,
    parse_actors,
    read_actors,
    weighted_mean,
)
from accord.forecast.bdm import _challenges, _probabilities, risk_exponents

CONFIGS = [
    BdmConfig(),
    BdmConfig(probability="dyad"),
    BdmConfig(compromise="nearest"),
]

# The weighted mean after each round of the EC car-emission case as logged by the public
# replication of Scholz, Calbert and Smith's program (github.com/jmckib/bdm-scholz-expected-
# utility-model, run in github.com/dmasad/bdm-scholz-expected-utility-model, Example.log).
# Full precision, unlike the paper's Table 2 (one decimal; see TABLE2 below and docs/forecast.md).
REPLICATION_MEAN = [
    7.389955686853767,
    7.461314378277189,
    7.552500865855845,
    7.590144997451547,
    7.358130531334201,
    7.3491739896752115,
    7.414877545372958,
    7.510457183677219,
    7.5724470975503,
    7.324989065683666,
    7.242130958473938,
]
# (Belgium, Luxembourg, Ireland) after each round, from the same log; the others never move.
REPLICATION_MOVERS = [
    (7.0, 4.0, 7.0),
    (8.415932315426764, 7.0, 4.0),
    (9.610859134120188, 8.415932315426764, 7.0),
    (9.961979590401311, 9.610859134120188, 8.415932315426764),
    (4.800881140632622, 9.961979590401311, 9.610859134120188),
    (5.524237694197356, 4.800881140632622, 9.961979590401311),
    (7.47204636191629, 5.524237694197356, 5.524237694197356),
    (8.824593855262423, 7.47204636191629, 7.47204636191629),
    (9.671129769802048, 8.824593855262423, 8.824593855262423),
    (4.144849062500606, 9.671129769802048, 9.671129769802048),
    (4.291541224979646, 4.144849062500606, 4.144849062500606),
]


# Scholz, Calbert and Smith's Table 2 (rounds 1-8, one decimal), as transcribed in the public
# extract github.com/hamzagul07/schelling, docs/papers/scholz_extract.md.
TABLE2_MEDIAN = [8.4, 9.9, 9.9, 9.9, 9.9, 7.4, 8.8, 9.6]
TABLE2_MEAN = [7.4, 7.5, 7.6, 7.3, 7.3, 7.4, 7.5, 7.6]


def test_ec_reference_case_against_table_2() -> None:
    rounds = forecast(read_actors("ec-car-emissions"), rounds=8).rounds[1:]
    for r, median, mean in zip(rounds, TABLE2_MEDIAN, TABLE2_MEAN, strict=True):
        assert abs(r.mean - mean) < 0.07
        if r.round == 2:
            # The one disagreement (docs/forecast.md): Belgium, the pivot, is at 9.6109 after
            # round 2 here and in the public replication; the table prints 9.9.
            assert r.median == pytest.approx(9.610859134120188, abs=1e-12)
        else:
            # The table truncates to one decimal.
            assert median <= r.median < median + 0.1


def test_ec_reference_case_matches_the_replication_round_by_round() -> None:
    result = forecast(read_actors("ec-car-emissions"), rounds=10)
    assert [r.mean for r in result.rounds] == pytest.approx(REPLICATION_MEAN, abs=1e-12)
    for r, movers in zip(result.rounds, REPLICATION_MOVERS, strict=True):
        got = (r.positions["Belgium"], r.positions["Luxembourg"], r.positions["Ireland"])
        assert got == pytest.approx(movers, abs=1e-12)
        for still, x in (("Netherlands", 4), ("Germany", 4), ("France", 10), ("UK", 10), ("Greece", 7)):
            assert r.positions[still] == x


def test_ec_round_one_expected_utilities_match_the_replication() -> None:
    actors = read_actors("ec-car-emissions")
    names = [a.name for a in actors]
    x = np.array([a.position for a in actors])
    c = np.array([a.capability for a in actors])
    s = np.array([a.salience for a in actors])
    config = BdmConfig()
    r = risk_exponents(x, c, s, 6.0, config)
    own, other = _challenges(x, c, s, r, 6.0, config)
    for i, j, eu_ij, eu_ji in (
        ("Belgium", "France", -0.11483050347300794, 0.2432965945234421),
        ("Luxembourg", "Belgium", 0.24550922248250817, 0.542246100211495),
        ("Ireland", "Luxembourg", 0.5382377664333493, 0.6824778252511178),
    ):
        a, b = names.index(i), names.index(j)
        assert (own[a, b], other[a, b]) == pytest.approx((eu_ij, eu_ji), abs=1e-12)


def test_ec_round_zero_by_hand() -> None:
    # Weights c*s: 0.248 at 4 (NL, LU, DE, DK), 0.093 at 7 (BE, IE, GR), 0.336 at 10; total 0.677.
    # Half is 0.3385; the cumulative weight passes it at 7, so the median is 7.
    r0 = forecast(read_actors("ec-car-emissions"), rounds=0).rounds[0]
    assert r0.median == 7
    assert r0.mean == pytest.approx((0.248 * 4 + 0.093 * 7 + 0.336 * 10) / 0.677, abs=1e-12)


def test_two_actor_round_by_hand() -> None:
    # A at 0 (c=1, s=1) and B at 1 (c=1, s=0). Only A votes: P(A over B) = 1/2 (all-pairs
    # denominator 2), P(B over A) = 0. Securities at r=1: Sec_A = EU(B->A) = -2,
    # Sec_B = EU(A->B) = 2, so R_A = -1, r_A = 2 and R_B = 1, r_B = 1/2.
    # From B (r = 1/2): U^sq = 2 - 2 sqrt 2, EU(B->A) = -2 - U^sq = 2 sqrt 2 - 4 < 0 and
    # EU(A->B) = 2 - U^sq = 2 sqrt 2 > |EU(B->A)|: a compromise, B concedes sqrt 2 - 1 of the way.
    # From A (r = 2): EU(B->A) = U^f - U^sq = -2 - 1 < 0: no offer, A stays.
    x, c, s = np.array([0.0, 1.0]), np.array([1.0, 1.0]), np.array([1.0, 0.0])
    assert risk_exponents(x, c, s, 1.0, BdmConfig()) == pytest.approx([2.0, 0.5])
    path = bdm_path(x, c, s, 1)
    assert path[1] == pytest.approx([0.0, 2 - math.sqrt(2)], abs=1e-12)


def test_symmetric_pair_stands_still() -> None:
    # Every EU is s (P 2 + (1-P)(-2)) = -1 (P = 1/4): nobody has a reason to challenge.
    path = bdm_path(np.array([0.0, 1.0]), np.ones(2), np.ones(2), 5)
    assert (path == [0.0, 1.0]).all()


def test_weighted_median_takes_the_lowest_of_a_tie() -> None:
    x = np.array([10.0, 0.0, 5.0, 5.0])
    assert median_position(x, np.ones(4), np.ones(4)) == 5.0
    assert median_position(np.array([3.0, 1.0]), np.ones(2), np.ones(2)) == 1.0
    assert weighted_mean(np.array([0.0, 10.0]), np.array([1.0, 3.0]), np.ones(2)) == 7.5


actor_sets = st.lists(
    st.tuples(
        st.integers(0, 10).map(float),
        st.integers(0, 20).map(lambda k: k / 20),
        st.integers(0, 10).map(lambda k: k / 10),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(actor_sets, st.randoms(use_true_random=False), st.sampled_from(CONFIGS))
def test_relabelling_actors_changes_nothing(rows: list[tuple[float, float, float]], rnd, config) -> None:  # type: ignore[no-untyped-def]
    x, c, s = (np.array(col) for col in zip(*rows, strict=True))
    perm = list(range(len(rows)))
    rnd.shuffle(perm)
    path = bdm_path(x, c, s, 6, config)
    permuted = bdm_path(x[perm], c[perm], s[perm], 6, config)
    assert (permuted == path[:, perm]).all()
    for row, prow in zip(path, permuted, strict=True):
        assert median_position(prow, c[perm], s[perm]) == median_position(row, c, s)
        assert weighted_mean(prow, c[perm], s[perm]) == weighted_mean(row, c, s)


@settings(max_examples=60, deadline=None)
@given(actor_sets, st.sampled_from(CONFIGS))
def test_positions_stay_between_the_extremes(
    rows: list[tuple[float, float, float]], config: BdmConfig
) -> None:
    x, c, s = (np.array(col) for col in zip(*rows, strict=True))
    path = bdm_path(x, c, s, 6, config)
    assert (path >= x.min()).all() and (path <= x.max()).all()


@given(st.integers(0, 10).map(float), st.floats(0, 1), st.floats(0, 1), st.integers(0, 8))
def test_one_actor_does_not_move(x: float, c: float, s: float, rounds: int) -> None:
    result = forecast([Actor("only", c, x, s)], rounds=rounds)
    assert len(result.rounds) == rounds + 1
    assert all(r.positions == {"only": x} and r.median == x for r in result.rounds)


@given(
    st.integers(-5, 5).map(float),
    st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)), min_size=2, max_size=6),
)
def test_all_agreeing_actors_do_not_move(x: float, cs: list[tuple[float, float]]) -> None:
    actors = [Actor(f"a{n}", c, x, s) for n, (c, s) in enumerate(cs)]
    result = forecast(actors, rounds=4)
    assert all(set(r.positions.values()) == {x} and r.median == x for r in result.rounds)


@settings(max_examples=40, deadline=None)
@given(actor_sets.filter(lambda rows: len({r[0] for r in rows}) > 1))
def test_dyad_probabilities_are_complementary(rows: list[tuple[float, float, float]]) -> None:
    x, c, s = (np.array(col) for col in zip(*rows, strict=True))
    if (c * s).sum() == 0:
        return
    p = _probabilities(x, c, s, np.ones(len(x)), float(np.ptp(x)), "dyad")
    differ = x[:, None] != x[None, :]
    total = (p + p.T)[differ]
    # A dyad no voter with weight separates has no votes at all: both probabilities are 0.
    assert np.all(np.isclose(total, 1.0) | np.isclose(total, 0.0))


def test_bad_input_is_refused_with_the_place() -> None:
    with pytest.raises(ImportFormatError, match=r"f.csv:3: Salience 2 is outside \[0, 1\]"):
        parse_actors("Actor,Capability,Position,Salience\na,1,0,0.5\nb,1,1,2\n", file="f.csv")
    with pytest.raises(ImportFormatError, match=re.escape("f.csv:1: the header")):
        parse_actors("Name,C,P,S\n", file="f.csv")
    with pytest.raises(ImportFormatError, match="appears twice"):
        parse_actors("Actor,Capability,Position,Salience\na,1,0,0.5\na,1,1,0.5\n", file="f.csv")
    with pytest.raises(AnalysisError, match="only Q = 1"):
        BdmConfig(q=0.5)


def test_offer_precedence_conflict_then_compromise_then_capitulation() -> None:
    config = BdmConfig()
    # Actor 3 (at 3) is offered a compromise by actor 0 and capitulations by actors 1 and 2:
    # it takes the compromise, conceding |EU_30| / EU_03 of the way to 7.
    x, c, s = np.array([7.0, 5.0, 2.0, 3.0]), np.array([0, 0.05, 0, 0.15]), np.array([0.8, 0.7, 1, 0.5])
    own, other = _challenges(x, c, s, risk_exponents(x, c, s, 5.0, config), 5.0, config)
    assert other[3, 0] > 0 > own[3, 0] and other[3, 0] > -own[3, 0]  # compromise
    for j in (1, 2):
        assert other[3, j] > 0 > own[3, j] and other[3, j] < -own[3, j]  # capitulation
    assert bdm_path(x, c, s, 1, config)[1, 3] == pytest.approx(3 + 4 * -own[3, 0] / other[3, 0])
    # Without actor 0, actor 2 (at 3) faces a conflict with actor 0 (at 5) and a capitulation
    # to actor 1 (at 2): the conflict wins and it moves to 5.
    x, c, s = x[1:], c[1:], s[1:]
    own, other = _challenges(x, c, s, risk_exponents(x, c, s, 3.0, config), 3.0, config)
    assert other[2, 0] > own[2, 0] > 0
    assert other[2, 1] > 0 > own[2, 1] and other[2, 1] < -own[2, 1]
    assert bdm_path(x, c, s, 1, config)[1, 2] == 5.0


def test_too_many_actors_are_refused_before_any_work() -> None:
    rows = "".join(f"a{k},1,{k % 7},0.5\n" for k in range(201))
    with pytest.raises(ImportFormatError, match="201 actors"):
        parse_actors("Actor,Capability,Position,Salience\n" + rows, file="f.csv")
    with pytest.raises(AnalysisError, match="at most 200"):
        bdm_path(np.arange(201.0), np.ones(201), np.ones(201), 1)
