"""The batch engine: many SAOP sessions on one domain at once, on arrays.

For strategies whose decisions depend only on time and the offer at hand (``time_only``: the
time-based tactics, aspiration, hardliner), a whole session's decisions are two tables per party:
the package it offers at each turn and the least utility it accepts
(:meth:`~accord.simulation.strategies.ScheduledStrategy.schedule`). The batch engine computes each
distinct table once (sessions that share a strategy and a deadline share it) and then advances
every session one turn per step with a handful of vectorised operations: look up the offer on the
table in the acting party's utilities, compare with its threshold, count acceptances, place the
counter-offers. Its decisions are the very tables the one-session engine looks up, so the traces
are identical (``tests/simulation/test_batch.py`` proves it on random scenarios).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from ..errors import AccordError
from .domain import REFUSED, Domain
from .session import strategies_for
from .state import turn_time
from .strategies import ScheduledStrategy, Strategy
from .trace import (
    ACCEPT,
    END,
    OFFER,
    Outcome,
    SessionConfig,
    SessionResult,
    Trace,
    outcome_utilities,
)

__all__ = ["BatchResult", "run_batch"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

_DEADLINE, _AGREEMENT, _ENDED = 0, 1, 2
_REASONS = ("deadline", "agreement", "ended")


@dataclass(frozen=True, eq=False)
class BatchResult:
    """The sessions of a batch, as arrays (one row per session).

    ``agreement``: package index or -1; ``last_turn``: the turn of the last action; ``reason``:
    0 deadline, 1 agreement, 2 a party walked away. ``lineups`` are the distinct line-ups
    (strategy labels, one per party) and ``lineup`` says which one each session played.
    ``actions`` and ``packages`` (sessions x turns, -1 past the end) hold the traces when the
    batch was run with ``record=True``.
    :meth:`session` gives one session as the one-session engine returns it.
    """

    domain: Domain = field(repr=False)
    lineups: tuple[tuple[str, ...], ...]
    lineup: IntArray
    configs: tuple[SessionConfig, ...]
    agreement: IntArray
    last_turn: IntArray
    reason: npt.NDArray[np.int8]
    actions: npt.NDArray[np.int8] | None = field(repr=False)
    packages: IntArray | None = field(repr=False)

    def __len__(self) -> int:
        return len(self.configs)

    @property
    def agreement_rate(self) -> float:
        return float((self.agreement >= 0).mean()) if len(self) else 0.0

    def utilities(self) -> FloatArray:
        """Each session's undiscounted utilities (sessions x parties): of the agreement, or the
        reservation values."""
        d = self.domain
        reservation = np.array([v.reservation for v in d.views])
        u = np.broadcast_to(reservation, (len(self), d.n_parties)).copy()
        agreed = self.agreement >= 0
        u[agreed] = d.utilities[self.agreement[agreed]]
        return u

    def outcome(self, b: int) -> Outcome:
        """Session ``b``'s outcome, exactly as the one-session engine reports it."""
        d = self.domain
        n = d.n_parties
        config = self.configs[b]
        assert config.n_rounds is not None
        last = int(self.last_turn[b])
        reason = _REASONS[int(self.reason[b])]
        agreement = int(self.agreement[b]) if self.agreement[b] >= 0 else None
        t = 1.0 if reason == "deadline" else turn_time(last, config.n_rounds * n)
        utilities, raw = outcome_utilities(d, agreement, t)
        return Outcome(
            agreement=agreement,
            parties=tuple(range(n)) if agreement is not None else (),
            utilities=utilities,
            undiscounted=raw,
            reason=reason,
            rounds=last // n + 1,
            turns=last + 1,
            time=t,
            ended_by=last % n if reason == "ended" else None,
        )

    def session(self, b: int) -> SessionResult:
        """Session ``b`` as :func:`~accord.simulation.run_session` returns it (needs ``record``)."""
        if self.actions is None or self.packages is None:
            raise AccordError("this batch ran with record=False: no traces; run it with record=True")
        d = self.domain
        n = d.n_parties
        config = self.configs[b]
        assert config.n_rounds is not None
        n_turns = config.n_rounds * n
        last = int(self.last_turn[b])
        turns = tuple(range(last + 1))
        trace = Trace(
            turns,
            tuple(k // n for k in turns),
            tuple(turn_time(k, n_turns) for k in turns),
            tuple(k % n for k in turns),
            tuple(int(a) for a in self.actions[b, : last + 1]),
            tuple(int(x) for x in self.packages[b, : last + 1]),
        )
        return SessionResult(d, self.lineups[int(self.lineup[b])], config, trace, self.outcome(b))


def _tables(
    domain: Domain,
    distinct: Sequence[Sequence[ScheduledStrategy]],
    which: IntArray,
    n_turns: IntArray,
    t_max: int,
) -> tuple[list[IntArray], list[IntArray], list[IntArray]]:
    """Per party: the distinct offer and threshold tables (groups x t_max) and each session's
    group. Sessions whose strategy (class and parameters) and deadline agree share a table."""
    offers, thresholds, groups = [], [], []
    for p in range(domain.n_parties):
        kinds: dict[tuple[object, ...], int] = {}
        kind_of = np.array(
            [
                kinds.setdefault((type(lu[p]), tuple(sorted(lu[p].params().items()))), len(kinds))
                for lu in distinct
            ],
            dtype=np.int64,
        )
        pairs = np.stack([kind_of[which], n_turns], axis=1)
        unique, group = np.unique(pairs, axis=0, return_inverse=True)
        rows_o: list[IntArray] = []
        rows_t: list[IntArray] = []
        first = {int(k): i for i, k in reversed(list(enumerate(kind_of)))}
        for kind, turns in unique.tolist():
            o, t = distinct[first[kind]][p].schedule(domain.views[p], turns)
            pad = t_max - len(o)
            rows_o.append(np.concatenate([o, np.full(pad, -1, dtype=np.int64)]))
            rows_t.append(np.concatenate([t, np.full(pad, np.iinfo(np.int64).max, dtype=np.int64)]))
        offers.append(np.stack(rows_o))
        thresholds.append(np.stack(rows_t))
        groups.append(group.reshape(-1).astype(np.int64))
    return offers, thresholds, groups


def run_batch(
    domain: Domain,
    lineups: Sequence[Sequence[Strategy | str]],
    configs: SessionConfig | Sequence[SessionConfig] | None = None,
    *,
    record: bool = True,
) -> BatchResult:
    """Run many SAOP sessions on one domain at once.

    ``lineups``: per session, one strategy per party (or one for all), each ``time_only``.
    ``configs``: one for all sessions or one per session (deadlines in rounds; no wall-clock
    limit). ``record``: keep every session's trace (memory: sessions x turns); without it only the
    outcomes are kept, which is what large benchmarks want.
    """
    n = domain.n_parties
    size = len(lineups)
    if configs is None or isinstance(configs, SessionConfig):
        configs = [configs or SessionConfig()] * size
    if len(configs) != size:
        raise AccordError(f"{len(configs)} configs for {size} sessions: give one, or one per session")
    # Sessions often share line-ups (the same objects or names): each is checked and built once.
    distinct: list[list[ScheduledStrategy]] = []
    seen: dict[tuple[object, ...], int] = {}
    which = np.empty(size, dtype=np.int64)
    for b, lineup in enumerate(lineups):
        key = tuple(x if isinstance(x, str) else id(x) for x in lineup)
        w = seen.get(key)
        if w is None:
            w = seen[key] = len(distinct)
            made = strategies_for(domain, lineup, "saop")
            for player in made:
                if not (player.time_only and isinstance(player, ScheduledStrategy)):
                    raise AccordError(
                        f"the batch engine plays time-only strategies; '{player.name}' "
                        "reacts to offers: run it with run_session"
                    )
            distinct.append(made)  # type: ignore[arg-type]
        which[b] = w
    for c in configs:
        if c.time_limit is not None or c.n_rounds is None or c.protocol != "saop":
            raise AccordError("the batch engine runs SAOP with a deadline in rounds only (no time_limit)")
    n_turns = np.array([c.n_rounds for c in configs], dtype=np.int64) * n
    t_max = int(n_turns.max()) if size else 0
    offer_tab, threshold_tab, group = _tables(domain, distinct, which, n_turns, t_max)
    # A last entry REFUSED: index -1 (nothing on the table) is never accepted.
    effective = [np.append(v.effective, REFUSED) for v in domain.views]

    standing = np.full(size, -1, dtype=np.int64)
    accepts = np.zeros(size, dtype=np.int64)
    agreement = np.full(size, -1, dtype=np.int64)
    last_turn = n_turns - 1
    reason = np.zeros(size, dtype=np.int8)
    alive = np.ones(size, dtype=bool)
    actions = np.full((size, t_max), -1, dtype=np.int8) if record else None
    packages = np.full((size, t_max), -1, dtype=np.int64) if record else None
    idx = np.arange(size)
    deadlines = np.unique(n_turns)
    for k in range(t_max):
        if k in deadlines:
            idx = idx[n_turns[idx] > k]
        if not len(idx):
            break
        p = k % n
        g = group[p][idx]
        s = standing[idx]
        acc = effective[p][s] >= threshold_tab[p][g, k]
        ia = idx[acc]
        io = idx[~acc]
        new = offer_tab[p][g[~acc], k]
        ends = new < 0
        ie = io[ends]
        iof = io[~ends]
        placed = new[~ends]
        if len(ia):
            accepts[ia] += 1
            done = ia[accepts[ia] == n - 1]
            agreement[done] = standing[done]
            reason[done] = _AGREEMENT
            last_turn[done] = k
            alive[done] = False
        if len(ie):
            reason[ie] = _ENDED
            last_turn[ie] = k
            alive[ie] = False
        standing[iof] = placed
        accepts[iof] = 0
        if n == 1:
            agreement[iof] = placed
            reason[iof] = _AGREEMENT
            last_turn[iof] = k
            alive[iof] = False
        if actions is not None and packages is not None:
            actions[ia, k] = ACCEPT
            packages[ia, k] = standing[ia]
            actions[ie, k] = END
            actions[iof, k] = OFFER
            packages[iof, k] = placed
        if len(ia) or len(ie) or n == 1:
            idx = idx[alive[idx]]
    labels = tuple(tuple(s.label for s in lineup) for lineup in distinct)
    return BatchResult(domain, labels, which, tuple(configs), agreement, last_turn, reason, actions, packages)
