"""accord's analysis side by side with NegMAS 0.16: time, memory and whether the answers agree.

Run ``make bench``, or ``python benchmarks/analysis_vs_negmas.py [--quick] [--json PATH]``.

What is measured, per row (see docs/benchmarks.md):

* **accord**: ``accord.analyze(scenario, config=AnalysisConfig(count=False, blockers=False,
  trades=False))``: the Pareto frontier and the Nash, Kalai-Smorodinsky, egalitarian and
  utilitarian solutions: NegMAS's share of the work. ``--full`` times the whole analysis
  instead (with the exact count of acceptable packages, blockers and trades).
* **NegMAS**: the same work done the way NegMAS's own ``calc_scenario_stats`` does it:
  ``pareto_frontier(ufuns, issues=...)``, the ufuns' ``minmax`` once, then ``nash_points``,
  ``ks_points``, ``kalai_points`` (NegMAS's egalitarian) and ``max_welfare_points``.
* **MOBANOS**: ``MOBANOSParetoSampler().init(u1, u2)``, NegMAS's exact bilateral frontier
  sampler (which its analysis functions do not use).

Every measurement runs in a fresh subprocess (``--worker``), with a wall-clock limit and an
address-space limit (``RLIMIT_AS``), so a slow or memory-hungry run is reported, never hangs or
exhausts the machine. In the subprocess the scenario is built first (not timed); then the work
is timed with ``time.perf_counter`` (best of up to ``--repeats`` runs, within a time budget);
then it is run once more under ``tracemalloc`` and the peak of traced allocations is the memory
figure (numpy's buffers are traced). The subprocess's peak RSS is also recorded in the JSON.

"Same answer?" compares the frontier utility sets (every point of each within 1e-6, max-norm,
of a point of the other; NegMAS's frontier holds only packages every party accepts, so
accord's is restricted likewise) and the Nash utility vectors when both use the same
disagreement point. NegMAS replaces a reservation value below the party's worst utility by
that worst utility; the row then says so, and accord's Nash point is instead checked against
the textbook one recomputed from NegMAS's own frontier with the declared reservation values.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from random_scenarios import (  # noqa: E402
    RandomSpec,
    accord_scenario,
    issue_sizes_for,
    negmas_from_accord,
    negmas_scenario,
)

GENIUS = Path(
    os.environ.get(
        "ACCORD_GENIUS_DATA", Path(__file__).resolve().parents[1].parent / "shared" / "data" / "genius"
    )
)
TOL = 1e-6
NEGMAS_BYTES_PER_PACKAGE_FALLBACK = 480  # the issue's figure, used only if none was measured


# -- cases ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    """One row: what to analyse and which tools to run on it."""

    name: str
    kind: str  # "random", "genius" or "flagship"
    n_parties: int
    n_packages: int
    tools: tuple[str, ...]
    issue_sizes: tuple[int, ...] = ()
    seed: int = 0
    folder: str = ""
    note: str = ""


def cases(quick: bool) -> list[Case]:
    out: list[Case] = []

    def random_row(n: int, size: int, seed: int, tools: tuple[str, ...] = ("accord", "negmas")) -> None:
        label = {2: "bilateral", 3: "three parties", 5: "five parties"}[n]
        out.append(
            Case(
                f"{label} 10^{round(math.log10(size))}",
                "random",
                n,
                size,
                tools,
                issue_sizes_for(size),
                seed,
            )
        )

    sizes = (
        {2: (10**4, 10**5), 3: (10**4,), 5: (10**4,)}
        if quick
        else {2: (10**4, 10**5, 10**6), 3: (10**4, 10**5, 10**6), 5: (10**4, 10**5, 10**6)}
    )
    for n, row_sizes in sizes.items():
        for size in row_sizes:
            random_row(n, size, seed=1000 * n + round(math.log10(size)))
    # AMPOvsCity: 1,944,000 packages as accord reads it (NegMAS 0.16 refuses the files).
    for folder, n_packages in (("Energy", 390_625), ("AMPOvsCity", 1_944_000)):
        if quick and folder != "Energy":
            continue
        out.append(
            Case(
                f"ANAC {folder}",
                "genius",
                2,
                n_packages,
                ("accord", "negmas"),
                folder=str(GENIUS / folder),
            )
        )
    # The bilateral 10^6 scenario again (same seed), against MOBANOS.
    out.append(
        Case(
            "bilateral 10^6",
            "random",
            2,
            10**6,
            ("mobanos",),
            issue_sizes_for(10**6),
            seed=1000 * 2 + 6,
            note="MOBANOS",
        )
    )
    out.append(Case("bilateral 10^12", "random", 2, 10**12, ("accord",), issue_sizes_for(10**12), seed=2012))
    out.append(Case("flagship ceasefire-2025", "flagship", 0, 0, ("accord",), folder="ceasefire-2025"))
    return out


# -- the work each tool does ----------------------------------------------------------------------
def _random_spec(case: Case) -> RandomSpec:
    return RandomSpec(case.n_parties, tuple(case.issue_sizes), case.seed)


def _accord_scenario(case: Case) -> Any:
    import accord

    if case.kind == "random":
        return accord_scenario(_random_spec(case))
    if case.kind == "genius":
        from accord.io.genius_xml import read_genius  # type: ignore[import-not-found]

        return read_genius(case.folder)
    return accord.load(case.folder)


def _negmas_scenario(case: Case) -> tuple[Any, str]:
    """The NegMAS scenario of ``case`` and a note on how it was obtained."""
    if case.kind == "random":
        return negmas_scenario(_random_spec(case)), ""
    from negmas.inout import Scenario

    try:
        loaded = Scenario.from_genius_folder(case.folder)
    except Exception as error:  # NegMAS refuses some ANAC files; fall back to accord's reading.
        refusal = f"{type(error).__name__}: {error}"
        try:
            return negmas_from_accord(_accord_scenario(case)), (
                f"NegMAS's reader refuses the files ({refusal}); NegMAS was given accord's "
                "reading of them instead"
            )
        except ImportError:
            raise RuntimeError(f"NegMAS's reader refuses the files ({refusal})") from error
    return _genius_normalised(loaded), (
        "read by NegMAS; option evaluations then divided by each issue's largest, as Genius "
        "and accord do (NegMAS's reader leaves them raw)"
    )


def _genius_normalised(scenario: Any) -> Any:
    """``scenario`` with each issue's evaluations divided by their maximum, weights by their sum."""
    from negmas.inout import Scenario
    from negmas.preferences import LinearAdditiveUtilityFunction
    from negmas.preferences.value_fun import TableFun

    ufuns = []
    for u in scenario.ufuns:
        base = u
        while not isinstance(base, LinearAdditiveUtilityFunction) and hasattr(base, "ufun"):
            base = base.ufun
        if not isinstance(base, LinearAdditiveUtilityFunction):
            raise TypeError(f"{u.name}: not a linear additive ufun ({type(u).__name__})")
        tables = []
        for issue, fun in zip(scenario.outcome_space.issues, base.values, strict=True):
            mapping = {v: float(fun(v)) for v in issue.all}
            top = max(mapping.values())
            tables.append(TableFun({k: x / top if top > 0 else 0.0 for k, x in mapping.items()}))
        total = sum(base.weights)
        ufuns.append(
            LinearAdditiveUtilityFunction(
                values=tables,
                weights=[w / total for w in base.weights],
                outcome_space=scenario.outcome_space,
                reserved_value=u.reserved_value,
                name=u.name,
            )
        )
    return Scenario(outcome_space=scenario.outcome_space, ufuns=tuple(ufuns))


