"""Writing a scenario as a GeniusWeb folder."""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from ...errors import ImportFormatError
from ...model import (
    Issue,
    Party,
    PiecewiseLinear,
    Scenario,
    value_of,
)
from ...model.utility import exact_number, party_scale
from .._ids import identifier
from ._common import (
    EXTRAS_FILE,
    _At,
    _short,
)
from ._read import _read_domain, _read_profile

__all__ = ["write_geniusweb"]

_MAX_HALF = 4_000_000  # packages per half in the meet-in-the-middle search for a reservation bid

# -- writing ------------------------------------------------------------------------------------


def _simple_name(text: str, fallback: str) -> str:
    """GeniusWeb's profile and domain names must be simple: ``[a-zA-Z0-9]+``."""
    return re.sub(r"[^A-Za-z0-9]", "", text) or fallback


def _written(texts: Sequence[str | None], ids: Sequence[str]) -> list[str]:
    """The exact text where the id was derived from it (an imported name), else the id."""
    out = [t if t is not None and identifier(t, i) == i else i for t, i in zip(texts, ids, strict=True)]
    return out if len(set(out)) == len(out) else list(ids)


def _file_stems(ids: Iterable[str]) -> list[str]:
    stems: list[str] = []
    for ident in ids:
        base = re.sub(r"[^\w.\- ]", "_", ident).strip(" .") or "party"
        stem, k = base, 2
        while stem.lower() in {s.lower() for s in stems} or stem.lower() == EXTRAS_FILE[:-5]:
            stem, k = f"{base}_{k}", k + 1
        stems.append(stem)
    return stems


def _json_number(x: float, integer: bool) -> int | float:
    return round(x) if integer else float(x)


def _domain_json(scenario: Scenario, issue_names: Sequence[str]) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for issue, name in zip(scenario.issues, issue_names, strict=True):
        if issue.range is None:
            assert issue.options is not None
            table[name] = {
                "values": _written([o.label for o in issue.options], [o.id for o in issue.options])
            }
            continue
        grid = issue.range
        integer = grid.kind == "integer"
        table[name] = {
            "range": {
                "low": _json_number(grid.min, integer),
                "high": _json_number(float(issue.values()[-1]), integer),
                "step": _json_number(grid.step, integer),
            }
        }
    return {"name": _simple_name(scenario.id, "domain"), "issuesValues": table}


