"""accord's simulation side by side with NegMAS 0.16, in one run: negotiations per second.

Run ``python benchmarks/simulation_vs_negmas.py [--quick] [--json PATH]``.

Every row plays the same negotiation on both: the same scenario (NegMAS gets accord's normalised
utilities through ``accord.io.to_negmas``), the same deadline (100 rounds = NegMAS's
``n_steps=100``) and matched strategies:

* NegMAS ``BoulwareTBNegotiator`` (aspiration exponent 4) vs accord ``Boulware(e=0.25)``, and
  ``ConcederTBNegotiator`` (exponent 0.25) vs ``Conceder(e=4)``: Faratin's ``e`` is the inverse of
  NegMAS's exponent, so both aim at ``1 - t^4`` and ``1 - t^0.25`` of the way to their floor.
* NegMAS ``AspirationNegotiator`` (default: "boulware", exponent 4) vs accord
  ``Aspiration(exponent=4)``.

Columns, all on one core, each the best sustained rate over a time budget:

* **NegMAS**: a fresh ``SAOMechanism`` and fresh negotiators per negotiation, as NegMAS runs a
  tournament (each negotiator rebuilds its sorted outcome list).
* **plain, fresh**: ``run_session(scenario, ...)``: accord's one-session engine building the
  domain (enumerating and sorting the packages) in every session, as NegMAS does.
* **plain**: ``run_session(domain, ...)`` with the domain built once and shared, as accord's
  tournaments run.
* **batch**: ``run_batch(domain, [line-up] * B, record=False)``: B sessions at once on arrays;
  every session is simulated in full (nothing is deduplicated), and its outcome is checked equal
  to the plain engine's.

"Same outcome?" compares the agreement and the utilities of one negotiation on each side (the
two engines differ in details: NegMAS's relative time is ``(step + 1) / (n_steps + 1)`` and its
offers are picked by its outcome inverter, accord's time is ``turn / turns`` and it offers the
lowest package worth its aim, so the agreements may differ slightly).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import accord  # noqa: E402
from accord.io.negmas import to_negmas  # noqa: E402
from accord.simulation import SessionConfig, Strategy, build_domain, run_session  # noqa: E402
from accord.simulation.batch import run_batch  # noqa: E402
from accord.simulation.strategies import Aspiration, Boulware, Conceder  # noqa: E402
from random_scenarios import RandomSpec, accord_scenario  # noqa: E402

GENIUS = Path(
    os.environ.get(
        "ACCORD_GENIUS_DATA", Path(__file__).resolve().parents[1].parent / "shared" / "data" / "genius"
    )
)
N_ROUNDS = 100
ISSUE_FIGURES = {"bilateral-125": 80.0, "bilateral-10000": 17.0, "politics-3": 4.0}
TARGET_PLAIN = {"bilateral-125": 1000.0, "bilateral-10000": 200.0}


@dataclass
class Row:
    case: str
    packages: int
    parties: int
    negmas_strategies: str
    accord_strategies: str
    negmas_per_s: float
    plain_fresh_per_s: float
    plain_per_s: float
    batch_per_s: float
    batch_size: int
    negmas_agreement: bool
    negmas_utilities: list[float] | None
    negmas_steps: int
    accord_agreement: bool
    accord_utilities: list[float]
    accord_rounds: int
    issue_negmas_per_s: float

    @property
    def plain_x(self) -> float:
        return self.plain_per_s / self.negmas_per_s

    @property
    def batch_x(self) -> float:
        return self.batch_per_s / self.negmas_per_s


def rate(run: Callable[[], object], budget: float, min_runs: int = 3) -> float:
    """Runs per second, sustained over ``budget`` seconds (at least ``min_runs`` runs)."""
    run()  # warm up
    n, start = 0, time.perf_counter()
    while n < min_runs or time.perf_counter() - start < budget:
        run()
        n += 1
    return n / (time.perf_counter() - start)


def negmas_session(ns: Any, makers: list[Callable[[], Any]]) -> Any:
    from negmas.sao import SAOMechanism

    m = SAOMechanism(outcome_space=ns.outcome_space, n_steps=N_ROUNDS)
    for make, ufun in zip(makers, ns.ufuns, strict=True):
        m.add(make(), ufun=ufun)
    m.run()
    return m


def measure(
    case: str,
    scenario: accord.Scenario,
    negmas_makers: list[Callable[[], Any]],
    lineup: Callable[[], list[Strategy]],
    budget: float,
) -> Row:
    config = SessionConfig(n_rounds=N_ROUNDS)
    ns = to_negmas(scenario)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = negmas_session(ns, negmas_makers)
        negmas_rate = rate(lambda: negmas_session(ns, negmas_makers), budget)
    agreement = m.agreement
    plain_fresh = rate(lambda: run_session(scenario, lineup(), config), budget)
    domain = build_domain(scenario)
    plain = rate(lambda: run_session(domain, lineup(), config), budget)
    reference = run_session(domain, lineup(), config)
    players = lineup()
    size = 2000
    while True:  # grow the batch until one call takes a good share of the budget
        start = time.perf_counter()
        batch = run_batch(domain, [players] * size, config, record=False)
        elapsed = time.perf_counter() - start
        if elapsed > budget / 3 or size >= 200_000:
            break
        size *= 4
    assert batch.outcome(0) == reference.outcome and batch.outcome(size - 1) == reference.outcome
    batch_rate = (
        rate(lambda: run_batch(domain, [players] * size, config, record=False), budget, min_runs=2) * size
    )
    return Row(
        case=case,
        packages=scenario.n_packages,
        parties=len(scenario.parties),
        negmas_strategies="/".join(type(mk()).__name__ for mk in negmas_makers),
        accord_strategies="/".join(s.label for s in lineup()),
        negmas_per_s=negmas_rate,
        plain_fresh_per_s=plain_fresh,
        plain_per_s=plain,
        batch_per_s=batch_rate,
        batch_size=size,
        negmas_agreement=agreement is not None,
        negmas_utilities=None if agreement is None else [float(u(agreement)) for u in ns.ufuns],
        negmas_steps=int(m.state.step),
        accord_agreement=reference.outcome.agreement is not None,
        accord_utilities=list(reference.outcome.utilities.values()),
        accord_rounds=reference.outcome.rounds,
        issue_negmas_per_s=ISSUE_FIGURES[case],
    )


def cases(budget: float) -> list[Row]:
    from negmas.sao import AspirationNegotiator, BoulwareTBNegotiator, ConcederTBNegotiator

    def bilateral() -> list[Strategy]:
        return [Boulware(e=0.25), Conceder(e=4.0)]

    rows = [
        measure(
            "bilateral-125",
            accord_scenario(RandomSpec(2, (5, 5, 5), 1)),
            [BoulwareTBNegotiator, ConcederTBNegotiator],
            bilateral,
            budget,
        ),
        measure(
            "bilateral-10000",
            accord_scenario(RandomSpec(2, (10, 10, 10, 10), 3)),
            [BoulwareTBNegotiator, ConcederTBNegotiator],
            bilateral,
            budget,
        ),
        measure(
            "politics-3",
            accord.load(GENIUS / "Politics"),
            [AspirationNegotiator] * 3,
            lambda: [Aspiration(exponent=4.0) for _ in range(3)],
            budget,
        ),
    ]
    return rows


def table(rows: list[Row]) -> str:
    head = (
        "| case | packages | NegMAS /s (issue) | plain, fresh /s | plain /s | batch /s (B) "
        "| plain x NegMAS | batch x NegMAS | same outcome? |"
    )
    out = [head, "|" + "---|" * 9]
    for r in rows:
        if r.negmas_utilities is None or not r.accord_agreement:
            same = "both none" if not r.negmas_agreement and not r.accord_agreement else "no"
        else:
            gap = max(abs(a - b) for a, b in zip(r.negmas_utilities, r.accord_utilities, strict=True))
            rounds = f"rounds {r.negmas_steps} / {r.accord_rounds}"
            same = (
                f"same agreement, {rounds}"
                if gap < 1e-9
                else f"both agree; max utility gap {gap:.3f}, {rounds}"
            )
        out.append(
            f"| {r.case} ({r.parties} parties, {r.accord_strategies}) | {r.packages:,} "
            f"| {r.negmas_per_s:,.1f} ({r.issue_negmas_per_s:g}) | {r.plain_fresh_per_s:,.0f} "
            f"| {r.plain_per_s:,.0f} | {r.batch_per_s:,.0f} ({r.batch_size:,}) "
            f"| {r.plain_x:,.0f}x | {r.batch_x:,.0f}x | {same} |"
        )
    return "\n".join(out)


def targets(rows: list[Row]) -> list[str]:
    lines = []
    for r in rows:
        if r.case in TARGET_PLAIN:
            goal = TARGET_PLAIN[r.case]
            lines.append(
                f"plain engine on {r.case}: {r.plain_per_s:,.0f}/s per core "
                f"(target {goal:,.0f}/s): {'met' if r.plain_per_s >= goal else 'NOT met'}; "
                f"building the domain every session: {r.plain_fresh_per_s:,.0f}/s "
                f"({'meets' if r.plain_fresh_per_s >= goal else 'below'} the target)"
            )
        lines.append(
            f"batch engine on {r.case}: {r.batch_x:,.0f}x NegMAS measured here "
            f"(target 1000x): {'met' if r.batch_x >= 1000 else 'NOT met'}"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short time budgets (about 20 s)")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    args = parser.parse_args()
    budget = 0.7 if args.quick else 3.0
    rows = cases(budget)
    print(
        f"accord simulation vs NegMAS 0.16 · {platform.python_implementation()} "
        f"{platform.python_version()} · {os.cpu_count()} cores (one used) · deadline "
        f"{N_ROUNDS} rounds"
    )
    print(table(rows))
    for line in targets(rows):
        print("-", line)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
