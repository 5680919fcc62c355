"""The optimisation engine at scale: many parties, many issues, side by side with NegMAS.

Run ``make bench`` (after the NegMAS comparison), or ``python benchmarks/optimise_scaling.py
[--quick] [--json PATH]``.

Each row is a seeded random additive scenario (as in issue 14: integer weights 1-10 and option
values 0-100 per party, every reservation value 0.5; ``--reservation`` changes it) or the
flagship. Timed, in this process, with ``time.perf_counter``:

* **optimise**: ``accord.analyze(s, config=AnalysisConfig(engine="optimise", count=False,
  trades=False))``: the five solutions (utilitarian, egalitarian, Kalai-Smorodinsky, Nash, and
  the asymmetric Nash where powers differ), every party's best attainable (blockers), the slack,
  and the representative frontier; every answer certified (see docs/analysis.md).
* **auto**: the same with ``engine="auto"`` (what ``accord analyze`` does): timed again where
  auto would try the frontier engine first (the best of three runs, as NegMAS is timed), else
  the optimise time.
* **frontier**: the frontier engine on the same file, where it can run within ``--budget``
  seconds (in a subprocess with that wall-clock limit).
* **NegMAS**: NegMAS 0.16's own analysis of the same file (frontier by enumeration, then its
  Nash, KS, egalitarian and welfare points), where the packages are few enough to enumerate
  (``--negmas-max`` packages), in a subprocess with the same limit; the best of three runs
  where they take under 5 s in all, else one.

"Same?" compares the optimisation engine's Nash, egalitarian and utilitarian utility vectors
with the frontier engine's (within 1e-9) where that ran. "load" is the machine's one-minute load
average when the row was timed (the times are only comparable at similar loads).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import multiprocessing as mp
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import accord  # noqa: E402
from accord.analysis import AnalysisConfig, compile_space  # noqa: E402
from accord.analysis.optimise import choose_engine  # noqa: E402
from accord.model import Issue, Option, Party, Preferences, Scenario  # noqa: E402


@dataclass(frozen=True)
class Case:
    name: str
    parties: int
    issues: int
    options: int
    seed: int = 0
    time_limit: float = 60.0  # seconds the optimisation engine may spend (AnalysisConfig.time_limit)


def random_scenario(case: Case, reservation: float) -> Scenario:
    """Integer weights 1-10, option values 0-100 (at least one positive per issue), seeded."""
    rng = np.random.default_rng(case.seed)
    issues = tuple(
        Issue(id=f"i{i}", options=tuple(Option(id=f"o{j}") for j in range(case.options)))
        for i in range(case.issues)
    )
    parties = tuple(Party(id=f"p{p}", reservation_value=reservation) for p in range(case.parties))
    prefs = {}
    for party in parties:
        weights = {issue.id: float(rng.integers(1, 11)) for issue in issues}
        values = {}
        for issue in issues:
            v = rng.integers(0, 101, size=case.options)
            v[rng.integers(0, case.options)] = max(1, int(v.max()))
            values[issue.id] = {f"o{j}": float(v[j]) for j in range(case.options)}
        prefs[party.id] = Preferences(weights=weights, values=values)
    return Scenario(
        id=case.name.replace(" ", "-").replace(",", ""), parties=parties, issues=issues, preferences=prefs
    )


def cases(quick: bool) -> list[Case]:
    out = [
        Case("7x12x4", 7, 12, 4),
        Case("5 parties, 1e5", 5, 5, 10),
        Case("5 parties, 1e6", 5, 6, 10),
        Case("3x100x5", 3, 100, 5),
        Case("7x30x5", 7, 30, 5),
        Case("2x200x2", 2, 200, 2),
    ]
    if not quick:
        out.append(Case("20x40x4", 20, 40, 4))
        out.append(Case("20x40x4, 20 s limit", 20, 40, 4, time_limit=20.0))
    return out


def _config(engine: str, time_limit: float = 60.0) -> AnalysisConfig:
    return AnalysisConfig(engine=engine, count=False, trades=False, time_limit=time_limit)


def _status_kb(field: str) -> int | None:
    """A field of /proc/self/status in kB (Linux), None elsewhere."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _timed_optimise(scenario: Scenario, queue: Any, time_limit: float = 60.0) -> None:
    """The optimisation engine on ``scenario`` in this (forked) process: seconds, whether every
    answer was certified, the representative points, the solution vectors, and the peak memory
    the analysis added (MB; the peak resident set is reset first, Linux only)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    before = _status_kb("VmRSS")
    start = time.perf_counter()
    result = accord.analyze(scenario, config=_config("optimise", time_limit))
    elapsed = time.perf_counter() - start
    peak = _status_kb("VmHWM")
    memory = None if before is None or peak is None else (peak - before) / 1024
    certified = not any("not every solution" in n or "time limit" in n for n in result.notes)
    unsure = [n for n in result.notes if n.startswith("not every solution")]
    queue.put((elapsed, (certified, len(result.pareto_frontier), _vectors(result), memory, unsure)))


def _vectors(result: Any) -> dict[str, list[float] | None]:
    out: dict[str, list[float] | None] = {}
    for name in ("nash", "egalitarian", "utilitarian"):
        sol = getattr(result, name)
        out[name] = None if sol is None else list(sol.utilities.values())
    return out


def _timed_frontier(scenario: Scenario, queue: Any) -> None:
    start = time.perf_counter()
    result = accord.analyze(scenario, config=_config("frontier"))
    queue.put((time.perf_counter() - start, _vectors(result)))


def _timed_negmas(scenario: Scenario, queue: Any) -> None:
    from analysis_vs_negmas import _negmas_work
    from random_scenarios import negmas_from_accord

    work = _negmas_work(negmas_from_accord(scenario))
    queue.put((_best_of(work), None))


def _best_of(work: Any, repeat: int = 3, budget: float = 5.0) -> float:
    """The best of up to ``repeat`` runs of ``work()``, as long as the runs so far took less
    than ``budget`` seconds in all (a slow case runs once): both engines are timed so."""
    times: list[float] = []
    while len(times) < repeat and sum(times) < budget:
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def _in_subprocess(target: Any, scenario: Scenario, budget: float, *extra: Any) -> tuple[float, Any] | str:
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=target, args=(scenario, queue, *extra))
    proc.start()
    proc.join(budget)
    if proc.is_alive():
        proc.terminate()
        proc.join()
        return f"> {budget:g} s"
    if queue.empty():
        return "failed"
    result: tuple[float, Any] = queue.get()
    return result


def _same(a: dict[str, Any], b: dict[str, Any]) -> str:
    for name in a:
        if (a[name] is None) != (b[name] is None):
            return f"no ({name})"
        if a[name] is not None and not np.allclose(a[name], b[name], atol=1e-9):
            return f"no ({name})"
    return "yes"


def _negmas_available() -> bool:
    try:
        import negmas  # noqa: F401
    except ImportError:
        return False
    return True


def run(args: argparse.Namespace) -> list[dict[str, Any]]:
    rows = []
    items: list[tuple[str, Scenario]] = [
        (c.name, random_scenario(c, args.reservation)) for c in cases(args.quick)
    ]
    items.append(("ceasefire-2025 (auto)", accord.load("ceasefire-2025")))
    limits = {c.name: c.time_limit for c in cases(args.quick)}
    for name, scenario in items:
        limit = limits.get(name, 60.0)
        timed = _in_subprocess(_timed_optimise, scenario, 4 * limit, limit)
        if isinstance(timed, str):
            raise SystemExit(f"{name}: the optimisation engine {timed}")
        elapsed, (certified, n_points, vectors, memory, unsure) = timed
        # What `accord analyze` does: the same unless auto would try the frontier engine first.
        auto_seconds, auto_engine = elapsed, "optimise"
        if choose_engine(compile_space(scenario), "auto") == "frontier":
            auto_engine = accord.analyze(scenario, config=_config("auto")).engine
            auto_seconds = _best_of(lambda s=scenario: accord.analyze(s, config=_config("auto")))
        row: dict[str, Any] = {
            "case": name,
            "parties": len(scenario.parties),
            "issues": len(scenario.issues),
            "packages": scenario.n_packages,
            "seconds": elapsed,
            "auto": auto_seconds,
            "auto_engine": auto_engine,
            "certified": certified,
            "frontier_points": n_points,
            "memory_mb": memory,
            "uncertified": unsure,  # the analysis's own note: each such solution's proven interval
            # The machine may be shared: the 1-minute load average when the row was timed.
            "load": os.getloadavg()[0],
        }
        if scenario.n_packages <= args.frontier_max:
            f = _in_subprocess(_timed_frontier, scenario, args.budget)
            row["frontier"] = f if isinstance(f, str) else f[0]
            row["same"] = "—" if isinstance(f, str) else _same(vectors, f[1])
        numeric = any(issue.is_numeric for issue in scenario.issues)
        if numeric:
            row["negmas"] = "n/a (numeric issue)"
        elif scenario.n_packages <= args.negmas_max and _negmas_available():
            n = _in_subprocess(_timed_negmas, scenario, args.budget)
            row["negmas"] = n if isinstance(n, str) else n[0]
        rows.append(row)
        print(_line(row), flush=True)
    return rows


def _mb(v: float | None) -> str:
    return "—" if v is None else f"{max(v, 0.0):.0f} MB"


def _fmt(v: Any) -> str:
    if v is None:
        return "—"
    if isinstance(v, str):
        return v
    return f"{v * 1000:.0f} ms" if v < 1 else f"{v:.2f} s"


_HEADER = (
    "| case | parties × issues | packages | optimise | certified | points | memory | auto (engine) "
    "| frontier engine | same? | NegMAS | NegMAS / auto | load |"
)


def _line(row: dict[str, Any]) -> str:
    ratio = "—"
    if isinstance(row.get("negmas"), float):
        ratio = f"{row['negmas'] / row['auto']:.0f}x"
    return (
        f"| {row['case']} | {row['parties']} × {row['issues']} | {row['packages']:.1e} "
        f"| {_fmt(row['seconds'])} | {'yes' if row['certified'] else 'no'} | {row['frontier_points']} "
        f"| {_mb(row['memory_mb'])} "
        f"| {_fmt(row['auto'])} ({row['auto_engine']}) "
        f"| {_fmt(row.get('frontier'))} | {row.get('same', '—')} | {_fmt(row.get('negmas'))} | {ratio} "
        f"| {row['load']:.1f} |"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="leave out 20 x 40 x 4")
    parser.add_argument("--reservation", type=float, default=0.5)
    parser.add_argument(
        "--budget", type=float, default=60.0, help="seconds for the frontier engine and NegMAS"
    )
    parser.add_argument(
        "--frontier-max", type=float, default=1e8, help="packages up to which the frontier engine runs"
    )
    parser.add_argument("--negmas-max", type=float, default=2e7, help="packages up to which NegMAS runs")
    parser.add_argument("--json", type=Path, help="write the rows here as JSON")
    args = parser.parse_args(argv)
    print(_HEADER)
    print("|---" * (_HEADER.count("|") - 1) + "|")
    rows = run(args)
    for row in rows:
        for note in row["uncertified"]:
            print(f"\n{row['case']}: {note}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2, default=lambda x: None if math.isnan(x) else x))


if __name__ == "__main__":
    main()
