"""Tournaments: scenarios x strategy assignments x seeds, as tidy records.

As Mesa's ``batch_run``: the grid is expanded in a fixed order, every session has an id and a
seed, and the result is a flat list of records (one per session x party) that becomes a
DataFrame in one line. Records carry the metrics the ANAC community reports (Baarslag et al.
2013, "Evaluating practical negotiating agents: results and analysis of the 2011 international
competition", *Artificial Intelligence* 198): agreement, utility, gain over the reservation
value, social welfare, distance to the Pareto frontier and to the Nash point, rounds.

Large tournaments run on every core (processes), or on a Dask cluster when given a
``distributed.Client`` (docs/distributed.md); the records do not depend on the number of
workers nor on where a session runs: each session's seed is fixed by its place in the grid, and
records are sorted by id.
"""

from __future__ import annotations

import csv
import itertools
import math
import multiprocessing as mp
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from ..analysis import AnalysisConfig, analyze
from ..distributed import map_chunks, n_threads
from ..errors import AccordError
from ..model import Scenario
from .batch import run_batch
from .domain import Domain, build_domain
from .session import run_session
from .strategies import Strategy, make_strategy
from .trace import Outcome, Protocol, SessionConfig

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["FIELDS", "TournamentConfig", "TournamentResult", "run_tournament"]

Record = dict[str, Any]

FIELDS = (
    "scenario",
    "session",
    "seed",
    "assignment",
    "party",
    "strategy",
    "agreement",
    "utility",
    "reservation_value",
    "gain",
    "social_welfare",
    "pareto_distance",
    "nash_distance",
    "rounds",
    "time",
    "reason",
)
"""The columns of a tournament record, in order."""


@dataclass(frozen=True, kw_only=True)
class TournamentConfig:
    """How a tournament runs.

    ``n_seeds`` sessions per scenario and assignment, with seeds ``seed, seed + 1, ...``.
    ``n_rounds``: each session's deadline. ``assignments``: ``"all"`` plays every ordered
    assignment of strategies to parties (k^n for k strategies and n parties, self-play included);
    ``"cyclic"`` plays k assignments, party j of assignment i getting strategy (i + j) mod k.
    ``workers``: processes (None: every core when the tournament is large enough to gain, 1: in
    this process). ``max_sessions``: a guard against grids larger than meant. ``engine``:
    ``"auto"`` runs tournaments of time-only strategies on the batch engine (same records, much
    faster) and others one session at a time; ``"plain"`` always one session at a time.
    ``protocol``: ``"saop"``, ``"mopac"`` (with ``quorum``) or ``"mediated"`` (with the default
    mediator); only SAOP tournaments run on the batch engine. In MOPAC a record's ``agreement``
    says whether that party is bound by an agreement (possibly a partial one). ``chunk``:
    sessions per task (None: chosen from the size of the tournament and the workers); the
    records do not depend on it.
    """

    n_seeds: int = 1
    seed: int = 0
    n_rounds: int = 100
    assignments: Literal["all", "cyclic"] = "all"
    workers: int | None = None
    max_sessions: int = 1_000_000
    engine: Literal["auto", "plain"] = "auto"
    protocol: Protocol = "saop"
    quorum: float = 0.5
    chunk: int | None = None

    def __post_init__(self) -> None:
        if self.n_seeds < 1:
            raise AccordError(f"n_seeds must be at least 1, got {self.n_seeds}")
        if self.n_rounds < 1:
            raise AccordError(f"n_rounds must be at least 1, got {self.n_rounds}")
        if self.assignments not in ("all", "cyclic"):
            raise AccordError(f"assignments must be 'all' or 'cyclic', got '{self.assignments}'")
        if self.engine not in ("auto", "plain"):
            raise AccordError(f"engine must be 'auto' or 'plain', got '{self.engine}'")
        if self.workers is not None and self.workers < 1:
            raise AccordError(f"workers must be at least 1, got {self.workers}")
        if self.chunk is not None and self.chunk < 1:
            raise AccordError(f"chunk must be at least 1, got {self.chunk}")
        self.session_config(0)  # validates protocol and quorum

    def session_config(self, seed: int) -> SessionConfig:
        """The configuration of one session of this tournament."""
        return SessionConfig(n_rounds=self.n_rounds, seed=seed, protocol=self.protocol, quorum=self.quorum)


