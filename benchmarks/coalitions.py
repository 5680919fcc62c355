"""Coalition maps and sequences: the flagship's full map and a three-step sequence (target
under 2 s together) and a twelve-party scenario's map of 4,095 coalitions (target under 60 s).

The twelve-party scenario is generated from ``--seed``: ``--issues`` issues of ``--options``
options each, random weights and values, two red lines and two interactions, and reservation
values drawn so that some coalitions can agree and others cannot. Prints a table of wall times
(best of ``--repeat`` runs). No peer computes coalition maps, so there is no column to compare.

    .venv/bin/python benchmarks/coalitions.py
    .venv/bin/python benchmarks/coalitions.py --parties 12 --issues 6 --options 4 --repeat 1
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable

import numpy as np

import accord
from accord.analysis.coalitions import coalition_map
from accord.analysis.sequence import sequence
from accord.model import Interaction, Issue, Option, Party, Preferences, RedLine, Scenario


def many_parties(n_parties: int, n_issues: int, n_options: int, seed: int) -> Scenario:
    """A random scenario with many parties (seeded): see the module docstring."""
    rng = np.random.default_rng(seed)
    issues = tuple(
        Issue(id=f"i{i}", options=tuple(Option(id=f"o{j}") for j in range(n_options)))
        for i in range(n_issues)
    )
    parties = tuple(
        Party(id=f"p{p}", reservation_value=round(float(rng.uniform(0.5, 0.7)), 3)) for p in range(n_parties)
    )
    prefs = {}
    for n, party in enumerate(parties):
        values = {
            issue.id: {f"o{j}": float(v) for j, v in enumerate(rng.integers(0, 11, n_options))}
            for issue in issues
        }
        for issue in issues:
            if max(values[issue.id].values()) == 0:
                values[issue.id]["o0"] = 1.0
        red_lines = [RedLine(when={"i0": "o0", "i1": "o1"})] if n < 2 else []
        interactions = [Interaction(when={"i2": "o2", "i3": "o3"}, value=0.05)] if n in (2, 3) else []
        prefs[party.id] = Preferences(
            weights={issue.id: float(rng.integers(1, 6)) for issue in issues},
            values=values,
            red_lines=red_lines,
            interactions=interactions,
        )
    return Scenario(id=f"parties-{n_parties}", parties=parties, issues=issues, preferences=prefs)


def best_of(repeat: int, run: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parties", type=int, default=12)
    parser.add_argument("--issues", type=int, default=6)
    parser.add_argument("--options", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    flagship = accord.load("ceasefire-2025")
    big = many_parties(args.parties, args.issues, args.options, args.seed)
    order = "us+russia, ukraine, europe"
    print(f"{os.cpu_count()} CPUs visible (the machine may be shared: timings are wall time)")
    print(f"{'case':<48} {'coalitions':>10} {'seconds':>8} {'target':>7}")
    m = coalition_map(flagship)
    t_map = best_of(args.repeat, lambda: coalition_map(flagship))
    t_seq = best_of(args.repeat, lambda: sequence(flagship, order))
    print(f"{'ceasefire-2025 map':<48} {len(m.coalitions):>10,} {t_map:>8.2f} {'':>7}")
    print(f"{'ceasefire-2025 sequence ' + repr(order):<48} {3:>10} {t_seq:>8.2f} {'':>7}")
    print(f"{'ceasefire-2025 map + sequence':<48} {'':>10} {t_map + t_seq:>8.2f} {'< 2':>7}")
    start = time.perf_counter()
    mb = coalition_map(big)
    t_big = time.perf_counter() - start
    able = sum(c.can_agree for c in mb.coalitions)
    label = f"{big.id}: {args.issues}x{args.options} options ({big.n_packages:,} packages)"
    print(f"{label:<48} {len(mb.coalitions):>10,} {t_big:>8.2f} {'< 60':>7}")
    print(
        f"  {able:,} coalitions can agree; {len(mb.minimal_blocking)} minimal blocking sets; "
        f"largest that can agree: {len(mb.largest[0].members) if mb.largest else 0} parties"
    )
    # Many issues: the larger coalitions' frontiers are too large to list, and best_package
    # hands their questions to the optimisation engine.
    for parties, issues, options in ((7, 12, 4), (7, 30, 5)):
        wide = many_parties(parties, issues, options, args.seed)
        start = time.perf_counter()
        mw = coalition_map(wide)
        t_wide = time.perf_counter() - start
        label = f"{parties} random parties, {issues}x{options} options ({wide.n_packages:.1e} packages)"
        print(f"{label:<48} {len(mw.coalitions):>10,} {t_wide:>8.2f} {'':>7}")


if __name__ == "__main__":
    main()
