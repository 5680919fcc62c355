"""Conformance on the ANAC/Genius corpus: accord's answers next to NegMAS's, domain by domain.

Run ``make conformance``, or ``python benchmarks/conformance.py [--out docs/conformance.md]
[--timeout 120] [--memory-limit-gb 4] [--only Laptop,Camera]``.

For every folder of ``shared/data/genius`` (``$ACCORD_GENIUS_DATA`` overrides the place):

* **accord**: ``read_genius(folder)`` then ``analyze`` (blockers and trades off).
* **NegMAS 0.16 with Genius semantics**: ``to_negmas(read_genius(folder))``, so NegMAS sees the
  same normalised utilities and reservation values as accord, then what NegMAS's own
  ``calc_scenario_stats`` does: ``pareto_frontier(ufuns, issues=...)``, each ufun's ``minmax``,
  ``nash_points``, ``ks_points``, ``kalai_points`` (NegMAS's egalitarian) and
  ``max_welfare_points``, all from ``negmas/preferences/ops.py``.
* **NegMAS's own reader**: ``Scenario.from_genius_folder(folder)``, reported where it differs
  (refuses the folder, raw scores instead of Genius's normalised utilities, acceptance changed).

NegMAS runs in a fresh subprocess per domain with a wall-clock limit and an address-space limit
(``RLIMIT_AS``), so a domain it cannot finish is marked, never hangs or exhausts the machine.

A solution *agrees* when NegMAS's utility vector is accord's (max-norm 1e-6) or attains the
same value of accord's objective (a tie accord also reports). Every other difference is
explained from NegMAS's definitions: its disagreement point is ``max(reserved value, worst
utility)``; its frontier may hold packages below a reservation value; its KS point minimises the
spread of ``(u - d) / (max - d)`` with ``max`` over *all* packages, where accord maximises the
smallest ratio with the best *acceptable* utility.
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
from collections.abc import Sequence
from pathlib import Path
from typing import Any

GENIUS = Path(
    os.environ.get(
        "ACCORD_GENIUS_DATA", Path(__file__).resolve().parents[1].parent / "shared" / "data" / "genius"
    )
)
SOLUTIONS = ("nash", "kalai_smorodinsky", "egalitarian", "utilitarian")
TOL = 1e-6
COUNT_LIMIT = 60_000  # NegMAS's own reader: acceptance counted by evaluating up to this many packages


# -- accord -------------------------------------------------------------------------------------


def accord_answer(folder: Path) -> dict[str, Any]:
    from accord import AnalysisConfig, analyze
    from accord.io.genius_xml import read_genius

    scenario = read_genius(folder)
    t0 = time.perf_counter()
    result = analyze(scenario, config=AnalysisConfig(blockers=False, trades=False))
    seconds = time.perf_counter() - t0
    ids = list(scenario.party_ids)

    def vec(u: dict[str, float]) -> list[float]:
        return [float(u[p]) for p in ids]

    out: dict[str, Any] = {
        "parties": ids,
        "n_packages": scenario.n_packages,
        "n_acceptable": result.n_acceptable,
        "estimate": None if result.n_acceptable_estimate is None else result.n_acceptable_estimate.to_dict(),
        "reservations": [scenario.party(p).reservation for p in ids],
        "frontier": [vec(f.utilities) for f in result.pareto_frontier],
        "seconds": seconds,
    }
    for key in SOLUTIONS:
        s = getattr(result, key)
        out[key] = None if s is None else vec(s.utilities)
    return out


# -- NegMAS (in the subprocess) -------------------------------------------------------------------


def negmas_worker(folder: Path, out: Path) -> None:
    record: dict[str, Any] = {}

    def save() -> None:
        out.write_text(json.dumps(record))

    try:
        from negmas.inout import Scenario as NegmasScenario

        own = NegmasScenario.from_genius_folder(str(folder))
        if own is None:
            raise ValueError("from_genius_folder returned None")
        ufuns = list(own.ufuns)
        best = [float(u.minmax(own.outcome_space, above_reserve=False)[1]) for u in ufuns]
        reserved = [float(u.reserved_value) for u in ufuns]
        own_record: dict[str, Any] = {"best": best, "reserved": reserved}
        size = own.outcome_space.cardinality
        if size <= COUNT_LIMIT:
            count = 0
            for outcome in own.outcome_space.enumerate_or_sample():
                if all(float(u(outcome)) >= r for u, r in zip(ufuns, reserved, strict=True)):
                    count += 1
            own_record["n_acceptable"] = count
        record["own"] = own_record
    except Exception as error:
        record["own"] = {"error": f"{type(error).__name__}: {str(error)[:160]}"}
    save()
    from negmas.preferences import kalai_points, ks_points, max_welfare_points, nash_points, pareto_frontier

    from accord.io.genius_xml import read_genius
    from accord.io.negmas import to_negmas

    scenario = to_negmas(read_genius(folder))
    ufuns, space = list(scenario.ufuns), scenario.outcome_space
    t0 = time.perf_counter()
    frontier, _ = pareto_frontier(ufuns, issues=space.issues)
    ranges = [u.minmax(space, above_reserve=False) for u in ufuns]
    record["frontier"] = [[float(x) for x in p] for p in frontier]
    record["ranges"] = [[float(a), float(b)] for a, b in ranges]
    for key, fn in (
        ("nash", nash_points),
        ("kalai_smorodinsky", ks_points),
        ("egalitarian", kalai_points),
        ("utilitarian", max_welfare_points),
    ):
        record[key] = [[float(x) for x in p] for p, _ in fn(ufuns, frontier, ranges=ranges)]
    record["seconds"] = time.perf_counter() - t0
    save()


def run_negmas(folder: Path, timeout: float, memory_gb: float) -> dict[str, Any]:
    limit = int(memory_gb * 2**30)

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "record.json"
        status = ""
        try:
            done = subprocess.run(
                [sys.executable, str(Path(__file__).resolve()), "--worker", str(folder), str(out)],
                preexec_fn=cap,
                timeout=timeout,
                capture_output=True,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                last = (done.stderr.strip().splitlines() or [f"exit code {done.returncode}"])[-1]
                status = "out of memory" if "MemoryError" in done.stderr else last[-160:]
        except subprocess.TimeoutExpired:
            status = f"timeout after {timeout:g} s"
        record: dict[str, Any] = json.loads(out.read_text()) if out.exists() else {}
    if status:
        record["status"] = status
    return record


# -- comparing ------------------------------------------------------------------------------------


def _close(a: Sequence[float], b: Sequence[float]) -> bool:
    return max(abs(x - y) for x, y in zip(a, b, strict=True)) <= TOL


def _objective(key: str, u: Sequence[float], d: Sequence[float], best: Sequence[float]) -> float:
    gains = [x - r for x, r in zip(u, d, strict=True)]
    if key == "nash":
        return math.prod(max(g, 0.0) for g in gains)
    if key == "kalai_smorodinsky":
        return min(g / (b - r) if b > r else math.inf for g, b, r in zip(gains, best, d, strict=True))
    if key == "egalitarian":
        return min(gains)
    return sum(u)


def compare(
    key: str,
    ours: list[float] | None,
    theirs: list[list[float]],
    d: list[float],
    frontier: list[list[float]],
    ranges: list[list[float]],
) -> tuple[bool, str]:
    """Whether NegMAS's answer agrees with accord's, and why not."""
    if ours is None:
        if not theirs:
            return True, ""
        below = all(any(x < r - 1e-9 for x, r in zip(p, d, strict=True)) for p in theirs)
        return False, (
            "no package is acceptable to all; NegMAS still names a point"
            + (" below a reservation value" if below else "")
        )
    if not theirs:
        return False, "NegMAS finds no point"
    if any(_close(ours, p) for p in theirs):
        return True, ""
    best = [max(p[i] for p in frontier) for i in range(len(d))] if frontier else [1.0] * len(d)
    target = _objective(key, ours, d, best)
    point = theirs[0]
    if any(x < r - 1e-9 for x, r in zip(point, d, strict=True)):
        return False, (
            "NegMAS's point is below a reservation value (its frontier is not "
            "restricted to acceptable packages)"
        )
    if abs(_objective(key, point, d, best) - target) <= 1e-9 * max(1.0, abs(target)):
        return True, "tie: NegMAS picks another package of equal objective"
    negmas_d = [max(r, lo) for r, (lo, _) in zip(d, ranges, strict=True)]
    if key == "kalai_smorodinsky":
        return False, (
            "NegMAS's KS minimises the spread of (u - d)/(max - d) with max over all "
            "packages; accord maximises the smallest ratio with the best acceptable utility"
        )
    if negmas_d != d:
        return False, "NegMAS's disagreement point is max(reservation, worst utility)"
    return False, (
        f"accord's objective {target:.6g} vs {_objective(key, point, d, best):.6g} at "
        "NegMAS's point (float ties or rounding)"
    )


def row(folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    ours = accord_answer(folder)
    theirs = run_negmas(folder, args.timeout, args.memory_limit_gb)
    return score(folder.name, ours, theirs)


def _weakly_dominated(point: Sequence[float], frontier: Sequence[Sequence[float]]) -> bool:
    return any(all(x >= y - 1e-9 for x, y in zip(p, point, strict=True)) for p in frontier)


def score(domain: str, ours: dict[str, Any], theirs: dict[str, Any]) -> dict[str, Any]:
    """Compare accord's and NegMAS's answers on one domain; explain every difference."""
    d = ours["reservations"]
    out: dict[str, Any] = {"domain": domain, "accord": ours, "negmas": theirs}
    if "frontier" not in theirs:
        out["agree"] = None
        out["reasons"] = [theirs.get("status", "NegMAS did not finish")]
        return out
    reasons: list[str] = []
    acceptable = [p for p in theirs["frontier"] if all(x >= r - 1e-9 for x, r in zip(p, d, strict=True))]
    mine = ours["frontier"]
    missing = sum(1 for p in mine if not any(_close(p, q) for q in acceptable))
    added = sum(1 for q in acceptable if not any(_close(p, q) for p in mine))
    frontier_ok = missing == 0 and added == 0
    extras = [q for q in acceptable if not any(_close(p, q) for p in mine)]
    if missing == 0 and extras and all(_weakly_dominated(q, mine) for q in extras):
        frontier_ok = True
        reasons.append(
            f"frontier: NegMAS keeps {len(extras)} more point(s) that one of accord's "
            "weakly dominates within 1e-9 (NegMAS compares floats exactly; accord "
            "treats utilities within 1e-9 as equal)"
        )
    elif not frontier_ok:
        extra = len(theirs["frontier"]) - len(acceptable)
        reasons.append(
            f"frontier: {missing} of accord's points not in NegMAS's, {added} of "
            f"NegMAS's acceptable points not in accord's"
            + (f" (+{extra} below a reservation value)" if extra else "")
        )
    elif len(acceptable) != len(theirs["frontier"]):
        reasons.append(
            f"NegMAS's frontier also holds {len(theirs['frontier']) - len(acceptable)} "
            "point(s) below a reservation value (same acceptable frontier)"
        )
    agree = frontier_ok
    for key in SOLUTIONS:
        ok, why = compare(key, ours[key], theirs.get(key, []), d, ours["frontier"], theirs["ranges"])
        agree = agree and ok
        if why:
            reasons.append(f"{key}: {why}")
    out["agree"] = agree
    out["reasons"] = reasons
    return out


# -- the table --------------------------------------------------------------------------------------


def _fmt(v: list[float] | None) -> str:
    return "—" if v is None else "(" + ", ".join(f"{x:.3f}" for x in v) + ")"


def _first(points: list[list[float]] | None) -> list[float] | None:
    return points[0] if points else None


def _own(rec: dict[str, Any], ours: dict[str, Any]) -> str:
    own = rec.get("own")
    if own is None:
        return "not run"
    if "error" in own:
        return f"refuses: {own['error']}"
    notes = []
    if any(b > 1 + 1e-9 for b in own["best"]):
        notes.append("raw scores, best " + ", ".join(f"{b:.4g}" for b in own["best"]))
    if "n_acceptable" in own and own["n_acceptable"] != ours["n_acceptable"]:
        notes.append(f"{own['n_acceptable']:,} acceptable")
    if any(not math.isfinite(r) for r in own["reserved"]):
        notes.append("reserved value -inf")
    return "; ".join(notes) or "same"


def markdown(rows: list[dict[str, Any]], seconds: float) -> str:
    agreed = sum(1 for r in rows if r["agree"])
    compared = sum(1 for r in rows if r["agree"] is not None)
    lines = [
        "# Conformance on the ANAC/Genius corpus",
        "",
        "Produced by `make conformance` (`benchmarks/conformance.py`), NegMAS 0.16.0, "
        f"{len(rows)} domains of `shared/data/genius`, {seconds:.0f} s in all.",
        "",
        "* **accord**: `read_genius(folder)`, then `analyze` (blockers and trades off).",
        "* **NegMAS**: `to_negmas(read_genius(folder))`, so NegMAS sees Genius's normalised "
        "utilities and the same reservation values, then NegMAS's own `pareto_frontier`, "
        "`nash_points`, `ks_points`, `kalai_points` (its egalitarian) and `max_welfare_points` "
        "(`negmas/preferences/ops.py`), in a subprocess per domain with a time and memory limit.",
        "* **NegMAS's own reader** (`Scenario.from_genius_folder`) is reported in the last column "
        "where it differs: it refuses the folder, keeps raw scores (utilities above 1), or "
        "accepts a different number of packages (counted up to "
        f"{COUNT_LIMIT:,} packages).",
        "",
        "Utilities are listed in the order of the parties; a solution agrees when NegMAS's vector "
        "is accord's within 1e-6 or ties with it on accord's objective.",
        "",
        f"**{agreed} of {compared} domains agree** on everything compared "
        f"({len(rows) - compared} not compared: NegMAS did not finish).",
        "",
        "| domain | packages | parties | acceptable | frontier (accord / NegMAS) | Nash (accord / NegMAS) "
        "| KS (accord / NegMAS) | egalitarian (accord / NegMAS) | utilitarian (accord / NegMAS) "
        "| agree | why not | NegMAS's own reader |",
        "|---|---:|---:|---:|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        a, n = r["accord"], r["negmas"]
        acc = (
            f"{a['n_acceptable']:,}"
            if a["n_acceptable"] is not None
            else f"≈{a['estimate']['value']:.3g} (estimated)"
            if a.get("estimate")
            else "—"
        )
        nf = len(n["frontier"]) if "frontier" in n else n.get("status", "—")
        cells = [
            r["domain"],
            f"{a['n_packages']:,}",
            str(len(a["parties"])),
            acc,
            f"{len(a['frontier'])} / {nf}",
        ]
        for key in SOLUTIONS:
            cells.append(
                f"{_fmt(a[key])} / {_fmt(_first(n.get(key)))}" if "frontier" in n else f"{_fmt(a[key])} / —"
            )
        cells.append({True: "yes", False: "**no**", None: "—"}[r["agree"]])
        cells.append("; ".join(r["reasons"]) or "")
        cells.append(_own(n, a))
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    lines += [
        "",
        "## Reasons for disagreement, from NegMAS's source",
        "",
        "* **Disagreement point.** `nash_points`, `ks_points` and `kalai_points` use "
        "`max(reserved_value, worst utility)` per party; accord uses the reservation value "
        "as declared.",
        "* **Frontier not restricted.** `pareto_frontier` keeps every non-dominated package, "
        "also those below a reservation value; accord's frontier holds only packages every "
        "party accepts. The bargaining functions then choose among all of them.",
        "* **Kalai–Smorodinsky.** `ks_points` minimises `max - min` of `(u - d)/(max - d)` "
        "with `max` the best utility over *all* packages; accord maximises the smallest "
        "ratio with the best *acceptable* utility.",
        "* **Ties.** NegMAS returns one package of several with the same objective; accord "
        "lists them all in `ties` and picks by a canonical order.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--memory-limit-gb", type=float, default=4.0)
    parser.add_argument("--only", default="")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--worker", nargs=2, metavar=("FOLDER", "OUT"))
    parser.add_argument(
        "--rescore",
        type=Path,
        default=None,
        help="re-score and re-render rows saved by --json, without running",
    )
    args = parser.parse_args()
    if args.worker:
        negmas_worker(Path(args.worker[0]), Path(args.worker[1]))
        return
    if args.rescore:
        saved = json.loads(args.rescore.read_text())
        if isinstance(saved, list):  # rows only
            saved = {
                "rows": saved,
                "seconds": sum(r["accord"]["seconds"] + r["negmas"].get("seconds", 0.0) for r in saved),
            }
        rows = [score(r["domain"], r["accord"], r["negmas"]) for r in saved["rows"]]
        text = markdown(rows, saved["seconds"])
        if args.out:
            args.out.write_text(text, encoding="utf-8")
        print(text)
        return
    if not GENIUS.is_dir():
        sys.exit(f"no corpus at {GENIUS}; set ACCORD_GENIUS_DATA")
    only = {x for x in args.only.split(",") if x}
    folders = [p for p in sorted(GENIUS.iterdir()) if p.is_dir() and (not only or p.name in only)]
    started = time.perf_counter()
    rows = []
    for folder in folders:
        r = row(folder, args)
        rows.append(r)
        print(f"{folder.name:24} agree={r['agree']}  {'; '.join(r['reasons'])[:150]}", flush=True)
    seconds = time.perf_counter() - started
    text = markdown(rows, seconds)
    if args.json:
        args.json.write_text(json.dumps({"seconds": seconds, "rows": rows}))
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
    else:
        print(text)


if __name__ == "__main__":
    main()
