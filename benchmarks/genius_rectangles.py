"""How long the Genius reader takes on large non-linear (hyper-rectangle) profiles.

Run ``python benchmarks/genius_rectangles.py [--sizes 1000,10000,60000]``. For each size it
writes, in a temporary folder, a domain of ten integer issues (0..9) and two profiles of that
many random three-bound hyper-rectangles, in two variants: ``fits``, whose ``maxutility`` is the
sum of every utility (the cap at 1 can never apply: the reader needs no search), and ``caps``,
whose ``maxutility`` is 100 (some package sums above it: the branch and bound must find one).
It prints the wall-clock time of ``read_genius`` and what it answered. Above ``MAX_RECTANGLES``
the reader refuses the file before parsing it. Times are one run each, on whatever machine runs
the script; note its load beside them.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from accord.errors import ImportFormatError
from accord.io.genius_xml import read_genius


def _write(folder: Path, rectangles: int, fits: bool, seed: int) -> None:
    rng = random.Random(seed)
    issues = "".join(
        f'<issue index="{i}" name="i{i}" type="integer" lowerbound="0" upperbound="9"/>' for i in range(1, 11)
    )
    (folder / "domain.xml").write_text(
        f'<negotiation_template><utility_space><objective index="0" name="r">{issues}'
        "</objective></utility_space></negotiation_template>"
    )
    for party in ("p1", "p2"):
        rects, total = [], 0
        for _ in range(rectangles):
            bounds = ""
            for k in rng.sample(range(1, 11), 3):
                low = rng.randint(0, 9)
                bounds += f'<INCLUDES index="{k}" min="{low}" max="{rng.randint(low, 9)}"/>'
            utility = rng.randint(1, 100)
            total += utility
            rects.append(f'<hyperRectangle utility="{utility}">{bounds}</hyperRectangle>')
        top = total if fits else 100
        (folder / f"{party}.xml").write_text(
            f'<utility_space type="nonlinear"><objective index="0" name="r">{issues}'
            f'<utility maxutility="{top}"><ufun type="PlainUfun" weight="1" aggregation="sum">'
            f"{''.join(rects)}</ufun></utility></objective></utility_space>"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,60000", help="rectangles per profile, comma-separated")
    args = parser.parse_args()
    print(f"{'rectangles':>10}  {'variant':<7}  {'seconds':>8}  answer")
    for size in (int(s) for s in args.sizes.split(",")):
        for fits in (True, False):
            with tempfile.TemporaryDirectory() as tmp:
                folder = Path(tmp) / "domain"
                folder.mkdir()
                _write(folder, size, fits, seed=size)
                start = time.perf_counter()
                try:
                    scenario = read_genius(folder, max_file_bytes=100 * 1024 * 1024)
                    answer = f"read, {len(scenario.preferences['p1'].interactions):,} interactions"
                except ImportFormatError as exc:
                    answer = "error: " + str(exc).split(": ", 1)[-1][:80]
                elapsed = time.perf_counter() - start
            print(f"{size:>10,}  {'fits' if fits else 'caps':<7}  {elapsed:>8.2f}  {answer}")


if __name__ == "__main__":
    main()