@dataclass(frozen=True)
class Reference:
    """What a scenario's outcomes are measured against: its Pareto frontier (utilities of the
    packages every party accepts) and its Nash point, from :func:`accord.analyze`."""

    frontier: np.ndarray
    nash: np.ndarray | None

    @staticmethod
    def of(scenario: Scenario) -> Reference:
        result = analyze(scenario, config=AnalysisConfig(count=False, blockers=False, trades=False))
        ids = result.scenario.party_ids
        nash = None if result.nash is None else np.array([result.nash.utilities[p] for p in ids])
        return Reference(np.asarray(result.frontier.utilities, dtype=np.float64), nash)

    def distances(self, utilities: Sequence[float]) -> tuple[float | None, float | None]:
        u = np.asarray(utilities, dtype=np.float64)
        pareto = float(np.sqrt(((self.frontier - u) ** 2).sum(axis=1)).min()) if len(self.frontier) else None
        nash = None if self.nash is None else float(np.sqrt(((self.nash - u) ** 2).sum()))
        return pareto, nash


@dataclass(frozen=True)
class Session:
    """One cell of the grid."""

    id: int
    scenario: int
    assignment: tuple[int, ...]
    seed: int


def records_of(
    d: Domain, o: Outcome, session: Session, labels: Sequence[str], reference: Reference
) -> list[Record]:
    """The tidy records (one per party) of a finished session."""
    utilities = tuple(o.utilities.values())  # in the order of the parties, as the frontier's columns
    pareto, nash = reference.distances(utilities)
    welfare = float(sum(utilities))
    out = []
    for p, view in enumerate(d.views):
        out.append(
            {
                "scenario": d.scenario.id,
                "session": session.id,
                "seed": session.seed,
                "assignment": "/".join(labels[i] for i in session.assignment),
                "party": view.id,
                "strategy": labels[session.assignment[p]],
                "agreement": o.agreement_of(p) is not None,
                "utility": utilities[p],
                "reservation_value": view.reservation,
                "gain": utilities[p] - view.reservation,
                "social_welfare": welfare,
                "pareto_distance": pareto,
                "nash_distance": nash,
                "rounds": o.rounds,
                "time": o.time,
                "reason": o.reason,
            }
        )
    return out


@dataclass
class _Worker:
    scenarios: Sequence[Scenario]
    strategies: Sequence[Strategy]
    references: Sequence[Reference]
    config: TournamentConfig
    batched: bool
    domains: dict[int, Domain] = field(default_factory=dict)

    def domain(self, s: int) -> Domain:
        found = self.domains.get(s)
        if found is None:
            found = self.domains[s] = build_domain(self.scenarios[s])
        return found

    def run(self, sessions: Sequence[Session]) -> list[Record]:
        labels = [s.label for s in self.strategies]
        if self.batched:
            return self._run_batched(sessions, labels)
        out: list[Record] = []
        for cell in sessions:
            domain = self.domain(cell.scenario)
            players = [self.strategies[i].clone() for i in cell.assignment]
            result = run_session(domain, players, self.config.session_config(cell.seed))
            out.extend(records_of(domain, result.outcome, cell, labels, self.references[cell.scenario]))
        return out

    def _run_batched(self, sessions: Sequence[Session], labels: Sequence[str]) -> list[Record]:
        """Time-only strategies: each scenario's sessions at once on the batch engine, whose
        outcomes equal the one-session engine's (tests/simulation/test_batch.py)."""
        out: list[Record] = []
        for s in sorted({c.scenario for c in sessions}):
            cells = [c for c in sessions if c.scenario == s]
            domain = self.domain(s)
            lineups = [[self.strategies[i] for i in c.assignment] for c in cells]
            configs = [self.config.session_config(c.seed) for c in cells]
            batch = run_batch(domain, _distinct_lineups(lineups), configs, record=False)
            for b, cell in enumerate(cells):
                out.extend(records_of(domain, batch.outcome(b), cell, labels, self.references[s]))
        return out