def _accord_work(scenario: Any, core: bool) -> Callable[[], Any]:
    import accord
    from accord import AnalysisConfig

    # Core: the work NegMAS does (frontier and bargaining solutions), without accord's extras
    # (exact count of acceptable packages, blockers, trades).
    config = AnalysisConfig(count=False, blockers=False, trades=False) if core else AnalysisConfig()
    return lambda: accord.analyze(scenario, config=config)


def _accord_answer(scenario: Any, analysis: Any) -> dict[str, Any]:
    ids = list(scenario.party_ids)

    def vector(utilities: dict[str, float]) -> list[float]:
        return [float(utilities[p]) for p in ids]

    def solution(s: Any) -> list[float] | None:
        return None if s is None else vector(s.utilities)

    return {
        "parties": ids,
        "reservations": [float(scenario.party(p).reservation) for p in ids],
        "n_packages": int(analysis.n_packages),
        "n_acceptable": analysis.n_acceptable,
        "frontier": [vector(f.utilities) for f in analysis.pareto_frontier],
        "nash": solution(analysis.nash),
        "kalai_smorodinsky": solution(analysis.kalai_smorodinsky),
        "egalitarian": solution(analysis.egalitarian),
        "utilitarian": solution(analysis.utilitarian),
    }


def _negmas_work(scenario: Any) -> Callable[[], Any]:
    from negmas.preferences import (
        kalai_points,
        ks_points,
        max_welfare_points,
        nash_points,
        pareto_frontier,
    )

    ufuns, space = scenario.ufuns, scenario.outcome_space

    def run() -> Any:
        frontier, _ = pareto_frontier(ufuns, issues=space.issues)
        ranges = [u.minmax(space, above_reserve=False) for u in ufuns]
        return {
            "frontier": frontier,
            "ranges": ranges,
            "nash": nash_points(ufuns, frontier, ranges=ranges),
            "kalai_smorodinsky": ks_points(ufuns, frontier, ranges=ranges),
            "egalitarian": kalai_points(ufuns, frontier, ranges=ranges),
            "utilitarian": max_welfare_points(ufuns, frontier, ranges=ranges),
        }

    return run


