"""Seeded random additive scenarios, built both as accord objects and as NegMAS objects.

One :class:`RandomSpec` (parties, issue sizes, seed, reservation range) draws, with
``numpy.random.default_rng(seed)``:

* per party, a weight per issue, uniform in [0, 1), divided by their sum;
* per party and issue, a value per option, uniform in [0, 1), divided by the issue's largest
  value (so the best option of every issue scores exactly 1, accord's normalisation);
* per party, a reservation value uniform in ``[0, reservation_high)``.

The same numbers go to both libraries, already normalised, so both compute
``u(package) = sum_i w_i * v_i(option_i)`` on the same scale; :func:`check_same_utilities`
confirms it on sampled packages. Issues are ``i1, i2, ...``, options ``o1, o2, ...``,
parties ``p1, p2, ...``; NegMAS enumerates packages in ``itertools.product`` order (last issue
fastest), and so does :func:`utility_matrix`.

NegMAS is imported only inside the functions that need it (it is an optional extra).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.model import Issue, Option, Party, Preferences, Scenario, value_of

__all__ = [
    "RandomSpec",
    "accord_scenario",
    "check_same_utilities",
    "draw",
    "issue_sizes_for",
    "model_utilities",
    "negmas_from_accord",
    "negmas_scenario",
    "utility_matrix",
]


@dataclass(frozen=True)
class RandomSpec:
    """What to draw: ``n_parties`` parties over issues of the given sizes, from ``seed``."""

    n_parties: int
    issue_sizes: tuple[int, ...]
    seed: int
    reservation_high: float = 0.6

    @property
    def n_packages(self) -> int:
        return math.prod(self.issue_sizes)

    @property
    def label(self) -> str:
        sizes = "x".join(map(str, self.issue_sizes))
        return f"random n={self.n_parties} sizes={sizes} seed={self.seed}"


@dataclass(frozen=True)
class Drawn:
    """The numbers of one random scenario, already normalised.

    ``weights[p]`` has one entry per issue (summing to 1); ``values[p][i]`` one per option of
    issue ``i`` (largest exactly 1); ``reservations[p]`` is party ``p``'s reservation value.
    """

    weights: tuple[np.ndarray, ...]
    values: tuple[tuple[np.ndarray, ...], ...]
    reservations: tuple[float, ...]


def issue_sizes_for(n_packages: int, options_per_issue: int = 10) -> tuple[int, ...]:
    """Issues of ``options_per_issue`` options whose product is ``n_packages`` (a power of it)."""
    n_issues = round(math.log(n_packages, options_per_issue))
    if options_per_issue**n_issues != n_packages:
        raise ValueError(f"{n_packages} is not a power of {options_per_issue}")
    return (options_per_issue,) * n_issues


def draw(spec: RandomSpec) -> Drawn:
    """The weights, option values and reservation values of ``spec``."""
    rng = np.random.default_rng(spec.seed)
    weights, values, reservations = [], [], []
    for _ in range(spec.n_parties):
        w = rng.uniform(0.0, 1.0, len(spec.issue_sizes))
        weights.append(w / w.sum())
        per_issue = []
        for size in spec.issue_sizes:
            v = rng.uniform(0.0, 1.0, size)
            per_issue.append(v / v.max())
        values.append(tuple(per_issue))
    for _ in range(spec.n_parties):
        reservations.append(float(rng.uniform(0.0, spec.reservation_high)))
    return Drawn(tuple(weights), tuple(values), tuple(reservations))


def _party_ids(n: int) -> list[str]:
    return [f"p{k + 1}" for k in range(n)]


def _issue_ids(n: int) -> list[str]:
    return [f"i{k + 1}" for k in range(n)]


def _option_ids(size: int) -> list[str]:
    return [f"o{k + 1}" for k in range(size)]


def accord_scenario(spec: RandomSpec, drawn: Drawn | None = None) -> Scenario:
    """``spec`` as an accord :class:`~accord.model.Scenario`."""
    d = drawn or draw(spec)
    issue_ids = _issue_ids(len(spec.issue_sizes))
    issues = tuple(
        Issue(id=iid, options=tuple(Option(id=o) for o in _option_ids(size)))
        for iid, size in zip(issue_ids, spec.issue_sizes, strict=True)
    )
    parties = tuple(
        Party(id=pid, reservation_value=r)
        for pid, r in zip(_party_ids(spec.n_parties), d.reservations, strict=True)
    )
    preferences = {
        pid: Preferences(
            weights={iid: float(w) for iid, w in zip(issue_ids, d.weights[p], strict=True)},
            values={
                iid: {o: float(x) for o, x in zip(_option_ids(size), d.values[p][i], strict=True)}
                for i, (iid, size) in enumerate(zip(issue_ids, spec.issue_sizes, strict=True))
            },
        )
        for p, pid in enumerate(_party_ids(spec.n_parties))
    }
    return Scenario(
        id=f"random-{spec.n_parties}p-{spec.n_packages}-s{spec.seed}",
        parties=parties,
        issues=issues,
        preferences=preferences,
    )


def negmas_scenario(spec: RandomSpec, drawn: Drawn | None = None, *, reserved: bool = True) -> Any:
    """``spec`` as a ``negmas.inout.Scenario`` of ``LinearAdditiveUtilityFunction`` ufuns.

    With ``reserved`` (the default) each ufun's ``reserved_value`` is the party's reservation
    value, as a NegMAS user would set it; without, it keeps NegMAS's default (``-inf``).
    """
    from negmas.inout import Scenario as NegmasScenario
    from negmas.outcomes import make_issue, make_os
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.preferences.value_fun import TableFun

    d = drawn or draw(spec)
    issue_ids = _issue_ids(len(spec.issue_sizes))
    issues = [
        make_issue(_option_ids(size), name=iid) for iid, size in zip(issue_ids, spec.issue_sizes, strict=True)
    ]
    os = make_os(issues, name=f"random-{spec.n_parties}p-{spec.n_packages}-s{spec.seed}")
    ufuns = []
    for p, pid in enumerate(_party_ids(spec.n_parties)):
        tables = [
            TableFun(dict(zip(_option_ids(size), map(float, d.values[p][i]), strict=True)))
            for i, size in enumerate(spec.issue_sizes)
        ]
        kwargs: dict[str, Any] = {"reserved_value": d.reservations[p]} if reserved else {}
        ufuns.append(
            LinearAdditiveUtilityFunction(
                values=tables,
                weights=[float(w) for w in d.weights[p]],
                outcome_space=os,
                name=pid,
                **kwargs,
            )
        )
    return NegmasScenario(outcome_space=os, ufuns=tuple(ufuns))


def negmas_from_accord(scenario: Scenario) -> Any:
    """An additive accord scenario (discrete issues, no interactions or red lines) in NegMAS.

    Weights and option values are normalised by accord's rule before they are handed over.
    """
    from negmas.inout import Scenario as NegmasScenario
    from negmas.outcomes import make_issue, make_os
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.preferences.value_fun import TableFun

    issues = [make_issue([str(v) for v in issue.values()], name=issue.id) for issue in scenario.issues]
    os = make_os(issues, name=scenario.id)
    ufuns = []
    for party in scenario.parties:
        prefs = scenario.preferences[party.id]
        if prefs.interactions or prefs.red_lines:
            raise ValueError(f"{party.id}: interactions and red lines have no NegMAS equivalent here")
        weights = {k: value_of(v) for k, v in prefs.weights.items()}
        total = sum(weights.values())
        tables = []
        for issue in scenario.issues:
            table = prefs.values.get(issue.id, {})
            if not isinstance(table, Mapping):
                raise ValueError(f"{party.id}: numeric issue {issue.id} is not supported here")
            raw = {str(k): value_of(v) for k, v in table.items()}
            top = max(raw.values(), default=0.0)
            tables.append(
                TableFun({str(o): (raw.get(str(o), 0.0) / top if top > 0 else 0.0) for o in issue.values()})
            )
        ufuns.append(
            LinearAdditiveUtilityFunction(
                values=tables,
                weights=[weights.get(i.id, 0.0) / total for i in scenario.issues],
                outcome_space=os,
                reserved_value=party.reservation,
                name=party.id,
            )
        )
    return NegmasScenario(outcome_space=os, ufuns=tuple(ufuns))


def utility_matrix(spec: RandomSpec, drawn: Drawn | None = None) -> np.ndarray:
    """Every package's utilities, ``(n_packages, n_parties)``, in ``itertools.product`` order.

    Summed issue by issue in the order NegMAS's ``LinearAdditiveUtilityFunction.eval`` uses
    (``0.0 + w_1 v_1 + w_2 v_2 + ...``), so the floats are bit-for-bit NegMAS's.
    """
    d = drawn or draw(spec)
    out = np.zeros((spec.n_packages, spec.n_parties))
    for p in range(spec.n_parties):
        total = np.zeros(spec.issue_sizes)
        for i, size in enumerate(spec.issue_sizes):
            shape = [1] * len(spec.issue_sizes)
            shape[i] = size
            total = total + (d.weights[p][i] * d.values[p][i]).reshape(shape)
        out[:, p] = total.reshape(-1)
    return out


def model_utilities(scenario: Scenario, package: dict[str, str]) -> dict[str, float]:
    """Utilities of ``package`` by the documented normalisation rule, read off the model alone.

    ``sum_i (w_i / sum w) * v_i(option) / max v_i``: an engine-independent reference for the
    additive scenarios made here (no interactions, no red lines, no numeric issues).
    """
    out = {}
    for party in scenario.parties:
        prefs = scenario.preferences[party.id]
        weights = {k: value_of(v) for k, v in prefs.weights.items()}
        total_weight = sum(weights.values())
        u = 0.0
        for issue_id, option in package.items():
            table = prefs.values[issue_id]
            assert isinstance(table, Mapping)
            top = max(value_of(v) for v in table.values())
            u += weights[issue_id] / total_weight * value_of(table[option]) / top
        out[party.id] = u
    return out


def check_same_utilities(spec: RandomSpec, n_samples: int = 50, tol: float = 1e-12) -> float:
    """Largest difference between the model's, NegMAS's and :func:`utility_matrix`'s utilities.

    Evaluates ``n_samples`` seeded random packages; raises ``AssertionError`` if any two
    differ by more than ``tol``. (The benchmark separately evaluates, in NegMAS, every package
    accord puts on its frontier.)
    """
    d = draw(spec)
    scenario = accord_scenario(spec, d)
    negmas = negmas_scenario(spec, d)
    matrix = utility_matrix(spec, d) if spec.n_packages <= 10**6 else None
    rng = np.random.default_rng(spec.seed + 1)
    issue_ids = _issue_ids(len(spec.issue_sizes))
    worst = 0.0
    for _ in range(n_samples):
        choice = [int(rng.integers(size)) for size in spec.issue_sizes]
        outcome = tuple(f"o{c + 1}" for c in choice)
        package = dict(zip(issue_ids, outcome, strict=True))
        ours = model_utilities(scenario, package)
        rows = [[ours[pid] for pid in scenario.party_ids]]
        rows.append([float(u(outcome)) for u in negmas.ufuns])
        if matrix is not None:
            rows.append(list(matrix[int(np.ravel_multi_index(choice, spec.issue_sizes))]))
        diff = float(np.ptp(np.asarray(rows), axis=0).max())
        worst = max(worst, diff)
        assert diff <= tol, f"{spec.label}: package {package} differs by {diff:g}: {rows}"
    return worst


if __name__ == "__main__":
    for spec in (
        RandomSpec(2, (10, 10, 10, 10), seed=1),
        RandomSpec(3, (10,) * 5, seed=2),
        RandomSpec(5, (4, 7, 3, 9), seed=3),
        RandomSpec(2, (10,) * 12, seed=4),
    ):
        print(f"{spec.label}: largest difference {check_same_utilities(spec):.2e}")
