"""Where NegMAS 0.16's Nash point differs from the textbook one: statistics and minimal cases.

Run ``.venv/bin/python benchmarks/negmas_bargaining_cases.py`` (needs the ``bench`` extra);
``--n`` sets how many random scenarios per population (default 1000), ``--json PATH`` saves the
numbers. docs/negmas-differences.md explains the output.

The **textbook Nash point** (Nash 1950, with the disagreement point at the declared reservation
values ``r``): among the packages every party accepts (``u_i >= r_i``), those maximising
``prod_i (u_i - r_i)``; every package attaining the maximum within one float64 tolerance
(``1e-9``, relative to the maximum when it exceeds 1) is kept. It is computed here directly from
the utility matrix, which is bit-for-bit the utilities NegMAS computes (checked below), so any
difference comes from NegMAS's choices, not from rounding.

**NegMAS, as a user calls it**: ufuns with ``reserved_value`` set to ``r``, then
``frontier, _ = pareto_frontier(ufuns, issues=...)`` and
``nash_points(ufuns, frontier, outcome_space=...)``: what ``SAOMechanism.nash_points`` does.

Populations (each seeded, scenario ``k`` uses seed ``base + k``):

* ``random``: bilateral, 2-5 issues of 2-8 options each, weights and option values uniform
  (option values divided by the issue's largest), reservation values uniform in [0, 0.6).
* ``random-r0``: the same scenarios (same seeds) with every reservation value 0, the value
  most ANAC files declare.
* ``genius-like``: the same shapes, but option values are integers 0-10 and weights are
  multiples of 0.01 (as in the ANAC files), so equal utilities, hence ties, occur.
* ``three-party``: like ``random`` with three parties, for the negative-gains check.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

TOL = 1e-9
GENIUS = Path(
    os.environ.get(
        "ACCORD_GENIUS_DATA", Path(__file__).resolve().parents[1].parent / "shared" / "data" / "genius"
    )
)


# -- scenarios as plain arrays ------------------------------------------------------------------
@dataclass(frozen=True)
class Additive:
    """An additive scenario: ``weights[p][i]``, ``values[p][i][option]``, ``reservations[p]``.

    Numbers are used as given (already normalised); option ``k`` of issue ``i`` is ``"o{k+1}"``.
    """

    weights: tuple[tuple[float, ...], ...]
    values: tuple[tuple[tuple[float, ...], ...], ...]
    reservations: tuple[float, ...]

    @property
    def sizes(self) -> tuple[int, ...]:
        return tuple(len(v) for v in self.values[0])

    def matrix(self) -> np.ndarray:
        """``(n_packages, n_parties)`` utilities in ``itertools.product`` order, summed as NegMAS
        does (``0.0 + w_1 v_1 + w_2 v_2 + ...``), so they equal NegMAS's bit for bit."""
        out = np.zeros((int(np.prod(self.sizes)), len(self.weights)))
        for p, (w, vals) in enumerate(zip(self.weights, self.values, strict=True)):
            total = np.zeros(self.sizes)
            for i, v in enumerate(vals):
                shape = [1] * len(self.sizes)
                shape[i] = len(v)
                total = total + (w[i] * np.asarray(v)).reshape(shape)
            out[:, p] = total.reshape(-1)
        return out

    def negmas(self, *, reserved: bool = True) -> tuple[Any, list[Any]]:
        """The outcome space and ufuns in NegMAS, reservation values set on the ufuns."""
        from negmas.outcomes import make_issue, make_os
        from negmas.preferences import LinearAdditiveUtilityFunction
        from negmas.preferences.value_fun import TableFun

        issues = [
            make_issue([f"o{k + 1}" for k in range(n)], name=f"i{i + 1}") for i, n in enumerate(self.sizes)
        ]
        space = make_os(issues, name="case")
        ufuns = []
        for p, (w, vals) in enumerate(zip(self.weights, self.values, strict=True)):
            tables = [TableFun({f"o{k + 1}": float(x) for k, x in enumerate(v)}) for v in vals]
            kwargs = {"reserved_value": self.reservations[p]} if reserved else {}
            ufuns.append(
                LinearAdditiveUtilityFunction(
                    values=tables,
                    weights=list(w),
                    outcome_space=space,
                    name=f"p{p + 1}",
                    **kwargs,
                )
            )
        return space, ufuns

    def package(self, index: int) -> tuple[str, ...]:
        return tuple(f"o{k + 1}" for k in np.unravel_index(index, self.sizes))


