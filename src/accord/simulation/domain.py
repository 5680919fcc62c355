"""A scenario's packages enumerated once, with each party's own view sorted for fast decisions.

Simulation needs what analysis avoids: every package, because a strategy picks concrete offers.
:func:`build_domain` enumerates the packages of a compiled :class:`~accord.analysis.space.Space`
(option indices, mixed radix, last issue fastest), evaluates them once, and gives each party a
:class:`PartyView`: its utilities, which packages cross its *own* red lines, and the packages it
may offer sorted by utility. Strategies then choose an offer with one binary search and answer an
offer with one list look-up; sessions on the same scenario share the domain, which is what makes
them fast (NegMAS rebuilds every negotiator's sorted outcome list in every session).

All comparisons are made on each party's exact integer utilities
(:class:`~accord.model.utility.PartyScale`), exactly as the analysis engine makes them.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from ..analysis.space import Space, compile_space
from ..errors import SpaceTooLargeError
from ..model import OptionValue, Scenario
from ..model.utility import PartyScale

__all__ = ["REFUSED", "Domain", "PartyView", "build_domain"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

REFUSED = -(1 << 62)
"""The effective utility of a package that crosses one of the party's own red lines: below any
threshold, so no acceptance rule ever accepts it."""


@dataclass(frozen=True, eq=False)
class PartyView:
    """What one party knows: its own utilities of every package, and nothing of the others'.

    ``utilities`` and ``quantized`` (the party's exact integer utilities, one unit being
    ``scale.unit``) hold every package; ``effective`` is
    ``quantized`` with :data:`REFUSED` where the package crosses one of the party's red lines.
    ``ascending`` lists the packages the party may offer (no own red line crossed, utility at
    least its reservation value) by increasing utility, ties by package index, and
    ``ascending_q`` their quantized utilities: ``ascending[-1]`` is its best package. When it is
    empty the party has nothing it prefers to no agreement. ``effective_list`` and
    ``ascending_q_list`` are the same as Python lists (fast scalar look-ups in the engine).
    """

    party: int
    id: str
    utilities: FloatArray
    quantized: IntArray
    effective: IntArray
    ascending: IntArray
    ascending_q: IntArray
    reservation: float
    reservation_q: int
    discount_factor: float | None
    options: IntArray = field(repr=False)
    sizes: tuple[int, ...]
    scale: PartyScale = field(repr=False)
    effective_list: list[int] = field(repr=False)
    ascending_list: list[int] = field(repr=False)
    ascending_q_list: list[int] = field(repr=False)

    @property
    def n_offerable(self) -> int:
        return len(self.ascending_list)

    @property
    def best(self) -> int | None:
        """The party's best package (no own red line, at least the reservation value), if any."""
        return self.ascending_list[-1] if self.ascending_list else None

    def position(self, target_q: int) -> int:
        """Index in ``ascending`` of the lowest-utility package worth at least ``target_q`` (the
        best package when none is), never below the first package worth the reservation value."""
        values = self.ascending_q_list
        return min(bisect_left(values, target_q), len(values) - 1)


@dataclass(frozen=True, eq=False)
class Domain:
    """Every package of a scenario (``options``: n x issues option indices) and each party's view.

    ``utilities`` and ``quantized`` are n x parties; ``allowed`` (n x parties) says which packages
    cross none of that party's red lines. Build it with :func:`build_domain`.
    """

    scenario: Scenario
    space: Space
    options: IntArray
    utilities: FloatArray
    quantized: IntArray
    allowed: BoolArray
    views: tuple[PartyView, ...]

    @property
    def n_parties(self) -> int:
        return len(self.views)

    @property
    def n_packages(self) -> int:
        return int(self.options.shape[0])

    @property
    def party_ids(self) -> tuple[str, ...]:
        return self.scenario.party_ids

    def package(self, index: int) -> dict[str, OptionValue]:
        """The package ``{issue id: option}`` at a package index."""
        return self.space.package(self.options[index])

    def index(self, options: npt.ArrayLike) -> int:
        """The package index of option indices (one per issue)."""
        x = np.asarray(options, dtype=np.int64)
        return int(np.ravel_multi_index(tuple(x), self.space.sizes))


def _view(
    space: Space,
    domain_options: IntArray,
    sizes: tuple[int, ...],
    scenario: Scenario,
    p: int,
    utilities: FloatArray,
    quantized: IntArray,
    allowed: BoolArray,
) -> PartyView:
    party = scenario.parties[p]
    scale = space.scales[p]
    rv_q = scale.reservation
    q = np.ascontiguousarray(quantized[:, p])
    effective = np.where(allowed[:, p], q, REFUSED)
    offerable = np.flatnonzero(effective >= rv_q)
    order = offerable[np.argsort(q[offerable], kind="stable")]  # ties: package index order
    ascending_q = q[order]
    return PartyView(
        party=p,
        id=party.id,
        utilities=np.ascontiguousarray(utilities[:, p]),
        quantized=q,
        effective=effective,
        ascending=order,
        ascending_q=ascending_q,
        reservation=party.reservation,
        reservation_q=rv_q,
        discount_factor=party.discount_factor,
        options=domain_options,
        sizes=sizes,
        scale=scale,
        effective_list=effective.tolist(),
        ascending_list=order.tolist(),
        ascending_q_list=ascending_q.tolist(),
    )


def build_domain(scenario: Scenario | Space, *, max_packages: int = 5_000_000) -> Domain:
    """Enumerate a scenario's packages and sort each party's view of them.

    Raises :class:`~accord.errors.SpaceTooLargeError` above ``max_packages`` packages: a
    simulation picks concrete packages, so it needs them all (the analysis engine does not).
    """
    space = scenario if isinstance(scenario, Space) else compile_space(scenario)
    s = space.scenario
    n = s.n_packages
    if n > max_packages:
        raise SpaceTooLargeError(
            f"scenario '{s.id}' has {n:,} packages; simulation enumerates them all and the limit "
            f"is {max_packages:,}: raise max_packages, or merge or drop options"
        )
    sizes = space.sizes
    options = np.stack(np.unravel_index(np.arange(n, dtype=np.int64), sizes), axis=1)
    options = np.ascontiguousarray(options, dtype=np.int64)
    utilities, quantized, _ = space.evaluate(options)
    allowed = np.ones((n, space.n_parties), dtype=bool)
    for term in space.terms:
        if term.is_constraint:
            allowed &= ~term.holds(options)[:, None]  # not a coherent package for anyone
        elif term.is_red_line:
            allowed[:, term.party] &= ~term.holds(options)
    for a in (options, utilities, quantized, allowed):
        a.flags.writeable = False
    views = tuple(
        _view(space, options, sizes, s, p, utilities, quantized, allowed) for p in range(space.n_parties)
    )
    for v in views:
        for a in (v.utilities, v.quantized, v.effective, v.ascending, v.ascending_q):
            a.flags.writeable = False
    return Domain(s, space, options, utilities, quantized, allowed, views)
