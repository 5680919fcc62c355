"""Utilities of a fixed set of packages for many samples of the uncertain inputs at once.

Party *i*'s utility of package *x* is (docs/scenario-format.md)

    u_i(x) = sum_k w_ik(s) * v_ik(s)[x_k] / max v_ik(s)  /  sum_k w_ik(s)  +  sum_t value_t(s) [t holds]

with weights normalised per sample (divided by their sum) and option values per sample (divided
by the issue's largest): the formula of :mod:`accord.model.utility`, whose functions give the
nominal parts here, applied to sampled inputs. Only the parts that depend on an uncertain
input are computed per sample: everything certain is summed once per package, so a sample costs
``O(packages x (parties + uncertain issue-party pairs + uncertain terms))``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..analysis.space import Space
from ..model import PiecewiseLinear, value_of
from ..model.utility import normalised_values
from .inputs import UncertainInput

__all__ = ["UtilityModel"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class _Part:
    """One issue of one party whose weight or option values are uncertain."""

    issue: int
    weight: float
    weight_input: int | None  # column of the sample matrix, or None when the weight is certain
    raw: FloatArray  # the nominal raw values: of the options, or of the points
    interp: FloatArray | None  # (options x points) interpolation matrix for `points`
    slots: tuple[tuple[int, int], ...]  # (column, position in raw) of uncertain values
    normalised: FloatArray  # the nominal normalised values of the options


@dataclass(frozen=True)
class _PartyModel:
    certain: FloatArray  # (C,) weighted certain issues, on the nominal weight total
    terms: FloatArray  # (C,) certain interactions
    total: float  # nominal sum of weights
    weight_inputs: tuple[tuple[int, float], ...]  # (column, nominal) of uncertain weights
    parts: tuple[_Part, ...]
    uncertain_terms: tuple[tuple[int, BoolArray], ...]  # (column, holds per package)


class UtilityModel:
    """Per-sample utilities of the packages ``options`` (C x issues option indices).

    ``evaluate(values)`` takes an (S x inputs) matrix of input values and returns utilities
    (parties x S x C), reservation values (S x parties) and powers (S x parties).
    ``allowed`` (parties x C) says which packages cross none of a party's red lines; red lines
    are never uncertain.
    """

    def __init__(self, space: Space, inputs: Sequence[UncertainInput], options: IntArray) -> None:
        s = space.scenario
        self.options = np.asarray(options, dtype=np.int64).reshape(-1, len(s.issues))
        self.inputs = tuple(inputs)
        self.nominal = np.array([x.nominal for x in inputs], dtype=np.float64)
        x = self.options
        n_parties = len(s.parties)
        self.allowed = np.ones((n_parties, len(x)), dtype=bool)
        term_value = np.zeros((n_parties, len(x)))
        uncertain_interactions = {
            (u.party, u.slot): col for col, u in enumerate(inputs) if u.kind == "interaction"
        }
        uncertain_terms: list[list[tuple[int, BoolArray]]] = [[] for _ in s.parties]
        for term in space.terms:
            holds = term.holds(x)
            if term.is_constraint:
                self.allowed &= ~holds  # not a coherent package for anyone
            elif term.is_red_line:
                self.allowed[term.party] &= ~holds
            elif (term.party, term.index) in uncertain_interactions:
                uncertain_terms[term.party].append((uncertain_interactions[(term.party, term.index)], holds))
            else:
                term_value[term.party] += term.value * holds
        self.reservation = np.array([p.reservation for p in s.parties])
        self.power = np.array([p.bargaining_power for p in s.parties])
        self._reservation_inputs = [(col, u.party) for col, u in enumerate(inputs) if u.kind == "reservation"]
        self._power_inputs = [(col, u.party) for col, u in enumerate(inputs) if u.kind == "power"]
        self._parties = tuple(
            self._party(space, p, term_value[p], uncertain_terms[p]) for p in range(n_parties)
        )

    @property
    def n_candidates(self) -> int:
        return int(self.options.shape[0])

    def _party(
        self, space: Space, p: int, terms: FloatArray, uncertain_terms: list[tuple[int, BoolArray]]
    ) -> _PartyModel:
        s = space.scenario
        party = s.parties[p]
        prefs = s.preferences[party.id]
        mine = [(col, u) for col, u in enumerate(self.inputs) if u.party == p]
        weight_cols = {u.issue: col for col, u in mine if u.kind == "weight" and u.issue is not None}
        value_cols: dict[int, list[tuple[int, int]]] = {}
        for col, u in mine:
            if u.kind == "value" and u.issue is not None and u.slot is not None:
                value_cols.setdefault(u.issue, []).append((col, u.slot))
        weights = [value_of(prefs.weights[i.id]) if i.id in prefs.weights else 0.0 for i in s.issues]
        total = float(sum(weights))
        certain = np.zeros(len(self.options))
        parts = []
        for i, issue in enumerate(s.issues):
            if i not in weight_cols and i not in value_cols:
                certain += space.contributions[i][self.options[:, i], p]
                continue
            table = prefs.values.get(issue.id)
            interp: FloatArray | None = None
            if isinstance(table, PiecewiseLinear):
                xs = np.array([x for x, _ in table.points], dtype=np.float64)
                grid = np.array(issue.values(), dtype=np.float64)
                interp = np.column_stack([np.interp(grid, xs, e) for e in np.eye(len(xs))])
                raw = np.array([value_of(v) for _, v in table.points], dtype=np.float64)
            elif table is not None:
                raw = np.array([value_of(table[str(o)]) for o in issue.values()], dtype=np.float64)
            else:
                raw = np.zeros(issue.size)
            normalised = normalised_values(issue, table)
            parts.append(
                _Part(
                    i, weights[i], weight_cols.get(i), raw, interp, tuple(value_cols.get(i, ())), normalised
                )
            )
        return _PartyModel(
            certain=certain * total if weight_cols else certain,
            terms=terms,
            total=total,
            weight_inputs=tuple((weight_cols[i], weights[i]) for i in weight_cols),
            parts=tuple(parts),
            uncertain_terms=tuple(uncertain_terms),
        )

    def evaluate(self, values: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Utilities (parties x S x C), reservation values (S x parties), powers (S x parties)."""
        v = np.atleast_2d(np.asarray(values, dtype=np.float64))
        n = v.shape[0]
        u = np.empty((len(self._parties), n, self.n_candidates))
        for p, model in enumerate(self._parties):
            self._utilities(model, v, u[p])
        r = np.repeat(self.reservation[None, :], n, axis=0)
        for col, p in self._reservation_inputs:
            r[:, p] = v[:, col]
        power = np.repeat(self.power[None, :], n, axis=0)
        for col, p in self._power_inputs:
            power[:, p] = v[:, col]
        return u, r, power

    def _utilities(self, m: _PartyModel, v: FloatArray, out: FloatArray) -> None:
        x = self.options
        if m.weight_inputs:
            total = m.total + sum(v[:, col] - nominal for col, nominal in m.weight_inputs)
            inverse = np.divide(1.0, total, out=np.zeros_like(total), where=total > 0)
            # Certain issues were summed at their nominal weights (times the nominal total).
            np.multiply(m.certain[None, :], inverse[:, None], out=out)
        else:
            inverse = np.full(v.shape[0], 1.0 / m.total if m.total > 0 else 0.0)
            out[...] = m.certain[None, :]
        for part in m.parts:
            weight = v[:, part.weight_input] if part.weight_input is not None else part.weight
            scale = weight * inverse  # (S,)
            if part.slots:
                raw = np.repeat(part.raw[None, :], v.shape[0], axis=0)
                for col, slot in part.slots:
                    raw[:, slot] = v[:, col]
                if part.interp is not None:
                    raw = raw @ part.interp.T
                top = raw.max(axis=1)
                factor = np.divide(scale, top, out=np.zeros_like(top), where=top > 0)
                out += raw[:, x[:, part.issue]] * factor[:, None]
            else:
                out += np.multiply.outer(scale, part.normalised[x[:, part.issue]])
        out += m.terms[None, :]
        for col, holds in m.uncertain_terms:
            out += np.multiply.outer(v[:, col], holds)