def random_additive(
    seed: int, n_parties: int = 2, genius_like: bool = False, zero_reservations: bool = False
) -> Additive:
    rng = np.random.default_rng(seed)
    sizes = [int(s) for s in rng.integers(2, 9, size=int(rng.integers(2, 6)))]
    weights, values = [], []
    for _ in range(n_parties):
        if genius_like:
            w = rng.integers(1, 101, len(sizes)).astype(float)
            w = np.round(w / w.sum(), 2)
            w[-1] = round(1.0 - float(w[:-1].sum()), 2)
            if w[-1] <= 0:  # rounding left nothing for the last issue: take it from the largest
                w[int(np.argmax(w))] -= 0.01 - w[-1]
                w[-1] = 0.01
            vals = []
            for n in sizes:
                v = rng.integers(0, 11, n).astype(float)
                v[int(rng.integers(n))] = 10.0  # the best option scores 10, as in Genius files
                vals.append(tuple(float(x) / 10.0 for x in v))
        else:
            w = rng.uniform(0, 1, len(sizes))
            w = w / w.sum()
            vals = []
            for n in sizes:
                v = rng.uniform(0, 1, n)
                vals.append(tuple(float(x) for x in v / v.max()))
        weights.append(tuple(float(x) for x in w))
        values.append(tuple(vals))
    reservations = tuple(float(rng.uniform(0, 0.6)) for _ in range(n_parties))
    if zero_reservations:
        reservations = (0.0,) * n_parties
    return Additive(tuple(weights), tuple(values), reservations)


# -- the two answers ------------------------------------------------------------------------------
def _argmax_all(objective: np.ndarray) -> np.ndarray:
    best = objective.max()
    return np.flatnonzero(objective >= best - TOL * max(1.0, abs(best)))