def _distinct_lineups(lineups: list[list[Strategy]]) -> list[list[Strategy]]:
    """One list object per distinct assignment whose strategies are distinct objects (a strategy
    may play several parties of one session only as several instances)."""
    clones: dict[tuple[int, ...], list[Strategy]] = {}
    out = []
    for lineup in lineups:
        key = tuple(id(x) for x in lineup)
        if key not in clones:
            clones[key] = [x.clone() for x in lineup]
        out.append(clones[key])
    return out


_WORKER: _Worker | None = None


def _init_worker(worker: _Worker) -> None:
    global _WORKER
    _WORKER = worker


def _run_chunk(sessions: Sequence[Session]) -> list[Record]:
    assert _WORKER is not None
    return _WORKER.run(sessions)


@dataclass(frozen=True)
class _Grid:
    """What a Dask worker receives once: the scenarios, strategies and references (in
    ``worker``, which keeps the domains it builds for the next chunks) and the grid's cells."""

    worker: _Worker
    cells: tuple[Session, ...]


def _run_span(grid: _Grid, span: range) -> list[Record]:
    """A chunk on a Dask worker: the sessions ``span`` of the grid."""
    return grid.worker.run(grid.cells[span.start : span.stop])


def sessions_of(
    scenarios: Sequence[Scenario], n_strategies: int, config: TournamentConfig
) -> Iterator[Session]:
    """The grid, in order: scenario, then assignment, then seed."""
    k = n_strategies
    sid = 0
    for s, scenario in enumerate(scenarios):
        n = len(scenario.parties)
        if config.assignments == "all":
            assignments: Iterator[tuple[int, ...]] = itertools.product(range(k), repeat=n)
        else:
            assignments = (tuple((i + j) % k for j in range(n)) for i in range(k))
        for assignment in assignments:
            for r in range(config.n_seeds):
                yield Session(sid, s, assignment, config.seed + r)
                sid += 1


def _count(scenarios: Sequence[Scenario], k: int, config: TournamentConfig) -> int:
    per = (lambda n: k**n) if config.assignments == "all" else (lambda n: k)
    return sum(per(len(s.parties)) for s in scenarios) * config.n_seeds


