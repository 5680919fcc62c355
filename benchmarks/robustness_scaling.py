"""How `accord robustness` scales with the number of samples on the flagship scenario.

Prints a table of samples, wall time (best of ``--repeat`` runs) and peak traced memory (numpy
allocations included, measured by tracemalloc in a separate run so it does not slow the timing),
and with ``--plot FILE`` draws the curve (needs matplotlib, which accord does not depend on).

    .venv/bin/python benchmarks/robustness_scaling.py
    .venv/bin/python benchmarks/robustness_scaling.py --samples 10000 100000 --plot scaling.png
"""

from __future__ import annotations

import argparse
import os
import time
import tracemalloc

import accord
from accord.uncertainty import RobustnessConfig, robustness


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="ceasefire-2025")
    parser.add_argument("--samples", type=int, nargs="+", default=[12_500, 25_000, 50_000, 100_000, 200_000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--plot", default=None, help="write a PNG of the curve here")
    args = parser.parse_args()
    scenario = accord.load(args.scenario)
    config = RobustnessConfig(workers=args.workers)
    robustness(scenario, samples=1000, seed=0, config=config)  # warm up imports and caches
    print(f"scenario {args.scenario}, {args.workers} worker threads, {os.cpu_count()} CPUs visible")
    print(f"{'samples':>9} {'seconds':>8} {'µs/sample':>10} {'peak MB':>8}")
    rows = []
    for n in args.samples:
        best = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            robustness(scenario, samples=n, seed=0, config=config)
            best = min(best, time.perf_counter() - start)
        tracemalloc.start()
        robustness(scenario, samples=n, seed=0, config=config)
        peak = tracemalloc.get_traced_memory()[1] / 1e6
        tracemalloc.stop()
        rows.append((n, best, peak))
        print(f"{n:>9,} {best:>8.2f} {1e6 * best / n:>10.1f} {peak:>8.1f}", flush=True)
    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, time_axis = plt.subplots(figsize=(6, 3.5))
        time_axis.plot([r[0] for r in rows], [r[1] for r in rows], "o-", label="time (s)")
        time_axis.set_xlabel("samples")
        time_axis.set_ylabel("seconds")
        memory_axis = time_axis.twinx()
        memory_axis.plot(
            [r[0] for r in rows], [r[2] for r in rows], "s--", color="tab:orange", label="peak memory (MB)"
        )
        memory_axis.set_ylabel("peak MB")
        memory_axis.set_ylim(bottom=0)
        time_axis.set_ylim(bottom=0)
        time_axis.set_title(f"accord robustness {args.scenario}: {args.workers} workers")
        fig.legend(loc="upper left", bbox_to_anchor=(0.12, 0.88))
        fig.tight_layout()
        fig.savefig(args.plot, dpi=110)
        print(f"wrote {args.plot}")


if __name__ == "__main__":
    main()