def textbook_nash(u: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Indices of the Nash packages: acceptable, maximal product of gains over ``d``, ties kept."""
    ok = np.flatnonzero(np.all(u >= d - TOL, axis=1))
    if len(ok) == 0:
        return ok
    gains = np.clip(u[ok] - d, 0.0, None)
    return ok[_argmax_all(np.prod(gains, axis=1))]


def negmas_nash(
    scenario: Additive, frontier_from: str = "pareto_frontier"
) -> tuple[list[tuple[float, ...]], list[tuple[str, ...]], list[float]]:
    """NegMAS's Nash utilities and packages, and the disagreement point it used.

    ``frontier_from``: ``"pareto_frontier"`` (NegMAS's ufun-level function, the default path),
    ``"pareto_frontier_numpy"`` (its array-level function, over every package's utilities) or
    ``"mobanos"`` (its exact bilateral sampler).
    """
    from negmas.preferences import nash_points, pareto_frontier
    from negmas.preferences.ops import pareto_frontier_numpy

    space, ufuns = scenario.negmas()
    if frontier_from == "pareto_frontier":
        frontier, indices = pareto_frontier(ufuns, issues=space.issues)
        outcomes = list(space.enumerate())
        packages = [outcomes[i] for i in indices]
    elif frontier_from == "pareto_frontier_numpy":
        outcomes = list(space.enumerate())
        points = np.array([[float(f(o)) for f in ufuns] for o in outcomes])
        indices = pareto_frontier_numpy(points)
        frontier = [tuple(points[i]) for i in indices]
        packages = [outcomes[i] for i in indices]
    else:
        from negmas.preferences import MOBANOSParetoSampler

        sampler = MOBANOSParetoSampler()
        sampler.init(ufuns[0], ufuns[1])
        packages = sampler.pareto_outcomes()
        frontier = [tuple(float(f(o)) for f in ufuns) for o in packages]
    result = nash_points(ufuns, frontier, outcome_space=space)
    worst = [f.minmax(space, above_reserve=False)[0] for f in ufuns]
    d = [r if r >= lo else lo for r, lo in zip(scenario.reservations, worst, strict=True)]
    return (
        [tuple(float(x) for x in p) for p, _ in result],
        [tuple(packages[i]) for _, i in result],
        [float(x) for x in d],
    )


def _same_set(a: np.ndarray, b: np.ndarray) -> bool:
    """Same set of utility vectors, each within TOL of one in the other."""
    if len(a) == 0 or len(b) == 0:
        return len(a) == len(b)
    dist = np.abs(a[:, None, :] - b[None, :, :]).max(axis=2)
    return bool(dist.min(axis=1).max() <= TOL and dist.min(axis=0).max() <= TOL)


# -- statistics ------------------------------------------------------------------------------------
def survey(population: str, n: int, base_seed: int) -> dict[str, Any]:
    """Compare NegMAS's Nash point with the textbook one over ``n`` seeded random scenarios."""
    counts = {
        "scenarios": n,
        "nash_utilities_differ": 0,
        "reservation_below_worst_utility": 0,
        "differ_and_explained_by_disagreement_point": 0,
        "no_acceptable_package": 0,
        "textbook_nash_has_ties": 0,
        "negmas_returns_fewer_nash_packages": 0,
        "max_abs_utility_difference_vs_negmas": 0.0,
    }
    examples: list[int] = []
    for k in range(n):
        seed = base_seed + k
        s = random_additive(
            seed,
            genius_like=population == "genius-like",
            zero_reservations=population == "random-r0",
        )
        u = s.matrix()
        if k < 20:  # the matrix is NegMAS's own utilities, bit for bit
            _, ufuns = s.negmas()
            for index in range(0, len(u), max(1, len(u) // 7)):
                theirs = [float(f(s.package(index))) for f in ufuns]
                diff = float(np.abs(np.asarray(theirs) - u[index]).max())
                counts["max_abs_utility_difference_vs_negmas"] = max(
                    counts["max_abs_utility_difference_vs_negmas"], diff
                )
        r = np.asarray(s.reservations)
        ours = textbook_nash(u, r)
        their_utils, their_packages, d = negmas_nash(s)
        if not np.all(u >= r - TOL, axis=1).any():
            counts["no_acceptable_package"] += 1
        d_differs = bool(np.any(np.abs(np.asarray(d) - r) > 0))
        counts["reservation_below_worst_utility"] += d_differs
        ours_utils = np.unique(u[ours], axis=0) if len(ours) else np.zeros((0, 2))
        theirs = np.asarray(their_utils).reshape(-1, 2)
        if not _same_set(ours_utils, theirs):
            counts["nash_utilities_differ"] += 1
            if len(examples) < 5:
                examples.append(seed)
            alt = textbook_nash(u, np.asarray(d))
            if d_differs and _same_set(np.unique(u[alt], axis=0), theirs):
                counts["differ_and_explained_by_disagreement_point"] += 1
        if len(ours) > 1:
            counts["textbook_nash_has_ties"] += 1
            if len(their_packages) < len(ours) and _same_set(ours_utils, theirs):
                counts["negmas_returns_fewer_nash_packages"] += 1
    return {"population": population, "base_seed": base_seed, **counts, "example_seeds": examples}


def survey_negative_gains(n: int, base_seed: int) -> dict[str, Any]:
    """How often ``nash_points`` returns a package some party rejects, by frontier source."""
    out: dict[str, Any] = {"population": "three-party", "scenarios": n, "base_seed": base_seed}
    for source in ("pareto_frontier", "pareto_frontier_numpy"):
        bad = 0
        for k in range(n):
            s = random_additive(base_seed + k, n_parties=3)
            utils, _, _ = negmas_nash(s, frontier_from=source)
            r = np.asarray(s.reservations)
            if any(np.any(np.asarray(p) < r - TOL) for p in utils):
                bad += 1
        out[f"nash_rejected_by_a_party[{source}]"] = bad
    return out


# -- minimal cases ---------------------------------------------------------------------------------
def _one_issue(u1: tuple[float, ...], u2: tuple[float, ...], r: tuple[float, float]) -> Additive:
    return Additive(((1.0,), (1.0,)), ((u1,), (u2,)), r)


def _show(title: str, s: Additive, frontier_from: str = "pareto_frontier") -> dict[str, Any]:
    u = s.matrix()
    r = np.asarray(s.reservations)
    ours = textbook_nash(u, r)
    their_utils, their_packages, d = negmas_nash(s, frontier_from)
    case = {
        "case": title,
        "reservation_values": list(s.reservations),
        "negmas_disagreement_point": d,
        "negmas_nash": [
            {"package": list(p), "utilities": list(x)}
            for p, x in zip(their_packages, their_utils, strict=True)
        ],
        "textbook_nash": [
            {"package": list(s.package(int(i))), "utilities": [float(x) for x in u[i]]} for i in ours
        ],
        "frontier_from": frontier_from,
    }
    return case


def minimal_cases() -> list[dict[str, Any]]:
    cases = []
    # 1. The disagreement point: declared reservation values 0, 0; NegMAS uses the worst
    #    utilities (0.2, 0.4) instead, because they lie above the reservation values.
    cases.append(
        _show(
            "disagreement point = worst utility, not the reservation value",
            _one_issue((0.2, 0.3, 1.0), (0.5, 1.0, 0.4), (0.0, 0.0)),
        )
    )
    # 2. Negative gains. nash_points multiplies u_i - r_i over whatever frontier it is given and
    #    never checks acceptance. NegMAS's pareto_frontier(ufuns) drops unacceptable packages
    #    first; its array-level pareto_frontier_numpy and MOBANOS do not.
    #    (a) three parties: o1 gives gains (-0.4, -0.4, +0.5), product +0.08 > 0.001 of o2
    #    (o3, worth 0 to all, makes every worst utility 0, below the reservation values).
    three = Additive(
        ((1.0,), (1.0,), (1.0,)),
        (((0.1, 0.6, 0.0),), ((0.1, 0.6, 0.0),), ((1.0, 0.6, 0.0),)),
        (0.5, 0.5, 0.5),
    )
    cases.append(_show("Nash point with two negative gains (three parties)", three, "pareto_frontier_numpy"))
    #    (b) two parties and no package both accept: there is no Nash point, NegMAS gives one.
    none = _one_issue((0.2, 0.9, 0.3), (0.9, 0.2, 0.3), (0.5, 0.5))
    cases.append(_show("Nash point when no package is acceptable (MOBANOS frontier)", none, "mobanos"))
    # 3. Ties. o2 and o3 give both parties the same utilities, so both are Nash packages
    #    (worst utilities 0 = reservation values, so the disagreement point plays no part).
    cases.append(
        _show(
            "tied Nash packages: NegMAS keeps one",
            _one_issue((1.0, 0.6, 0.6, 0.0), (0.0, 0.7, 0.7, 1.0), (0.0, 0.0)),
        )
    )
    #    Near-tie from rounding (utilities as given, weights 1 and 1): p1 scores (o1, o1) as
    #    0.1 + 0.2 = 0.30000000000000004 and (o3, o2) as 0.3 + 0.0 = 0.3; p2 scores both 0.5.
    #    Equal in exact arithmetic; NegMAS compares floats exactly, so (o1, o1) "dominates"
    #    (o3, o2) by 5.6e-17 and (o3, o2) is dropped from the frontier and from the Nash set.
    near = Additive(
        ((1.0, 1.0), (1.0, 1.0)),
        (((0.1, 0.0, 0.3), (0.2, 0.0)), ((0.5, 0.0, 0.0), (0.0, 0.5))),
        (0.0, 0.0),
    )
    cases.append(_show("near-tie from float rounding: NegMAS keeps one", near))
    return cases


def energy_case() -> dict[str, Any] | None:
    """ANAC 2011 Energy: declared reservation values 0 and 0; what NegMAS and the textbook say."""
    folder = GENIUS / "Energy"
    if not folder.is_dir():
        return None
    from negmas.inout import Scenario
    from negmas.preferences import nash_points, pareto_frontier

    from analysis_vs_negmas import _genius_normalised

    scenario = _genius_normalised(Scenario.from_genius_folder(folder))
    ufuns, space = scenario.ufuns, scenario.outcome_space
    frontier, _ = pareto_frontier(ufuns, issues=space.issues)
    theirs = nash_points(ufuns, frontier, outcome_space=space)
    f = np.asarray(frontier)
    r = np.asarray([u.reserved_value for u in ufuns])
    ours = f[textbook_nash(f, r)]
    # Frontier packages another frontier package dominates once a 1e-9 rounding tolerance is
    # allowed: NegMAS compares floats exactly, so 0.66 "beats" 0.6599999999999999.
    dominated = [
        i for i, p in enumerate(f) if np.any(np.all(f >= p - TOL, axis=1) & np.any(f > p + TOL, axis=1))
    ]
    return {
        "case": "ANAC 2011 Energy (evaluations divided by each issue's largest, as in Genius)",
        "negmas_frontier_size": len(f),
        "negmas_frontier_dominated_up_to_rounding": [f[i].tolist() for i in dominated],
        "parties": [u.name for u in ufuns],
        "reservation_values": r.tolist(),
        "worst_utilities": [u.minmax(space, above_reserve=False)[0] for u in ufuns],
        "negmas_nash_utilities": [list(map(float, p)) for p, _ in theirs],
        "textbook_nash_utilities": ours.tolist(),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="scenarios per population")
    parser.add_argument("--seed", type=int, default=0, help="seed of the first scenario")
    parser.add_argument("--json", type=Path, help="save the numbers to this file")
    parser.add_argument("--cases-only", action="store_true", help="skip the surveys")
    args = parser.parse_args(argv)
    report: dict[str, Any] = {"surveys": [], "cases": minimal_cases()}
    energy = energy_case()
    if energy:
        report["cases"].append(energy)
    if not args.cases_only:
        for population in ("random", "random-r0", "genius-like"):
            report["surveys"].append(survey(population, args.n, args.seed))
        report["surveys"].append(survey_negative_gains(args.n, args.seed))
    for block in report["surveys"]:
        print(
            f"\n== population {block['population']} ({block['scenarios']} scenarios, "
            f"seeds {block['base_seed']}..{block['base_seed'] + block['scenarios'] - 1})"
        )
        for key, value in block.items():
            if key not in {"population", "scenarios", "base_seed"}:
                print(f"  {key}: {value}")
    for case in report["cases"]:
        print(f"\n== case: {case['case']}")
        for key, value in case.items():
            if key != "case":
                print(f"  {key}: {value}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