@dataclass(frozen=True)
class TournamentResult:
    """The records of a tournament (one per session x party, sorted by session then party)."""

    records: tuple[Record, ...]
    strategies: tuple[str, ...]
    config: TournamentConfig

    @property
    def n_sessions(self) -> int:
        return len({r["session"] for r in self.records})

    def summary(self) -> list[Record]:
        """Per strategy: rows, agreement rate and means of the metrics, best mean gain first."""
        out: list[Record] = []
        for label in self.strategies:
            rows = [r for r in self.records if r["strategy"] == label]
            if not rows:
                continue

            def mean(key: str, rows: list[Record] = rows) -> float | None:
                values = [r[key] for r in rows if r[key] is not None]
                return float(np.mean(values)) if values else None

            out.append(
                {
                    "strategy": label,
                    "rows": len(rows),
                    "agreement_rate": mean("agreement"),
                    "utility": mean("utility"),
                    "gain": mean("gain"),
                    "social_welfare": mean("social_welfare"),
                    "pareto_distance": mean("pareto_distance"),
                    "nash_distance": mean("nash_distance"),
                    "rounds": mean("rounds"),
                }
            )
        out.sort(key=lambda r: -(r["gain"] if r["gain"] is not None else -math.inf))
        return out

    def to_csv(self, path: str | Path) -> None:
        """Write the records as CSV (empty cells where a distance is undefined)."""
        with open(path, "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=FIELDS)
            writer.writeheader()
            for r in self.records:
                writer.writerow({k: "" if r[k] is None else r[k] for k in FIELDS})


def run_tournament(
    scenarios: Sequence[Scenario],
    strategies: Sequence[Strategy | str],
    config: TournamentConfig | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
    client: Client | None = None,
) -> TournamentResult:
    """Play every scenario x strategy assignment x seed and return tidy records.

    ``strategies`` are registry names (``"boulware"``, ``"time-based(e=3)"``) or instances
    (cloned for every session). ``progress(done, total)`` is called as sessions finish.
    ``client``: a ``distributed.Client``; the sessions then run in chunks on its cluster
    (``config.workers`` is not used), with the same records as in this process.
    """
    config = config or TournamentConfig()
    players = [make_strategy(s) for s in strategies]
    labels = [s.label for s in players]
    if not players:
        raise AccordError("a tournament needs at least one strategy")
    if len(set(labels)) != len(labels):
        twice = sorted({x for x in labels if labels.count(x) > 1})
        raise AccordError(f"strategies named twice: {', '.join(twice)}; give each once")
    if not scenarios:
        raise AccordError("a tournament needs at least one scenario")
    total = _count(scenarios, len(players), config)
    if total > config.max_sessions:
        raise AccordError(
            f"{total:,} sessions exceed max_sessions ({config.max_sessions:,}); use "
            "assignments='cyclic', fewer strategies or seeds, or raise the limit"
        )
    references = [Reference.of(s) for s in scenarios]
    for s in scenarios:
        build_domain(s)  # fail early, here, if a scenario is too large to enumerate
    batched = config.engine == "auto" and config.protocol == "saop" and all(s.time_only for s in players)
    worker = _Worker(scenarios, players, references, config, batched)
    cells = list(sessions_of(scenarios, len(players), config))
    if client is not None:
        return _run_on_cluster(client, worker, cells, config, progress)
    workers = config.workers
    if workers is None:
        workers = min(os.cpu_count() or 1, 8) if total >= 400 else 1
    chunk = config.chunk or max(1, min(200, math.ceil(total / (workers * 8))))
    chunks = [cells[i : i + chunk] for i in range(0, total, chunk)]
    records: list[Record] = []
    done = 0
    if workers == 1:
        for part in chunks:
            records.extend(worker.run(part))
            done += len(part)
            if progress:
                progress(done, total)
    else:
        methods = mp.get_all_start_methods()
        context = mp.get_context("fork" if "fork" in methods else "spawn")
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=_init_worker, initargs=(worker,)
        ) as pool:
            futures = {pool.submit(_run_chunk, part): len(part) for part in chunks}
            for future in as_completed(futures):
                records.extend(future.result())
                done += futures[future]
                if progress:
                    progress(done, total)
    records.sort(key=lambda r: r["session"])  # stable: parties stay in order within a session
    return TournamentResult(tuple(records), tuple(labels), config)


def _run_on_cluster(
    client: Client,
    worker: _Worker,
    cells: list[Session],
    config: TournamentConfig,
    progress: Callable[[int, int], None] | None,
) -> TournamentResult:
    """The grid in chunks on a Dask cluster: eight chunks per worker thread (so that a slow
    or lost worker delays little), at most 2,000 sessions each."""
    total = len(cells)
    chunk = config.chunk or max(1, min(2000, math.ceil(total / (n_threads(client) * 8))))
    spans = [range(i, min(total, i + chunk)) for i in range(0, total, chunk)]
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, total)

    records: list[Record] = []
    grid = _Grid(worker, tuple(cells))
    for part in map_chunks(
        client, _run_span, grid, spans, sizes=[len(s) for s in spans], progress=advance, name="tournament"
    ):
        records.extend(part)
    records.sort(key=lambda r: r["session"])
    return TournamentResult(tuple(records), tuple(s.label for s in worker.strategies), config)
