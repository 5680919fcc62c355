"""accord's exact bilateral frontier against NegMAS's MOBANOS sampler, on several issue shapes.

MOBANOS (``negmas.preferences.MOBANOSParetoSampler``) builds the exact bilateral frontier of two
linear additive utility functions issue by issue, as accord does, in pure Python. MOBANOS is
timed from its utility functions; accord from its scenario, compiling it each time (so nothing
is cached between runs), best of 20 runs, in one process: only the frontier is computed.
MOBANOS ignores reservation values, so they are 0 here and both compute the frontier of all
packages.

Run: ``python benchmarks/frontier_vs_mobanos.py`` (needs the bench extra: NegMAS 0.16).
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from accord.analysis.pareto import space_frontier
from accord.analysis.space import compile_space
from random_scenarios import RandomSpec, accord_scenario, negmas_scenario

SHAPES = [(10,) * 4, (10,) * 6, (100,) * 3, (1000,) * 2, (10,) * 9, (10,) * 12]


def best_ms(work: Callable[[], Any], repeats: int = 20) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def main() -> None:
    from negmas.preferences import MOBANOSParetoSampler

    print("| issues | packages | accord (compile + frontier) | MOBANOS | MOBANOS / accord | same frontier? |")
    print("|---|---:|---:|---:|---:|---|")
    for shape in SHAPES:
        spec = RandomSpec(n_parties=2, issue_sizes=shape, seed=0, reservation_high=0.0)
        scenario = accord_scenario(spec)
        ufuns = negmas_scenario(spec).ufuns
        space = compile_space(scenario)

        def mobanos(u: Any = ufuns) -> list[Any]:
            sampler = MOBANOSParetoSampler()
            sampler.init(u[0], u[1])
            return list(sampler.pareto_outcomes())

        ours = space_frontier(space)
        theirs = mobanos()
        ours_set = {tuple(round(x, 9) for x in row) for row in ours.utilities}
        theirs_set = {tuple(round(float(u(o)), 9) for u in ufuns) for o in theirs}
        t_ours = best_ms(lambda s=scenario: space_frontier(compile_space(s)))
        t_theirs = best_ms(mobanos)
        same = "yes" if ours_set == theirs_set else f"no ({len(ours_set)} vs {len(theirs_set)})"
        print(
            f"| {'x'.join(map(str, shape))} | {math.prod(shape):.0e} | {t_ours:.3f} ms | "
            f"{t_theirs:.3f} ms | {t_theirs / t_ours:.1f}x | {same} |"
        )


if __name__ == "__main__":
    main()
