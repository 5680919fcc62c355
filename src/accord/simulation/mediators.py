"""Mediators for single-text negotiation: they propose texts and hear only accept/reject/veto.

A mediator never sees a utility. It knows the space (how many options each issue has), the
number of parties, and each party's answer to each text it proposed: ``ACCEPT`` (the party would
sign it now), ``REJECT`` (not yet) or ``VETO`` (worse for the party than no agreement).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, ClassVar, Self

import numpy as np

from ..errors import AccordError
from .state import NegotiationState
from .trace import ACCEPT, VETO

__all__ = ["MEDIATORS", "HillClimbMediator", "Mediator", "make_mediator"]


class Mediator:
    """Base class of mediators. ``name``: the registry name; ``deterministic``: no random
    draws (a seeded mediator is still reproducible under the session seed)."""

    name: ClassVar[str] = "mediator"
    deterministic: ClassVar[bool] = True

    def start(self, sizes: tuple[int, ...], n_parties: int, seed: np.random.SeedSequence) -> None:
        """Begin a session: ``sizes`` are the issues' option counts (packages are mixed-radix
        indices, the last issue fastest), ``seed`` the mediator's share of the session seed."""
        raise NotImplementedError

    def propose(self, state: NegotiationState) -> int:
        """The text (a package index) to put to the parties now."""
        raise NotImplementedError

    def hear(self, state: NegotiationState, text: int, answers: tuple[int, ...]) -> None:
        """Every party's answer to ``text``, one action code per party."""

    def params(self) -> dict[str, Any]:
        """The keyword arguments that rebuild this mediator."""
        return {}

    def clone(self) -> Self:
        """A fresh instance with the same parameters."""
        return type(self)(**self.params())

    @property
    def label(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class HillClimbMediator(Mediator):
    """The single negotiating text, after Raiffa (1982), *The Art and Science of Negotiation*,
    ch. 14 (the mediator's text at Camp David, 1978, redrafted round after round on the parties'
    criticism), as a local search on the parties' answers in the manner of Klein, Faratin, Sayama
    and Bar-Yam (2003), "Protocols for negotiating complex contracts", *IEEE Intelligent Systems*
    18(6), with a tabu list (Glover 1989, "Tabu search - part I", *ORSA Journal on Computing*
    1(3)) to leave local optima.

    It starts from a package drawn with its seed. Each round it proposes one text. A sweep puts
    its current text again (the parties concede with time, so answers change) and then each
    neighbour (one issue changed) in an order shuffled with its seed. A text scores (fewer
    vetoes, then more acceptances); the mediator moves at once to a neighbour that scores better
    than the current text. When a sweep finds none it moves to the best neighbour not among its
    last ``tabu`` texts, even if worse (a text two changes away may be better still), and sweeps
    again. The session ends when every party accepts. Looking for texts that no party vetoes
    and more parties accept, it is drawn to where the parties' falling aspirations first meet,
    near the balanced packages; how near the Nash point it ends is measured in
    ``tests/simulation/test_mediated.py`` and docs/simulation.md. It never sees a utility.
    """

    name: ClassVar[str] = "hill-climb"

    def __init__(self, tabu: int = 8) -> None:
        if tabu < 0:
            raise ValueError(f"tabu must be at least 0, got {tabu}")
        self.tabu = int(tabu)
        self._reset()

    def params(self) -> dict[str, Any]:
        return {"tabu": self.tabu}

    def __repr__(self) -> str:
        return f"HillClimbMediator(tabu={self.tabu})"

    def _reset(self) -> None:
        self._sizes: tuple[int, ...] = ()
        self._rng: np.random.Generator | None = None
        self._current = 0
        self._score: tuple[int, int] = (0, 0)
        self._queue: list[int] = []
        self._fallback: tuple[tuple[int, int], int] | None = None
        self._recent: list[int] = []

    def start(self, sizes: tuple[int, ...], n_parties: int, seed: np.random.SeedSequence) -> None:
        self._reset()
        self._sizes = tuple(sizes)
        self._rng = np.random.default_rng(seed)
        start = [int(self._rng.integers(k)) for k in self._sizes]
        self._current = int(np.ravel_multi_index(tuple(start), self._sizes))
        self._queue = [self._current]

    def neighbours(self, text: int) -> list[int]:
        """The texts that differ from ``text`` on exactly one issue."""
        options = [int(o) for o in np.unravel_index(text, self._sizes)]
        out = []
        for i, k in enumerate(self._sizes):
            for o in range(k):
                if o != options[i]:
                    changed = list(options)
                    changed[i] = o
                    out.append(int(np.ravel_multi_index(tuple(changed), self._sizes)))
        return out

    def _shuffled_neighbours(self) -> list[int]:
        assert self._rng is not None
        queue = self.neighbours(self._current)
        self._rng.shuffle(queue)
        return queue

    def propose(self, state: NegotiationState) -> int:
        return self._queue[0]

    def hear(self, state: NegotiationState, text: int, answers: tuple[int, ...]) -> None:
        score = (-sum(a == VETO for a in answers), sum(a == ACCEPT for a in answers))
        if self._queue and self._queue[0] == text:
            self._queue.pop(0)
        if text == self._current:
            self._score = score
            self._fallback = None
        elif score > self._score:
            self._move(text, score)
            return
        elif text not in self._recent and (self._fallback is None or score > self._fallback[0]):
            self._fallback = (score, text)
        if not self._queue:
            if self._fallback is not None:
                self._move(self._fallback[1], self._fallback[0])
            else:
                self._queue = [self._current, *self._shuffled_neighbours()]

    def _move(self, text: int, score: tuple[int, int]) -> None:
        self._recent = [*self._recent, self._current][-self.tabu :] if self.tabu else []
        self._current, self._score = text, score
        self._fallback = None
        self._queue = self._shuffled_neighbours() or [text]


MEDIATORS: Mapping[str, type[Mediator]] = MappingProxyType({cls.name: cls for cls in (HillClimbMediator,)})
"""Every mediator class by its registry name."""


def make_mediator(spec: str | Mediator) -> Mediator:
    """A mediator from its registry name; a :class:`Mediator` is returned as it is."""
    if isinstance(spec, Mediator):
        return spec
    if spec not in MEDIATORS:
        raise AccordError(f"no mediator '{spec}'; mediators are {', '.join(MEDIATORS)}")
    return MEDIATORS[spec]()