def _negmas_answer(scenario: Any, result: Any) -> dict[str, Any]:
    reservations = [float(u.reserved_value) for u in scenario.ufuns]
    disagreement = [
        r if math.isfinite(r) and r >= lo else lo
        for r, (lo, _) in zip(reservations, result["ranges"], strict=True)
    ]
    return {
        "parties": [u.name for u in scenario.ufuns],
        "reservations": reservations,
        "worst": [float(lo) for lo, _ in result["ranges"]],
        "disagreement": [float(x) for x in disagreement],
        "frontier": [[float(x) for x in p] for p in result["frontier"]],
        **{
            key: [[float(x) for x in p] for p, _ in result[key]]
            for key in ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian")
        },
    }


def _mobanos_work(scenario: Any) -> Callable[[], Any]:
    from negmas.preferences import MOBANOSParetoSampler

    def run() -> Any:
        sampler = MOBANOSParetoSampler()
        sampler.init(scenario.ufuns[0], scenario.ufuns[1])
        return sampler.pareto_outcomes()

    return run


def _mobanos_answer(scenario: Any, outcomes: Any) -> dict[str, Any]:
    return {
        "reservations": [float(u.reserved_value) for u in scenario.ufuns],
        "frontier": [[float(u(o)) for u in scenario.ufuns] for o in outcomes],
    }