def _linear_ends(where: str, issue: Issue, points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """The function's values at the grid's first and last points, if it is one straight line."""
    xs = [float(x) for x in issue.values()]
    low, high = xs[0], xs[-1]
    px = np.asarray([x for x, _ in points], dtype=np.float64)
    py = np.asarray([y for _, y in points], dtype=np.float64)
    checks = sorted({low, high, *(x for x, _ in points if low < x < high)})
    ys = np.interp(checks, px, py)
    y_low, y_high = float(ys[0]), float(ys[-1])
    line = y_low + (y_high - y_low) * (np.asarray(checks) - low) / (high - low)
    if np.max(np.abs(line - ys)) > 1e-12:
        raise ImportFormatError(
            f"{where}: GeniusWeb's NumberValueSetUtilities is one straight line from the range's "
            f"low to its high value; this value function (points {_short(str(list(points)), 120)}) "
            "bends in between"
        )
    return y_low, y_high


def _utilities_json(
    scenario: Scenario, party: Party, issue_names: Sequence[str]
) -> tuple[dict[str, Any], dict[str, float]]:
    prefs = scenario.preferences[party.id]
    where = f"party '{party.id}'"
    weights = {k: value_of(v) for k, v in prefs.weights.items()}
    total = sum(weights.values())
    utilities: dict[str, Any] = {}
    out_weights: dict[str, float] = {}
    for issue, name in zip(scenario.issues, issue_names, strict=True):
        values = prefs.values.get(issue.id)
        out_weights[name] = weights.get(issue.id, 0.0) / total
        if issue.range is None:
            assert issue.options is not None
            table = values if isinstance(values, Mapping) else {}
            raw = [value_of(table.get(o.id, 0.0)) for o in issue.options]
            top = max(raw)
            labels = _written([o.label for o in issue.options], [o.id for o in issue.options])
            utilities[name] = {
                "DiscreteValueSetUtilities": {
                    "valueUtilities": {
                        label: (v / top if top > 0 else 0.0) for label, v in zip(labels, raw, strict=True)
                    }
                }
            }
            continue
        if issue.size < 2:
            raise ImportFormatError(
                f"{where}, issue '{issue.id}': GeniusWeb's number utilities "
                "need a range with at least two values"
            )
        points = (
            [(float(x), value_of(v)) for x, v in values.points]
            if isinstance(values, PiecewiseLinear)
            else [(float(issue.values()[0]), 0.0)]
        )
        y_low, y_high = _linear_ends(f"{where}, issue '{issue.id}'", issue, points)
        top = max(y_low, y_high)
        scale = top if top > 0 else 1.0
        integer = issue.range.kind == "integer"
        utilities[name] = {
            "NumberValueSetUtilities": {
                "lowValue": _json_number(float(issue.values()[0]), integer),
                "lowUtility": min(1.0, max(0.0, y_low / scale)),
                "highValue": _json_number(float(issue.values()[-1]), integer),
                "highUtility": min(1.0, max(0.0, y_high / scale)),
            }
        }
    return utilities, out_weights


def _least_package_at_least(quantized: Sequence[np.ndarray], floor: int) -> tuple[int, ...] | None:
    """Option indices of a package of least (quantized) utility >= ``floor``, or None if none.

    Meet in the middle: the issues are split in two halves, each half's sums enumerated, and for
    every sum of one half the least partner reaching ``floor`` is found by binary search.
    """
    sizes = [len(q) for q in quantized]
    order = sorted(range(len(sizes)), key=lambda i: -sizes[i])
    left: list[int] = []
    right: list[int] = []
    for i in order:
        (left if math.prod(sizes[j] for j in left) <= math.prod(sizes[j] for j in right) else right).append(i)
    if max(math.prod(sizes[j] for j in left), math.prod(sizes[j] for j in right)) > _MAX_HALF:
        raise ImportFormatError(
            f"the space of {math.prod(sizes):,} packages is too large to find "
            "a reservation bid for the reservation value"
        )

    def sums(part: list[int]) -> np.ndarray:
        total = np.zeros(1, dtype=np.int64)
        for i in part:
            total = (total[:, None] + quantized[i][None, :]).reshape(-1)
        return total

    a, b = sums(left), sums(right)
    b_order = np.argsort(b, kind="stable")
    b_sorted = b[b_order]
    pos = np.searchsorted(b_sorted, floor - a, side="left")
    ok = pos < len(b_sorted)
    if not ok.any():
        return None
    candidates = np.where(ok, a + b_sorted[np.minimum(pos, len(b_sorted) - 1)], np.iinfo(np.int64).max)
    ia = int(np.argmin(candidates))
    ib = int(b_order[pos[ia]])
    choice = [0] * len(sizes)
    for part, flat in ((left, ia), (right, ib)):
        for i in reversed(part):
            flat, choice[i] = divmod(flat, sizes[i])
    return tuple(choice)


def _reservation_bid(
    scenario: Scenario, party: Party, issue_names: Sequence[str]
) -> tuple[dict[str, Any] | None, bool]:
    """The reservation bid and whether its utility is exactly the reservation value."""
    r = party.reservation
    if r <= 0:
        return None, r == 0
    scale = party_scale(scenario.issues, scenario.preferences[party.id], r, party=party.id)
    choice = _least_package_at_least(scale.contributions, scale.reservation)
    if choice is None:
        raise ImportFormatError(
            f"party '{party.id}': the reservation value {r:g} is above the "
            "utility of every package; a GeniusWeb reservation bid cannot say "
            "that no package is acceptable"
        )
    total = sum(int(q[c]) for q, c in zip(scale.contributions, choice, strict=True))
    # Exactly r on an exact scale; on a binary one, within the slack that decides acceptance.
    exact = abs(Fraction(total, scale.denominator) - exact_number(r)) * scale.denominator <= scale.slack
    bid: dict[str, Any] = {}
    for issue, name, c in zip(scenario.issues, issue_names, choice, strict=True):
        if issue.range is None:
            assert issue.options is not None
            labels = _written([o.label for o in issue.options], [o.id for o in issue.options])
            bid[name] = labels[c]
        else:
            bid[name] = _json_number(float(issue.values()[c]), issue.range.kind == "integer")
    return {"issuevalues": bid}, exact


def write_geniusweb(scenario: Scenario, folder: str | os.PathLike[str]) -> tuple[Path, ...]:
    """Write ``scenario`` as a GeniusWeb folder: a domain JSON and one profile JSON per party.

    Returns the paths written, the domain first. Weights are written divided by their sum and
    utilities divided by each issue's best, so GeniusWeb's utility equals accord's. The reservation
    bid is the package of least utility at or above the reservation value; where its utility is
    not exactly the reservation value, or a party has a discount factor, ``accord-extras.json``
    keeps the exact numbers.

    Raises :class:`~accord.errors.ImportFormatError` naming what GeniusWeb's
    ``LinearAdditiveUtilitySpace`` cannot express: red lines, interactions, numeric value
    functions that are not one straight line, a reservation value above every package.
    """
    for party in scenario.parties:
        prefs = scenario.preferences[party.id]
        if prefs.red_lines:
            raise ImportFormatError(
                f"party '{party.id}': GeniusWeb profiles cannot express red "
                f"lines ({len(prefs.red_lines)} here); drop them or turn them "
                "into a lower reservation value"
            )
        if prefs.interactions:
            raise ImportFormatError(
                f"party '{party.id}': GeniusWeb's LinearAdditiveUtilitySpace "
                f"cannot express interactions ({len(prefs.interactions)} here); "
                "it is additive over issues"
            )
    out = Path(folder)
    issue_names = _written([i.name for i in scenario.issues], [i.id for i in scenario.issues])
    domain = _domain_json(scenario, issue_names)
    stems = _file_stems(scenario.party_ids)
    domain_stem = _file_stems([scenario.id])[0]
    while domain_stem.lower() in {s.lower() for s in stems}:
        domain_stem += "_domain"
    profiles: list[dict[str, Any]] = []
    exact_values: dict[str, float] = {}
    discounts: dict[str, float] = {}
    powers: dict[str, float] = {}
    for party, stem in zip(scenario.parties, stems, strict=True):
        utilities, weights = _utilities_json(scenario, party, issue_names)
        bid, exact = _reservation_bid(scenario, party, issue_names)
        if party.discount_factor is not None:
            discounts[stem] = party.discount_factor
        if party.bargaining_power != 1.0:
            powers[stem] = party.bargaining_power
        profile = {
            "LinearAdditiveUtilitySpace": {
                "issueUtilities": utilities,
                "issueWeights": weights,
                "domain": domain,
                "name": _simple_name(party.id, "profile"),
                "reservationBid": bid,
            }
        }
        # The reader computes the bid's utility from the numbers as written: where that is not
        # the reservation value itself, the extras keep it.
        if not exact or _read_back(out / f"{stem}.json", profile, domain, party.id) != party.reservation:
            exact_values[stem] = party.reservation
        profiles.append(profile)
    try:
        out.mkdir(parents=True, exist_ok=True)
        written = [out / f"{domain_stem}.json"]
        _save(domain, written[0])
        for stem, profile in zip(stems, profiles, strict=True):
            written.append(out / f"{stem}.json")
            _save(profile, written[-1])
        extras = out / EXTRAS_FILE
        order = [] if stems == sorted(stems) else stems
        if exact_values or discounts or powers or order:
            _save(
                {
                    "accord_extras": 1,
                    "note": "What GeniusWeb cannot hold, kept by accord: exact "
                    "reservation values (the reservation bids accept the same packages), "
                    "bargaining powers, discount factors and the order of the parties.",
                    "reservation_values": exact_values,
                    "powers": powers,
                    "discount_factors": discounts,
                    "party_order": order,
                },
                extras,
            )
            written.append(extras)
        elif extras.exists():
            extras.unlink()
    except OSError as exc:
        raise ImportFormatError(f"{out}: cannot write: {exc.strerror or exc}") from exc
    return tuple(written)


def _save(data: Mapping[str, Any], path: Path) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _read_back(path: Path, profile: dict[str, Any], domain: dict[str, Any], party_id: str) -> float:
    """The reservation value :func:`read_geniusweb` will read from ``profile``, as written."""
    at = _At(path)
    data = json.loads(json.dumps(profile))
    return _read_profile(at, data, _read_domain(at, json.loads(json.dumps(domain))), party_id).reservation
