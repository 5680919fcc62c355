"""Strategies that react to the others' offers: relative tit-for-tat, a frequency opponent model,
and the random baseline."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from ..domain import PartyView
from ..state import NegotiationState
from ._base import IntArray, Strategy, acceptable

__all__ = ["FrequencyModel", "RandomOffers", "RelativeTitForTat"]


class RelativeTitForTat(Strategy):
    """Relative tit-for-tat: Faratin, Sierra and Jennings (1998), section 4.2.1 (the imitative
    tactic that reproduces, in proportion, the concession the opponent has made over a window of
    its offers), in the utility-space form of Baarslag, Hindriks and Jonker (2013), "A tit for tat
    negotiation strategy for real-time bilateral negotiations", *Complex Automated Negotiations*,
    SCI 435 (which measures the opponent by its best offer so far, robust to a multi-issue
    opponent whose single offers zig-zag in one's own utility).

    It opens with its best package. For every other party it measures the share of the way from
    that party's first offer to its own best package that the party has come, by the best offer it
    has made so far: ``c = (u(best so far) - u(first)) / (best - u(first))``. It reciprocates the
    smallest share (no party is rewarded for another's concession): its aim is ``best - c (best -
    floor)``, ``floor`` its least offerable utility. It offers the lowest-utility package worth its
    aim and accepts an offer worth at least that. Against a party that never concedes, it never
    concedes either.
    """

    name: ClassVar[str] = "tit-for-tat"
    observes_offers: ClassVar[bool] = True

    def reset(self) -> None:
        super().reset()
        self._first: dict[int, int] = {}
        self._best: dict[int, int] = {}
        self._threshold = 0

    def _begin(self, view: PartyView, state: NegotiationState, seed: np.random.SeedSequence) -> None:
        if view.n_offerable:
            self._threshold = view.ascending_q_list[-1]

    def observe(self, state: NegotiationState, party: int, offer: int) -> None:
        view = self.view
        u = view.effective_list[offer]
        if party not in self._first:
            self._first[party] = self._best[party] = u
        elif u > self._best[party]:
            self._best[party] = u
        if not view.n_offerable or len(self._first) < state.n_parties - 1:
            return
        best, floor = view.ascending_q_list[-1], view.ascending_q_list[0]
        c = min(
            1.0 if first >= best else max(0.0, (self._best[j] - first) / (best - first))
            for j, first in self._first.items()
        )
        pos = view.position(view.scale.aim(best - c * (best - floor)))
        self._threshold = view.ascending_q_list[pos]

    def propose(self, state: NegotiationState) -> int | None:
        view = self.view
        if not view.n_offerable:
            return None
        return view.ascending_list[view.position(self._threshold)]

    def respond(self, state: NegotiationState, offer: int) -> bool:
        view = self.view
        return bool(view.n_offerable) and acceptable(view, offer, self._threshold)


class FrequencyModel(Strategy):
    """Opponent modelling by frequency analysis: Baarslag, Hendrikx, Hindriks and Jonker (2016),
    "Learning about the opponent in automated bilateral negotiation: a comprehensive survey of
    opponent modeling techniques", *Autonomous Agents and Multi-Agent Systems* 30(5), section 5.2;
    the learner is that of the HardHeaded agent (van Krimpen, Looije and Hajizadeh 2013).

    For each other party it keeps issue weights (uniform at first) and counts of the options it
    has offered. When a party repeats its previous option on an issue, that issue's weight grows
    by ``learning_rate`` (then weights are normalised): parties concede first on issues they care
    little about. An option's estimated value is ``(count + 1) / (max count on the issue + 1)``.

    Its own aim follows Faratin et al.'s time-dependent curve with exponent ``e`` (Boulware by
    default). Among its packages worth between the aim and the aim plus ``window`` (the 64
    nearest at most), it offers the one whose least estimated utility over the other parties is
    largest (for two parties: the one the opponent likes best), a move towards the Pareto frontier.
    It accepts an offer worth at least its aim.
    """

    name: ClassVar[str] = "frequency"
    uses_opponent_model: ClassVar[bool] = True
    observes_offers: ClassVar[bool] = True
    max_candidates: ClassVar[int] = 64

    def __init__(self, e: float = 0.2, learning_rate: float = 0.1, window: float = 0.1) -> None:
        super().__init__()
        if not e > 0:
            raise ValueError(f"e must be positive, got {e}")
        self.e = float(e)
        self.learning_rate = float(learning_rate)
        self.window = float(window)

    def params(self) -> dict[str, Any]:
        return {"e": self.e, "learning_rate": self.learning_rate, "window": self.window}

    def reset(self) -> None:
        super().reset()
        self._weights: dict[int, np.ndarray] = {}
        self._counts: dict[int, np.ndarray] = {}
        self._previous: dict[int, IntArray] = {}
        self._offsets = np.zeros(0, dtype=np.int64)

    def _begin(self, view: PartyView, state: NegotiationState, seed: np.random.SeedSequence) -> None:
        self._offsets = np.concatenate([[0], np.cumsum(view.sizes)[:-1]]).astype(np.int64)

    def observe(self, state: NegotiationState, party: int, offer: int) -> None:
        view = self.view
        x = view.options[offer]
        n_issues = len(view.sizes)
        if party not in self._weights:
            self._weights[party] = np.full(n_issues, 1.0 / n_issues)
            self._counts[party] = np.zeros(sum(view.sizes))
        self._counts[party][self._offsets + x] += 1.0
        previous = self._previous.get(party)
        if previous is not None:
            w = self._weights[party]
            w[x == previous] += self.learning_rate
            w /= w.sum()
        self._previous[party] = x

    def _aim(self, state: NegotiationState) -> int:
        view = self.view
        hi, lo = float(view.ascending_q_list[-1]), float(view.ascending_q_list[0])
        concession: float = state.time ** (1.0 / self.e)
        return view.scale.aim(lo + (1.0 - concession) * (hi - lo))

    def estimated(self, packages: IntArray) -> np.ndarray:
        """Least estimated utility of ``packages`` over the modelled parties (1 if none yet)."""
        view = self.view
        if not self._weights:
            return np.ones(len(packages))
        columns = view.options[packages] + self._offsets
        out = np.full(len(packages), np.inf)
        for party, w in self._weights.items():
            counts = self._counts[party]
            top = np.maximum.reduceat(counts, self._offsets)
            values = (counts + 1.0) / (np.repeat(top, view.sizes) + 1.0)
            out = np.minimum(out, values[columns] @ w)
        return out

    def propose(self, state: NegotiationState) -> int | None:
        view = self.view
        if not view.n_offerable:
            return None
        aim = self._aim(state)
        lo = view.position(aim)
        if not self._weights:
            return view.ascending_list[lo]
        hi = int(np.searchsorted(view.ascending_q, aim + view.scale.units(self.window), side="right"))
        hi = max(lo + 1, min(hi, lo + self.max_candidates))
        candidates = view.ascending[lo:hi]
        return int(candidates[int(np.argmax(self.estimated(candidates)))])

    def respond(self, state: NegotiationState, offer: int) -> bool:
        view = self.view
        if not view.n_offerable:
            return False
        return acceptable(view, offer, self._aim(state))


class RandomOffers(Strategy):
    """The random baseline of the Genius environment (Lin, Gal, Gratch, Kraus, Oshrat and
    Hindriks 2014, "Genius: an integrated environment for supporting the design of generic
    automated negotiators", *Computational Intelligence* 30(1); NegMAS's ``RandomNegotiator``):
    it offers a package drawn uniformly from those it prefers to no
    agreement (never across its red lines) and accepts an offer it prefers to no agreement with
    probability ``p_accept``. Its draws come from the session seed."""

    name: ClassVar[str] = "random"
    deterministic: ClassVar[bool] = False

    def __init__(self, p_accept: float = 0.5) -> None:
        super().__init__()
        if not 0.0 <= p_accept <= 1.0:
            raise ValueError(f"p_accept must be in [0, 1], got {p_accept}")
        self.p_accept = float(p_accept)

    def params(self) -> dict[str, Any]:
        return {"p_accept": self.p_accept}

    def reset(self) -> None:
        super().reset()
        self._rng: np.random.Generator | None = None

    def _begin(self, view: PartyView, state: NegotiationState, seed: np.random.SeedSequence) -> None:
        self._rng = np.random.default_rng(seed)

    def propose(self, state: NegotiationState) -> int | None:
        view = self.view
        assert self._rng is not None
        if not view.n_offerable:
            return None
        return view.ascending_list[int(self._rng.integers(view.n_offerable))]

    def respond(self, state: NegotiationState, offer: int) -> bool:
        view = self.view
        assert self._rng is not None
        return acceptable(view, offer, view.reservation_q) and bool(self._rng.random() < self.p_accept)
