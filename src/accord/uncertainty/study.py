"""Monte Carlo robustness: how often each package of interest stays acceptable when the
uncertain inputs of a scenario are drawn from their ranges and distributions.

All samples are drawn from one seeded :class:`numpy.random.Generator` (no global state), in
chunks whose size bounds memory; the chunks are evaluated on worker threads (numpy releases the
GIL) and combined in order, so the result depends only on the scenario, ``samples`` and
``seed``: not on the chunk size or the number of workers.

Given a ``distributed.Client``, the same chunks are evaluated on a Dask cluster
(docs/distributed.md): each task draws its own samples by advancing the generator to its first
sample, and the client combines the chunks' sums in the same order, so the result is the same,
byte for byte, as in one process.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from ..analysis import AnalysisConfig, analyze
from ..analysis.analyze import Analysis
from ..analysis.pareto import pareto_frontier
from ..analysis.space import TOL, Space, canonical_keys
from ..distributed import map_chunks, n_threads, split
from ..errors import AnalysisError
from ..model import OptionValue, Scenario
from ._solve import HALF_TOL, SOLUTIONS, resolve
from .inputs import UncertainInput, uncertain_inputs
from .sensitivity import Sensitivity, sensitivity
from .utilities import UtilityModel

if TYPE_CHECKING:
    from distributed import Client

__all__ = [
    "SOLUTIONS",
    "PackageRobustness",
    "Robustness",
    "RobustnessConfig",
    "SolutionStability",
    "robustness",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
JSON = dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class RobustnessConfig:
    """Limits of a robustness run; none of them changes the result except as said.

    ``max_candidates``: packages with the largest nominal smallest gain (``min_i u_i - r_i``)
    kept as candidates, besides the nominal frontier, the bargaining solutions and the packages
    named. ``max_scan``: packages scanned at most to find them (above it only the frontier, the
    solutions, the closest package and the named packages are candidates). ``top``: most robust
    packages reported. ``chunk_values``: utilities held at once (samples x candidates x parties),
    which bounds memory. ``workers``: threads evaluating chunks. ``bins``: histogram bins per
    party for the worst-decile gain. ``resolve_all``: re-solve the bargaining solutions on every
    candidate in every sample, instead of on the candidates that are Pareto-optimal at the
    nominal inputs, at the ends and corners of the ranges, or in the first ``pilot`` samples
    (:func:`resolve_set`; the same answer, checked on the flagship, in less time). ``pilot``:
    samples drawn to find that set (0: none). ``task_samples``: samples per task on a Dask
    cluster (None: eight tasks per worker thread); a task holds whole chunks, and the result
    does not depend on it.
    """

    max_candidates: int = 1024
    max_scan: int = 5_000_000
    top: int = 5
    chunk_values: int = 1 << 20
    workers: int = 2
    bins: int = 1 << 14
    resolve_all: bool = False
    pilot: int = 128
    task_samples: int | None = None

    def __post_init__(self) -> None:
        least = {"max_candidates": 0, "max_scan": 0, "top": 0, "pilot": 0}
        least |= {"chunk_values": 1, "workers": 1, "bins": 1}
        for name, low in least.items():
            _check_int(name, getattr(self, name), low)
        if self.task_samples is not None:
            _check_int("task_samples", self.task_samples, 1)
        if not isinstance(self.resolve_all, bool):
            raise AnalysisError(
                f"RobustnessConfig.resolve_all must be true or false, got {self.resolve_all!r}"
            )


def _check_int(name: str, value: object, low: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise AnalysisError(f"RobustnessConfig.{name} must be a whole number, got {value!r}")
    if value < low:
        raise AnalysisError(f"RobustnessConfig.{name} must be at least {low}, got {value}")


def _round(x: float) -> float:
    return round(float(x), 9) + 0.0


@dataclass(frozen=True)
class PackageRobustness:
    """How one package fares over the samples.

    ``labels`` say why it is reported (``nash``, ``named``, ``robust``...). ``p_all_accept`` is
    the share of samples in which every party accepts it; ``p_accept`` per party;
    ``expected_gain`` the mean of ``u_i - r_i`` and ``worst_decile_gain`` its 10th percentile.
    """

    package: dict[str, OptionValue]
    labels: tuple[str, ...]
    p_all_accept: float
    p_accept: dict[str, float]
    expected_gain: dict[str, float]
    worst_decile_gain: dict[str, float]
    nominal_utilities: dict[str, float]
    nominal_acceptable: bool

    def to_dict(self) -> JSON:
        return {
            "package": self.package,
            "labels": list(self.labels),
            "p_all_accept": self.p_all_accept,
            "p_accept": self.p_accept,
            "expected_gain": self.expected_gain,
            "worst_decile_gain": self.worst_decile_gain,
            "nominal_utilities": self.nominal_utilities,
            "nominal_acceptable": self.nominal_acceptable,
        }


@dataclass(frozen=True)
class SolutionStability:
    """How often a bargaining solution, re-solved in each sample on the candidate set, is the
    nominal package; how often no candidate is acceptable to all; and the packages it most
    often becomes (``[(package, share), ...]``, largest share first)."""

    solution: str
    package: dict[str, OptionValue] | None
    p_same: float
    p_no_agreement: float
    most_frequent: tuple[tuple[dict[str, OptionValue], float], ...]

    def to_dict(self) -> JSON:
        return {
            "solution": self.solution,
            "package": self.package,
            "p_same": self.p_same,
            "p_no_agreement": self.p_no_agreement,
            "most_frequent": [{"package": p, "share": s} for p, s in self.most_frequent],
        }


@dataclass(frozen=True)
class Robustness:
    """Everything :func:`robustness` finds. ``to_dict()`` is the ``accord robustness --json``
    output (see docs/uncertainty.md)."""

    scenario: Scenario
    samples: int
    seed: int
    inputs: tuple[UncertainInput, ...]
    candidates: JSON
    packages: tuple[PackageRobustness, ...]
    most_robust: PackageRobustness | None
    solutions: tuple[SolutionStability, ...]
    sensitivity: Sensitivity
    analysis: Analysis
    notes: tuple[str, ...] = field(default=())
    # Per point of ``analysis.frontier`` (same order): the share of samples in which every
    # party accepts it; what a recommendation under uncertainty ranks.
    frontier_p_all: tuple[float, ...] = field(default=())

    def to_dict(self) -> JSON:
        return {
            "scenario": self.scenario.id,
            "samples": self.samples,
            "seed": self.seed,
            "parties": list(self.scenario.party_ids),
            "inputs": [_input_dict(x, self.scenario) for x in self.inputs],
            "candidates": self.candidates,
            "packages": [p.to_dict() for p in self.packages],
            "most_robust": None if self.most_robust is None else self.most_robust.to_dict(),
            "solutions": [s.to_dict() for s in self.solutions],
            "sensitivity": self.sensitivity.to_dict(),
            "notes": list(self.notes),
        }


def _input_dict(x: UncertainInput, scenario: Scenario) -> JSON:
    return {
        "name": x.name,
        "kind": x.kind,
        "party": scenario.parties[x.party].id,
        "nominal": x.nominal,
        "low": _round(x.low),
        "high": _round(x.high),
        "distribution": x.description,
        "rationale": x.number.rationale,
    }


# -- sampling ----------------------------------------------------------------------------------


def sample_chunks(
    inputs: Sequence[UncertainInput], samples: int, seed: int, chunk: int
) -> Iterator[FloatArray]:
    """Input values (n x inputs) chunk by chunk: one uniform per input and sample, in order,
    from ``numpy.random.default_rng(seed)``, mapped through each input's quantile function.
    The concatenation of the chunks does not depend on ``chunk``."""
    rng = np.random.default_rng(seed)
    for start in range(0, samples, chunk):
        n = min(chunk, samples - start)
        yield _values(inputs, rng.random((n, len(inputs))))


def _values(inputs: Sequence[UncertainInput], u: FloatArray) -> FloatArray:
    values = np.empty_like(u)
    for col, x in enumerate(inputs):
        values[:, col] = x.quantile(u[:, col])
    return values


def sample_span(inputs: Sequence[UncertainInput], span: range, seed: int, chunk: int) -> Iterator[FloatArray]:
    """The chunks :func:`sample_chunks` yields for the samples in ``span`` (whose start is a
    multiple of ``chunk``), drawn without drawing the samples before it: the generator
    (PCG64, one 64-bit output per double) is advanced past the ``span.start x inputs``
    uniforms first (``PCG64.advance``, O'Neill 2014, "PCG: a family of simple fast
    space-efficient statistically good algorithms for random number generation", sec. 4.3.1)."""
    bits = np.random.PCG64(seed)  # what default_rng(seed) wraps
    bits.advance(span.start * len(inputs))
    rng = np.random.Generator(bits)
    for start in range(span.start, span.stop, chunk):
        n = min(chunk, span.stop - start)
        yield _values(inputs, rng.random((n, len(inputs))))


def _spans(samples: int, chunk: int, config: RobustnessConfig, client: Client) -> list[range]:
    """The samples in contiguous spans of whole chunks, one span per task."""
    n_chunks = -(-samples // chunk)
    per_task = config.task_samples
    parts = n_threads(client) * 8 if per_task is None else -(-samples // max(1, per_task))
    return [
        range(g.start * chunk, min(samples, g.stop * chunk)) for g in split(n_chunks, min(parts, n_chunks))
    ]


def _parallel(values: Iterator[FloatArray], work: Callable[[FloatArray], Any], workers: int) -> Iterator[Any]:
    """``work`` on each chunk, on ``workers`` threads, results in chunk order, at most
    ``workers + 1`` chunks in flight (bounded memory)."""
    if workers <= 1:
        for v in values:
            yield work(v)
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending: deque[Future[Any]] = deque()
        for v in values:
            pending.append(pool.submit(work, v))
            if len(pending) > workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


# -- candidates --------------------------------------------------------------------------------


def _rows(space: Space, packages: Sequence[Mapping[str, OptionValue]]) -> IntArray:
    return np.array([space.indices(p) for p in packages], dtype=np.int64).reshape(-1, len(space.sizes))


def _top_by_slack(space: Space, keep: int) -> IntArray:
    """The ``keep`` red-line-free packages with the largest nominal smallest gain (ties: the
    canonically first), found by scanning every package in chunks."""
    sizes = np.array(space.sizes, dtype=np.int64)
    n = space.n_packages
    floor = space.reservation
    best = np.zeros((0, len(sizes)), dtype=np.int64)
    best_slack = np.zeros(0)
    chunk = 1 << 16
    for start in range(0, n, chunk):
        flat = np.arange(start, min(n, start + chunk), dtype=np.int64)
        x = np.empty((len(flat), len(sizes)), dtype=np.int64)
        for i in reversed(range(len(sizes))):
            x[:, i] = flat % sizes[i]
            flat //= sizes[i]
        u, _, allowed = space.evaluate(x)
        slack = np.rint((u - floor) / TOL).min(axis=1)  # floats: no overflow
        x, slack = np.concatenate([best, x[allowed]]), np.concatenate([best_slack, slack[allowed]])
        if len(x) > keep:
            keys = canonical_keys(space, x)
            order = np.lexsort((*(keys[:, j] for j in reversed(range(keys.shape[1]))), -slack))[:keep]
            x, slack = x[order], slack[order]
        best, best_slack = x, slack
    return best


def _candidates(
    space: Space, result: Analysis, named: IntArray, config: RobustnessConfig
) -> tuple[IntArray, JSON]:
    parts = [result.frontier.options, named]
    described = [f"the nominal Pareto frontier ({len(result.frontier)} packages)"]
    solutions = [getattr(result, name) for name in SOLUTIONS]
    chosen = [s.options for s in solutions if s is not None]
    parts.append(np.array(chosen, dtype=np.int64).reshape(-1, len(space.sizes)))
    if result.closest_package is not None:
        parts.append(_rows(space, [result.closest_package]))
    if space.n_packages <= config.max_scan:
        top = _top_by_slack(space, config.max_candidates)
        parts.append(top)
        described.append(
            f"the {len(top)} red-line-free packages with the largest nominal smallest "
            "gain over the reservation values"
        )
    else:
        described.append(
            f"(the space of {space.n_packages:,} packages is above max_scan "
            f"{config.max_scan:,}, so no further packages were scanned)"
        )
    described.append("the nominal bargaining solutions, the closest package and the packages named")
    options = np.unique(np.concatenate(parts), axis=0)
    keys = canonical_keys(space, options)
    options = options[np.lexsort(tuple(keys[:, j] for j in reversed(range(keys.shape[1]))))]
    n_acceptable = int(np.sum(_nominal_ok(space, options)))
    return options, {
        "count": len(options),
        "nominally_acceptable": n_acceptable,
        "searched": "; ".join(described),
    }


def _nominal_ok(space: Space, options: IntArray) -> BoolArray:
    _, q, allowed = space.evaluate(options)
    ok: BoolArray = allowed & np.all(q >= space.floor_q, axis=1)
    return ok


# -- the run -----------------------------------------------------------------------------------


@dataclass
class _Totals:
    all_accept: IntArray
    accept: IntArray
    gain: FloatArray
    chosen: dict[str, IntArray]
    samples: int


def resolve_set(
    model: UtilityModel, inputs: Sequence[UncertainInput], seed: int, pilot: int, always: IntArray
) -> IntArray:
    """The candidates the bargaining solutions are re-solved on, in canonical order.

    Every solution is Pareto-optimal among the candidates in its own sample (a package that
    another candidate dominates is accepted only if that one is too, and loses to it on every
    objective and on the tie-break), and the reservation values do not move the frontier. So
    the set is the union of the candidates' Pareto frontiers in utility space at: the nominal
    inputs, each input's low and high end with the others nominal, every corner of the ranges
    of the inputs that move utilities (at most 64 corners; random ones beyond), and the first
    ``pilot`` samples; plus ``always`` (the nominal solutions). Candidates that cross a red line
    are left out: no one of them is ever acceptable to all.
    """
    base = model.nominal
    points = [base[None, :]]
    for col, x in enumerate(inputs):
        for end in (x.low, x.high):
            row = base.copy()
            row[col] = end
            points.append(row[None, :])
    moving = [col for col, x in enumerate(inputs) if x.kind not in ("reservation", "power")]
    if moving:
        rng = np.random.default_rng([seed, 1])
        n = min(64, 2 ** len(moving))
        corners = (
            (np.arange(n)[:, None] >> np.arange(len(moving))[None, :]) & 1
            if n == 2 ** len(moving)
            else rng.integers(0, 2, (n, len(moving)))
        )
        rows = np.repeat(base[None, :], n, axis=0)
        for m, col in enumerate(moving):
            rows[:, col] = np.where(corners[:, m] == 1, inputs[col].high, inputs[col].low)
        points.append(rows)
    if pilot > 0:
        points.extend(sample_chunks(inputs, pilot, seed, pilot))
    u, _, _ = model.evaluate(np.concatenate(points))
    clean = np.flatnonzero(model.allowed.all(axis=0))
    keep = set(always.tolist())
    for i in range(u.shape[1]):
        keep.update(clean[pareto_frontier(u[:, i, clean].T)].tolist())
    return np.array(sorted(keep), dtype=np.int64)


def _pass_stats(model: UtilityModel, values: FloatArray, subset: IntArray | None) -> _Totals:
    g, r, power = model.evaluate(values)
    g -= r.T[:, :, None]
    accept = g >= -HALF_TOL
    accept &= model.allowed[:, None, :]
    ok = np.logical_and.reduce(accept, axis=0)
    totals = ok.sum(axis=0), accept.sum(axis=1), g.sum(axis=1)
    if subset is not None:
        g, ok = g[:, :, subset], ok[:, subset]
    chosen = resolve(g, r, power, ok)
    c = model.n_candidates
    if subset is not None:
        chosen = {
            k: np.where(v >= 0, subset[np.maximum(v, 0)] if len(subset) else -1, -1)
            for k, v in chosen.items()
        }
    counts = {k: np.bincount(v + 1, minlength=c + 1).astype(np.int64) for k, v in chosen.items()}
    return _Totals(*totals, counts, len(values))


@dataclass(frozen=True)
class _PassTask:
    """What every task of the first pass needs: shipped once per worker."""

    model: UtilityModel
    subset: IntArray | None
    seed: int
    chunk: int


@dataclass
class _SpanTotals:
    """A task's totals: the counts summed (integers, so the order does not matter) and the
    sums of gains kept per chunk, to be added up in chunk order as in one process."""

    totals: _Totals
    gains: FloatArray  # (chunks x parties x candidates)


def _pass_span(task: _PassTask, span: range) -> _SpanTotals:
    parts = [
        _pass_stats(task.model, v, task.subset)
        for v in sample_span(task.model.inputs, span, task.seed, task.chunk)
    ]
    first = parts[0]
    for part in parts[1:]:
        first.all_accept += part.all_accept
        first.accept += part.accept
        for name in SOLUTIONS:
            first.chosen[name] += part.chosen[name]
        first.samples += part.samples
    return _SpanTotals(first, np.stack([part.gain for part in parts]))


def _gain_bounds(
    model: UtilityModel, inputs: Sequence[UncertainInput], space: Space
) -> tuple[FloatArray, FloatArray]:
    """Bounds of every party's gain over all samples, for the histogram of gains."""
    k = space.n_parties
    lo, hi = np.zeros(k), np.ones(k)
    for term in space.terms:
        if not term.is_red_line:
            lo[term.party] += min(0.0, term.value)
            hi[term.party] += max(0.0, term.value)
    r_lo, r_hi = space.reservation.copy(), space.reservation.copy()
    for x in inputs:
        a, b = (x.quantile(np.array([1e-12]))[0], x.quantile(np.array([1 - 1e-12]))[0])
        a, b = max(a, x.number.support[0]), min(b, x.number.support[1])
        if x.kind == "interaction":
            lo[x.party] += min(0.0, a) - min(0.0, x.nominal)
            hi[x.party] += max(0.0, b) - max(0.0, x.nominal)
        elif x.kind == "reservation":
            r_lo[x.party], r_hi[x.party] = a, b
    return lo - r_hi - TOL, hi - r_lo + TOL


@dataclass(frozen=True)
class _Histogram:
    """The histogram of gains of the reported packages: bounds, bin width and bin count per
    party (and, on a cluster, what every task needs to draw its samples)."""

    model: UtilityModel
    lo: FloatArray
    width: FloatArray
    bins: int
    seed: int = 0
    chunk: int = 1

    def counts(self, values: FloatArray) -> IntArray:
        """(parties x packages*bins) counts of the samples ``values``."""
        c, k, bins = self.model.n_candidates, len(self.lo), self.bins
        u, r, _ = self.model.evaluate(values)
        g = u - r.T[:, :, None]
        out = np.empty((k, c * bins), dtype=np.int64)
        for p in range(k):
            b = np.clip(((g[p] - self.lo[p]) / self.width[p]).astype(np.int64), 0, bins - 1)
            out[p] = np.bincount((b + np.arange(c)[None, :] * bins).ravel(), minlength=c * bins)
        return out


def _histogram_span(task: _Histogram, span: range) -> IntArray:
    """A task's counts, summed over its chunks (integers: the order does not matter)."""
    out = np.zeros((len(task.lo), task.model.n_candidates * task.bins), dtype=np.int64)
    for values in sample_span(task.model.inputs, span, task.seed, task.chunk):
        out += task.counts(values)
    return out


def _worst_decile(
    model: UtilityModel,
    inputs: Sequence[UncertainInput],
    space: Space,
    samples: int,
    seed: int,
    config: RobustnessConfig,
    progress: Callable[[int], None],
    client: Client | None = None,
) -> FloatArray:
    """The 10th percentile of each party's gain (parties x packages), from a fixed histogram
    per party and package, so memory does not grow with the samples."""
    lo, hi = _gain_bounds(model, inputs, space)
    bins, c, k = config.bins, model.n_candidates, space.n_parties
    width = (hi - lo) / bins
    chunk = max(1, config.chunk_values // max(1, c * k))
    task = _Histogram(model, lo, width, bins, seed, chunk)
    hist = np.zeros((k, c * bins), dtype=np.int64)
    if client is not None:
        spans = _spans(samples, chunk, config, client)
        for part in map_chunks(
            client,
            _histogram_span,
            task,
            spans,
            sizes=[len(s) for s in spans],
            progress=progress,
            name="robustness-decile",
        ):
            hist += part
    else:
        for n, part in _parallel(
            sample_chunks(inputs, samples, seed, chunk), lambda v: (len(v), task.counts(v)), config.workers
        ):
            hist += part
            progress(n)
    cum = np.cumsum(hist.reshape(k, c, bins), axis=2)
    target = 0.1 * samples
    idx = np.argmax(cum >= target, axis=2)  # (k, c): the bin holding the 10th percentile
    before = np.where(idx > 0, np.take_along_axis(cum, np.maximum(idx - 1, 0)[:, :, None], 2)[:, :, 0], 0)
    inside = np.take_along_axis(hist.reshape(k, c, bins), idx[:, :, None], 2)[:, :, 0]
    frac = np.clip((target - before) / np.maximum(inside, 1), 0.0, 1.0)
    out: FloatArray = lo[:, None] + (idx + frac) * width[:, None]
    return out


def robustness(
    scenario: Scenario,
    *,
    samples: int,
    seed: int,
    packages: Sequence[Mapping[str, OptionValue] | str] | None = None,
    config: RobustnessConfig | None = None,
    progress: Callable[[int, int], None] | None = None,
    client: Client | None = None,
) -> Robustness:
    """Monte Carlo robustness of a scenario whose numbers carry ranges or distributions.

    The nominal scenario (every number at its ``value``) is analysed exactly; then ``samples``
    draws of all uncertain inputs (seeded by ``seed``) are evaluated on a bounded candidate set:
    the nominal frontier, the nominal bargaining solutions, the packages named in ``packages``
    (mappings or ``'issue=option,...'`` text) and the ``max_candidates`` red-line-free packages
    with the largest nominal smallest gain. Reported: per package of interest the probability
    that every party (and each party) accepts, the expected and worst-decile gains; the most
    robust package; how often each bargaining solution, re-solved per sample on the candidates,
    stays the nominal package; and the one-at-a-time sensitivity of the nominal Nash package
    (tornado and thresholds, see :mod:`accord.uncertainty.sensitivity`).
    ``progress(done, total)`` is called as samples are evaluated (twice over: both passes).
    ``client``: a ``distributed.Client``; the samples are then evaluated in tasks on its
    cluster (``config.workers`` is not used), with the same result as in this process. The
    nominal analysis, the candidates and the sensitivity are computed here.
    """
    if samples < 1:
        raise AnalysisError(f"samples must be at least 1, got {samples}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise AnalysisError(f"seed must be a non-negative integer, got {seed!r}")
    if len(scenario.required) < len(scenario.parties):
        # Only the signatories' acceptance is required: theirs is what is sampled.
        scenario = scenario.restricted_to(scenario.required)
    config = config or RobustnessConfig()
    inputs = uncertain_inputs(scenario)
    result = analyze(scenario, config=AnalysisConfig(count=False, trades=False))
    space = result.space
    named_packages = [scenario.package(p) for p in packages or ()]
    named = _rows(space, named_packages)
    options, candidates = _candidates(space, result, named, config)
    model = UtilityModel(space, inputs, options)
    index = {tuple(row): n for n, row in enumerate(options.tolist())}
    c, k = len(options), space.n_parties
    total_work = 2 * samples
    done = 0

    chunk = max(1, config.chunk_values // max(1, c * k))
    totals = _Totals(
        np.zeros(c, dtype=np.int64),
        np.zeros((k, c), dtype=np.int64),
        np.zeros((k, c)),
        {s: np.zeros(c + 1, dtype=np.int64) for s in SOLUTIONS},
        0,
    )
    nominal_solutions = np.array(
        [index[sol.options] for sol in (getattr(result, n) for n in SOLUTIONS) if sol is not None],
        dtype=np.int64,
    )
    subset = None if config.resolve_all else resolve_set(model, inputs, seed, config.pilot, nominal_solutions)
    candidates["resolved_on"] = c if subset is None else len(subset)

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total_work)

    if client is not None:
        spans = _spans(samples, chunk, config, client)
        for span in map_chunks(
            client,
            _pass_span,
            _PassTask(model, subset, seed, chunk),
            spans,
            sizes=[len(s) for s in spans],
            progress=advance,
            name="robustness-pass",
        ):
            totals.all_accept += span.totals.all_accept
            totals.accept += span.totals.accept
            for gain in span.gains:  # in chunk order, as in one process: the same float sums
                totals.gain += gain
            for name in SOLUTIONS:
                totals.chosen[name] += span.totals.chosen[name]
    else:
        for part in _parallel(
            sample_chunks(inputs, samples, seed, chunk),
            lambda v: _pass_stats(model, v, subset),
            config.workers,
        ):
            totals.all_accept += part.all_accept
            totals.accept += part.accept
            totals.gain += part.gain
            for name in SOLUTIONS:
                totals.chosen[name] += part.chosen[name]
            done += part.samples
            if progress is not None:
                progress(done, total_work)
    p_all = totals.all_accept / samples
    mean_gain = totals.gain / samples

    # Which packages to report: the solutions, the named ones, then the most robust.
    labels: dict[int, list[str]] = {}
    for name in SOLUTIONS:
        sol = getattr(result, name)
        if sol is not None:
            labels.setdefault(index[sol.options], []).append(name)
    for row in named.tolist():
        labels.setdefault(index[tuple(row)], []).append("named")
    ranking = np.lexsort((np.arange(c), -mean_gain.min(axis=0), -p_all))
    for j in ranking[: config.top]:
        labels.setdefault(int(j), []).append("robust")
    chosen = sorted(labels, key=lambda j: int(np.flatnonzero(ranking == j)[0]))
    picked = np.array(chosen, dtype=np.int64)
    reported = UtilityModel(space, inputs, options[picked])

    decile = _worst_decile(reported, inputs, space, samples, seed, config, advance, client)

    nominal_u, _, _ = space.evaluate(options[picked])
    nominal_ok = _nominal_ok(space, options[picked])
    parties = scenario.parties

    def vec(values: np.ndarray) -> dict[str, float]:
        return {p.id: _round(v) for p, v in zip(parties, values, strict=True)}

    rows = []
    for n, j in enumerate(chosen):
        rows.append(
            PackageRobustness(
                package=space.package(options[j]),
                labels=tuple(labels[j]),
                p_all_accept=_round(p_all[j]),
                p_accept=vec(totals.accept[:, j] / samples),
                expected_gain=vec(mean_gain[:, j]),
                worst_decile_gain=vec(decile[:, n]),
                nominal_utilities=vec(nominal_u[n]),
                nominal_acceptable=bool(nominal_ok[n]),
            )
        )
    most = next((row for row in rows if "robust" in row.labels), None)

    stability = []
    for name in SOLUTIONS:
        sol = getattr(result, name)
        counts = totals.chosen[name]
        nominal_index = None if sol is None else index[sol.options]
        order = [int(j) for j in np.argsort(-counts[1:], kind="stable")[:3] if counts[1 + j] > 0]
        stability.append(
            SolutionStability(
                solution=name,
                package=None if sol is None else sol.package,
                p_same=_round((counts[0] if nominal_index is None else counts[1 + nominal_index]) / samples),
                p_no_agreement=_round(counts[0] / samples),
                most_frequent=tuple(
                    (space.package(options[j]), _round(counts[1 + j] / samples)) for j in order
                ),
            )
        )

    notes = []
    if not inputs:
        notes.append("the scenario has no uncertain inputs: every sample is the nominal scenario")
    if result.nash is None:
        notes.append(
            "no package is acceptable to all in the nominal scenario; the sensitivity "
            "is of the closest package"
        )
    sens = sensitivity(scenario, model, inputs, result)
    return Robustness(
        scenario=scenario,
        samples=samples,
        seed=seed,
        inputs=inputs,
        candidates=candidates,
        packages=tuple(rows),
        most_robust=most,
        solutions=tuple(stability),
        sensitivity=sens,
        analysis=result,
        notes=tuple(notes),
        frontier_p_all=tuple(_round(p_all[index[tuple(row)]]) for row in result.frontier.options.tolist()),
    )