# -- the subprocess -------------------------------------------------------------------------------
def worker(tool: str, case: Case, repeats: int, budget: float, memory: bool, core: bool, out: Path) -> None:
    """Measure ``tool`` on ``case`` and write the record to ``out`` after every phase."""
    record: dict[str, Any] = {"tool": tool, "case": case.name}

    def save() -> None:
        tmp = out.with_suffix(".tmp")
        tmp.write_text(json.dumps(record))
        tmp.replace(out)

    if tool == "accord":
        scenario = _accord_scenario(case)
        work, answer = _accord_work(scenario, core), _accord_answer
    else:
        scenario, note = _negmas_scenario(case)
        record["note"] = note
        work = _negmas_work(scenario) if tool == "negmas" else _mobanos_work(scenario)
        answer = _negmas_answer if tool == "negmas" else _mobanos_answer
    record["rss_before_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times: list[float] = []
    started = time.perf_counter()
    result = None
    while not times or (len(times) < repeats and time.perf_counter() - started < budget):
        t0 = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - t0)
        record["times"] = times
        save()
    record["rss_peak_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    record["answer"] = answer(scenario, result)
    del result
    save()
    if memory:
        tracemalloc.start()
        work()
        record["tracemalloc_peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        save()


def measure(tool: str, case: Case, args: argparse.Namespace) -> dict[str, Any]:
    """Run :func:`worker` in a fresh, time- and memory-limited subprocess."""
    limit = int(args.memory_limit_gb * 2**30)

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "record.json"
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--worker",
            tool,
            json.dumps(asdict(case)),
            str(out),
            "--repeats",
            str(args.repeats),
            "--budget",
            str(args.budget),
        ]
        if args.no_memory:
            command.append("--no-memory")
        if args.full:
            command.append("--full")
        status = ""
        try:
            done = subprocess.run(
                command,
                preexec_fn=cap,
                timeout=args.timeout,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                last = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
                status = "MemoryError" if "MemoryError" in done.stderr else last[-160:]
        except subprocess.TimeoutExpired:
            status = f"timeout after {args.timeout:g} s"
        record = json.loads(out.read_text()) if out.exists() else {"tool": tool, "case": case.name}
    if status:
        record["status"] = status
    return record


# -- comparing answers ----------------------------------------------------------------------------
def _covered(a: np.ndarray, b: np.ndarray) -> bool:
    """Every row of ``a`` is within TOL (max-norm) of some row of ``b``."""
    if len(a) == 0:
        return True
    if len(b) == 0:
        return False
    from scipy.spatial import cKDTree

    distances, _ = cKDTree(b).query(a, p=np.inf, distance_upper_bound=TOL)
    return bool(np.all(np.isfinite(distances)))


def _dominated_up_to_rounding(theirs: np.ndarray, ours: np.ndarray) -> int | None:
    """How many of ``theirs`` lie off ``ours`` but are weakly dominated, within 1e-9, by one of
    ``ours`` (NegMAS compares floats exactly, so 0.66 beats 0.6599999999999999); ``None`` if
    some point of ``theirs`` is neither on nor under ``ours``."""
    from scipy.spatial import cKDTree

    distances, _ = cKDTree(ours).query(theirs, p=np.inf, distance_upper_bound=TOL)
    extra = theirs[~np.isfinite(distances)]
    for point in extra:
        if not np.any(np.all(ours >= point - 1e-9, axis=1)):
            return None
    return len(extra)


def _acceptable(points: list[list[float]], reservations: list[float]) -> np.ndarray:
    arr = np.asarray(points, dtype=float).reshape(-1, len(reservations))
    return arr[np.all(arr >= np.asarray(reservations) - 1e-9, axis=1)]


def _textbook_nash(frontier: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Utility vectors maximising the product of gains over ``d``, among acceptable points."""
    ok = frontier[np.all(frontier >= d - 1e-9, axis=1)]
    if len(ok) == 0:
        return ok
    product = np.prod(np.clip(ok - d, 0.0, None), axis=1)
    return ok[product >= product.max() - 1e-9 * max(1.0, product.max())]


def compare(ours: dict[str, Any], theirs: dict[str, Any], mobanos: bool = False) -> str:
    """A short verdict on whether accord's answer and NegMAS's (or MOBANOS's) agree."""
    a_ans, n_ans = ours.get("answer"), theirs.get("answer")
    if not a_ans or not n_ans:
        return "—"
    n = len(a_ans["parties"])
    reservations = a_ans["reservations"]
    a_front = _acceptable(a_ans["frontier"], reservations)
    n_front = _acceptable(n_ans["frontier"], reservations)
    # NegMAS names Genius parties after their files: match its columns to accord's parties by
    # trying every order (bilateral and three-party cases only).
    best_perm, best_ok, verdict = list(range(n)), False, ""
    if n <= 3:
        from itertools import permutations

        for perm in permutations(range(n)):
            cols = list(perm)
            if _covered(a_front, n_front[:, cols]) and _covered(n_front[:, cols], a_front):
                best_perm, best_ok = cols, True
                break
    else:
        best_ok = _covered(a_front, n_front) and _covered(n_front, a_front)
    if not best_ok and _covered(a_front, n_front[:, best_perm]):
        extra = _dominated_up_to_rounding(n_front[:, best_perm], a_front)
        if extra is not None:
            best_ok = True
            verdict = f"frontier yes ({len(a_front)} pts; NegMAS adds {extra} dominated up to float rounding)"
    if not best_ok:
        return (
            f"NO: frontiers differ ({len(a_front)} acceptable accord points vs "
            f"{len(n_front)} {'MOBANOS' if mobanos else 'NegMAS'})"
        )
    verdict = verdict or f"frontier yes ({len(a_front)} pts)"
    if mobanos:
        return verdict
    ours_nash = a_ans["nash"]
    d_negmas = np.asarray(n_ans["disagreement"])[best_perm]
    same_d = bool(np.allclose(d_negmas, reservations, atol=1e-12))
    their_nash = np.asarray(n_ans["nash"], dtype=float).reshape(-1, n)[:, best_perm]
    textbook = _textbook_nash(n_front[:, best_perm], np.asarray(reservations))
    if same_d:
        if ours_nash is None and len(their_nash) == 0:
            return verdict + "; no Nash point on either side: yes"
        if ours_nash is not None and _covered(np.asarray([ours_nash]), their_nash):
            return verdict + "; Nash yes"
        return verdict + "; Nash NO"
    worse = [a_ans["parties"][i] for i in range(n) if abs(d_negmas[i] - reservations[i]) > 1e-12]
    agrees = ours_nash is not None and _covered(np.asarray([ours_nash]), textbook)
    return (
        verdict + f"; Nash n/a: NegMAS's disagreement point is the worst utility of "
        f"{', '.join(worse)}; accord = textbook Nash on NegMAS's frontier: " + ("yes" if agrees else "NO")
    )


# -- the table ------------------------------------------------------------------------------------
def _fmt_time(record: dict[str, Any]) -> str:
    times = record.get("times")
    if not times:
        return record.get("status", "—")
    text = f"{min(times):.3g} s" if min(times) >= 1 else f"{1000 * min(times):.3g} ms"
    return text + ("" if "status" not in record or "answer" in record else " (partial)")


def _fmt_memory(record: dict[str, Any], n_packages: int) -> str:
    peak = record.get("tracemalloc_peak")
    if peak is None:
        return "—"
    text = f"{peak / 2**20:.1f} MiB"
    if n_packages:
        text += f" ({peak / n_packages:.3g} B/pkg)"
    return text


def _ratio(a: dict[str, Any], b: dict[str, Any]) -> str:
    if a.get("times") and b.get("times"):
        ratio = min(b["times"]) / min(a["times"])
        return f"{ratio:,.0f}x" if ratio >= 10 else f"{ratio:.2g}x"
    return "—"


@dataclass
class Row:
    case: Case
    accord: dict[str, Any] = field(default_factory=dict)
    other: dict[str, Any] = field(default_factory=dict)
    same: str = "—"
    other_note: str = ""


def run(args: argparse.Namespace) -> list[Row]:
    rows: list[Row] = []
    accord_cache: dict[tuple[Any, ...], dict[str, Any]] = {}
    negmas_bytes: dict[int, float] = {}  # parties -> NegMAS's bytes per package, largest size
    engine = _engine_available()
    for case in cases(args.quick):
        row = Row(case)
        key = (case.kind, case.n_parties, case.issue_sizes, case.seed, case.folder)
        if case.kind == "genius" and not Path(case.folder).is_dir():
            row.other_note = f"skipped: {case.folder} not found"
            rows.append(row)
            _print_progress(row)
            continue
        if not engine:
            row.accord = {"status": "accord.analyze is not available yet"}
        elif "accord" in case.tools or "mobanos" in case.tools:
            row.accord = accord_cache.get(key) or measure("accord", case, args)
            accord_cache[key] = row.accord
        if "negmas" in case.tools:
            row.other = measure("negmas", case, args)
            row.same = compare(row.accord, row.other)
            peak = row.other.get("tracemalloc_peak")
            if peak and case.kind == "random" and case.n_packages >= 10**5:
                negmas_bytes[case.n_parties] = peak / case.n_packages
        elif "mobanos" in case.tools:
            row.other = measure("mobanos", case, args)
            row.same = compare(row.accord, row.other, mobanos=True)
        elif case.kind == "random":
            measured = case.n_parties in negmas_bytes
            per = negmas_bytes.get(case.n_parties, NEGMAS_BYTES_PER_PACKAGE_FALLBACK)
            row.other_note = (
                f"NegMAS not run: it would need ~{per * case.n_packages / 1e12:,.0f} TB "
                f"({per:.0f} B/package, {'as measured above' if measured else 'from the issue'})"
            )
        else:
            row.other_note = "accord only"
        rows.append(row)
        _print_progress(row)
    return rows


def _engine_available() -> bool:
    import accord

    return hasattr(accord, "analyze")


def _print_progress(row: Row) -> None:
    print(f"  done: {row.case.name} {row.case.note}".rstrip(), file=sys.stderr, flush=True)


def table(rows: list[Row]) -> str:
    header = [
        "case",
        "packages",
        "parties",
        "accord time",
        "accord memory",
        "NegMAS time",
        "NegMAS memory",
        "ratio",
        "same answer?",
    ]
    lines = [header]
    notes: list[str] = []
    for row in rows:
        c = row.case
        size = f"{c.n_packages:.0e}".replace("e+0", "e").replace("e+", "e") if c.n_packages else "—"
        other_name = "MOBANOS " if c.note == "MOBANOS" else ""
        accord_time = _fmt_time(row.accord) if row.accord else "—"
        if row.accord.get("status"):
            notes.append(f"{c.name}: accord: {row.accord['status']}")
        if row.other.get("status"):
            notes.append(f"{c.name}: {other_name or 'NegMAS '}{row.other['status']}")
        if row.other.get("note"):
            notes.append(f"{c.name}: {row.other['note']}")
        if row.other_note:
            notes.append(f"{c.name}: {row.other_note}")
        n_packages = c.n_packages
        if c.kind == "flagship" and row.accord.get("answer"):
            n_packages = row.accord["answer"]["n_packages"]
            size = f"{n_packages:,}"
        lines.append(
            [
                c.name,
                size,
                str(c.n_parties or (len(row.accord.get("answer", {}).get("parties", [])) or "—")),
                accord_time,
                _fmt_memory(row.accord, n_packages) if row.accord else "—",
                (other_name + _fmt_time(row.other)) if row.other else "—",
                _fmt_memory(row.other, c.n_packages) if row.other else "—",
                _ratio(row.accord, row.other),
                row.same,
            ]
        )
    widths = [max(len(line[i]) for line in lines[:]) for i in range(len(header))]
    out = [
        "| " + " | ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)) + " |"
        for line in lines
    ]
    out.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    if notes:
        out += ["", "Notes:"] + [f"- {n}" for n in notes]
    return "\n".join(out)


def _environment() -> dict[str, Any]:
    import platform

    info: dict[str, Any] = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "numpy": np.__version__,
    }
    try:
        import negmas

        info["negmas"] = negmas.__version__
    except ImportError:
        info["negmas"] = None
    return info


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only (about a minute)")
    parser.add_argument("--json", type=Path, help="also save every record to this file")
    parser.add_argument("--repeats", type=int, default=3, help="best of this many runs")
    parser.add_argument(
        "--budget",
        type=float,
        default=20.0,
        help="stop repeating a measurement after this many seconds",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=600.0,
        help="seconds before a measurement's subprocess is killed",
    )
    parser.add_argument(
        "--memory-limit-gb",
        type=float,
        default=8.0,
        help="address-space limit of each measurement's subprocess",
    )
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc runs")
    parser.add_argument(
        "--full",
        action="store_true",
        help="time accord's whole analysis (exact count, blockers and trades too) instead of the "
        "frontier and the bargaining solutions, NegMAS's share of the work",
    )
    parser.add_argument("--worker", nargs=3, metavar=("TOOL", "CASE", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        tool, case_json, out = args.worker
        spec = json.loads(case_json)
        spec["tools"], spec["issue_sizes"] = tuple(spec["tools"]), tuple(spec["issue_sizes"])
        worker(tool, Case(**spec), args.repeats, args.budget, not args.no_memory, not args.full, Path(out))
        return
    if args.quick:
        args.timeout = min(args.timeout, 120.0)
    print(f"environment: {_environment()}", file=sys.stderr)
    rows = run(args)
    print(table(rows))
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "environment": _environment(),
                    "settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
                    "rows": [
                        {
                            "case": asdict(r.case),
                            "accord": _without_answer(r.accord),
                            "other": _without_answer(r.other),
                            "same_answer": r.same,
                            "note": r.other_note,
                        }
                        for r in rows
                    ],
                },
                indent=2,
            )
        )


def _without_answer(record: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in record.items() if k != "answer"}
    if "answer" in record:
        answer = record["answer"]
        out["answer"] = {k: v for k, v in answer.items() if k != "frontier"}
        out["answer"]["frontier_size"] = len(answer.get("frontier", []))
    return out


if __name__ == "__main__":
    main()
