"""What a report says, independent of its format: plain values and figures built from an
:class:`~accord.analysis.Analysis` (and a :class:`~accord.uncertainty.Robustness` when given).

The HTML and Markdown templates only lay these values out; user text (names, rationales) is
passed as it is and escaped by the template engine of each format.
"""

from __future__ import annotations

import itertools
import math
import shlex
import textwrap
from collections.abc import Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from .._version import __version__
from ..analysis import Analysis
from ..analysis.coalitions import coalition_map
from ..analysis.sequence import sequence as run_sequence
from ..errors import AnalysisError
from ..forecast import forecast_scenario
from ..model import (
    Number,
    OptionValue,
    PiecewiseLinear,
    Scenario,
    Value,
    value_of,
)
from ..uncertainty import Robustness
from . import _figures as figures
from .brief import DEFAULT_PRECISION, brief, conditions, input_label, number, plural, signed, versus

__all__ = ["SOLUTIONS", "Content", "ReportConfig", "build_content"]

JSON = dict[str, Any]

SOLUTIONS = ("nash", "asymmetric_nash", "kalai_smorodinsky", "egalitarian", "utilitarian")


@dataclass(frozen=True, kw_only=True)
class ReportConfig:
    """What a report draws and lists.

    ``max_points``: packages evaluated for the scatter plots: all of them when the space is no
    larger, else a uniform sample of that many drawn with ``seed``. ``frontier_rows``: frontier
    packages listed (the frontier is drawn in full). ``pairs``: two party ids whose pairwise
    projection to draw (by default it is drawn only for two or three parties: beyond, a grid of
    panels no longer reads, and the heat map and the room strip carry the answer).
    ``precision``: decimals of utilities and gains. ``order``: the sequence of the talks
    (``'us+russia, ukraine, europe'``, as ``accord sequence --order``), shown first with each
    step's price and drawn as a step chart. ``coalitions``: whether to draw the coalition map of
    pairs (a matrix of each pair's slack; default: for up to four parties, as each pair costs
    one optimisation). ``tornado_bars``: uncertain inputs shown in the
    tornado.
    ``source``: what the scenario was loaded from (a bundled name or a path; default: its id),
    ``overrides``: the ``PARTY=VALUE`` reservation values it was analysed with, and ``command``:
    the command that reproduces the report (default: ``accord report SOURCE -r ...``); the
    report prints them so that a reader can make it again.
    """

    max_points: int = 200_000
    seed: int = 0
    frontier_rows: int = 20
    pairs: tuple[str, str] | None = None
    precision: int = DEFAULT_PRECISION
    order: str | None = None
    coalitions: bool | None = None
    tornado_bars: int = 15
    source: str | None = None
    overrides: tuple[str, ...] = ()
    command: str | None = None


@dataclass(frozen=True)
class Content:
    """The report's values (``data``, for the templates) and figures by name."""

    data: JSON
    figures: dict[str, tuple[Figure, str]]  # name -> (figure, alt text)


# -- small formatting helpers ---------------------------------------------------------------------


# The decimals of utilities and gains, set by build_content for the report it builds.
_PRECISION: ContextVar[int] = ContextVar("precision", default=DEFAULT_PRECISION)


def _f(x: float | None) -> str:
    return number(x, _PRECISION.get())


def _signed(x: float | None) -> str:
    return signed(x, _PRECISION.get())


def _plain_number(x: float) -> str:
    """An objective a person reads: three significant digits, never scientific notation."""
    if x == 0:
        return "0"
    return str(np.format_float_positional(x, precision=3, unique=False, fractional=False, trim="-"))


def _pct(x: float) -> str:
    return "100%" if x >= 1 else "0%" if x <= 0 else f"{100 * x:.1f}%"


def _g(x: float) -> str:
    return f"{x:g}"


def _spread(value: Value) -> str | None:
    """How uncertain a number is, in words, or None when it is certain."""
    if not isinstance(value, Number) or not value.is_uncertain:
        return None
    if value.range is not None:
        return f"range {_g(value.range[0])}–{_g(value.range[1])}"
    d = value.distribution
    assert d is not None
    if d.uniform is not None:
        return f"uniform {_g(d.uniform[0])}–{_g(d.uniform[1])}"
    if d.triangular is not None:
        lo, mode, hi = d.triangular
        return f"triangular {_g(lo)}–{_g(hi)}, mode {_g(mode)}"
    assert d.normal is not None
    n = d.normal
    bounds = (
        ""
        if n.min is None and n.max is None
        else f", within {'−∞' if n.min is None else _g(n.min)}–{'∞' if n.max is None else _g(n.max)}"
    )
    return f"normal, mean {_g(n.mean)}, sd {_g(n.sd)}{bounds}"


def _number(value: Value) -> JSON:
    number = value if isinstance(value, Number) else None
    return {
        "text": _g(value_of(value)),
        "spread": _spread(value),
        "rationale": number.rationale if number else None,
        "source": number.source if number else None,
    }


def _label(scenario: Scenario, issue_id: str, value: OptionValue) -> str:
    return scenario.issue(issue_id).label_of(value)


def _when(scenario: Scenario, when: Mapping[str, Any]) -> str:
    return conditions(scenario, when)


def _package(scenario: Scenario, package: Mapping[str, OptionValue]) -> list[JSON]:
    return [{"issue": scenario.issue(k).title, "option": _label(scenario, k, v)} for k, v in package.items()]


def _changes(
    scenario: Scenario, package: Mapping[str, OptionValue], base: Mapping[str, OptionValue] | None
) -> str:
    if base is None:
        return "; ".join(f"{scenario.issue(k).title}: {_label(scenario, k, v)}" for k, v in package.items())
    diff = [
        f"{scenario.issue(k).title}: {_label(scenario, k, v)}" for k, v in package.items() if base.get(k) != v
    ]
    return "; ".join(diff)


def _heat(x: float) -> str:
    """A background colour whose strength shows a share in [0, 1]."""
    return f"rgba(0, 114, 178, {0.08 + 0.55 * max(0.0, min(1.0, x)):.2f})"


def _prob_heat(p: float) -> str:
    """Green for likely, red for unlikely (p in [0, 1])."""
    p = max(0.0, min(1.0, p))
    return f"rgba({int(213 * (1 - p))}, {int(158 * p)}, {int(115 * p)}, 0.28)"


# -- the scenario ---------------------------------------------------------------------------------


def _scenario(s: Scenario) -> JSON:
    parties = [
        {
            "id": p.id,
            "title": p.title,
            "rationale": p.rationale,
            "source": p.source,
            "reservation": _number(p.reservation_value),
            "power": _number(p.power),
        }
        for p in s.parties
    ]
    issues = []
    for issue in s.issues:
        entry: JSON = {
            "id": issue.id,
            "title": issue.title,
            "rationale": issue.rationale,
            "source": issue.source,
            "size": issue.size,
            "options": [],
            "range": None,
        }
        if issue.range is not None:
            r = issue.range
            entry["range"] = f"{r.kind} from {_g(r.min)} to {_g(r.max)} in steps of {_g(r.step)}" + (
                f" {r.unit}" if r.unit else ""
            )
        else:
            assert issue.options is not None
            entry["options"] = [
                {
                    "id": o.id,
                    "label": o.label,
                    "description": o.description,
                    "rationale": o.rationale,
                    "source": o.source,
                }
                for o in issue.options
            ]
        issues.append(entry)
    return {
        "id": s.id,
        "name": s.name or s.id,
        "description": s.description,
        "source": s.source,
        "parties": parties,
        "issues": issues,
        "n_packages": f"{s.n_packages:,}",
        "sizes": " × ".join(str(i.size) for i in s.issues),
    }


def _preferences(s: Scenario) -> tuple[JSON, list[JSON]]:
    matrix_rows: list[JSON] = []
    out = []
    for party in s.parties:
        prefs = s.preferences[party.id]
        total = sum(value_of(w) for w in prefs.weights.values()) or 1.0
        shares = {k: value_of(w) / total for k, w in prefs.weights.items()}
        matrix_rows.append(
            {
                "party": party.title,
                "cells": [
                    {"text": f"{100 * shares.get(i.id, 0.0):.0f}%", "share": shares.get(i.id, 0.0)}
                    for i in s.issues
                ],
            }
        )
        issues = []
        for issue in s.issues:
            weight = prefs.weights.get(issue.id)
            table = prefs.values.get(issue.id)
            values: list[JSON] = []
            about: JSON = {"rationale": None, "source": None}
            if isinstance(table, PiecewiseLinear):
                unit = f" {issue.range.unit}" if issue.range is not None and issue.range.unit else ""
                values = [{"option": f"{_g(x)}{unit}", **_number(v)} for x, v in table.points]
                about = {"rationale": table.rationale, "source": table.source}
            elif table is not None:
                values = [{"option": _label(s, issue.id, o), **_number(v)} for o, v in table.items()]
            if weight is None and not values:
                continue
            issues.append(
                {
                    "title": issue.title,
                    "id": issue.id,
                    "weight": None if weight is None else _number(weight),
                    "share": _pct(shares.get(issue.id, 0.0)),
                    "piecewise": isinstance(table, PiecewiseLinear),
                    "option_values": values,
                    **about,
                }
            )
        out.append(
            {
                "id": party.id,
                "title": party.title,
                "rationale": prefs.rationale,
                "source": prefs.source,
                "issues": issues,
                "interactions": [
                    {
                        "when": _when(s, x.when),
                        "value": _number(x.value),
                        "rationale": x.rationale,
                        "source": x.source,
                    }
                    for x in prefs.interactions
                ],
                "red_lines": [
                    {"when": _when(s, x.when), "rationale": x.rationale, "source": x.source}
                    for x in prefs.red_lines
                ],
            }
        )
    top = max((c["share"] for row in matrix_rows for c in row["cells"]), default=1.0) or 1.0
    for row in matrix_rows:
        for cell in row["cells"]:
            cell["style"] = _heat(cell["share"] / top)  # the strongest weight is the darkest
    return {"issues": [i.title for i in s.issues], "rows": matrix_rows}, out


# -- the packages drawn ---------------------------------------------------------------------------


def _cloud(result: Analysis, config: ReportConfig) -> tuple[figures.Cloud, str]:
    """Utilities of every package (or a uniform sample), which are acceptable to all, and
    a sentence saying which."""
    space = result.space
    sizes = np.array(space.sizes, dtype=np.int64)
    n = space.n_packages
    if n <= config.max_points:
        flat_all = np.arange(n, dtype=np.int64)
        said = f"all {n:,} packages"
    else:
        rng = np.random.default_rng(config.seed)
        flat_all = np.sort(rng.integers(0, n, size=config.max_points, dtype=np.int64))
        said = f"a uniform sample of {config.max_points:,} of the {n:,} packages (seed {config.seed})"
    floor = space.floor_q
    utilities, acceptable = [], []
    for start in range(0, len(flat_all), 1 << 16):
        flat = flat_all[start : start + (1 << 16)].copy()
        x = np.empty((len(flat), len(sizes)), dtype=np.int64)
        for i in reversed(range(len(sizes))):
            x[:, i] = flat % sizes[i]
            flat //= sizes[i]
        u, q, allowed = space.evaluate(x)
        utilities.append(u)
        acceptable.append(allowed & np.all(q >= floor, axis=1))
    solutions = {
        key: np.array([sol.utilities[p] for p in result.scenario.party_ids])
        for key in SOLUTIONS
        if (sol := getattr(result, key)) is not None
    }
    cloud = figures.Cloud(
        parties=tuple(p.title for p in result.scenario.parties),
        packages=np.concatenate(utilities),
        acceptable=np.concatenate(acceptable),
        frontier=np.asarray(result.frontier.utilities, dtype=np.float64).reshape(-1, space.n_parties),
        solutions=solutions,
        reservation=np.asarray(space.reservation, dtype=np.float64),
    )
    return cloud, said


# -- the analysis ---------------------------------------------------------------------------------


def _summary(result: Analysis) -> JSON:
    s = result.scenario
    d = result.to_dict()
    if result.n_acceptable is not None:
        n_acc = f"{result.n_acceptable:,}"
        share = result.n_acceptable / max(1, result.n_packages)
    else:
        est = d["n_acceptable_estimate"]
        n_acc = f"about {est['value']:,.0f} (estimated)" if est else "not counted"
        share = (est["value"] / max(1, result.n_packages)) if est else math.nan
    findings = []
    if result.agreement_exists:
        findings.append(
            f"{n_acc} of the {result.n_packages:,} packages "
            f"({'' if math.isnan(share) else f'{100 * share:.3g}% of them'}) are acceptable to every "
            + (
                f"party; {plural(len(result.frontier), 'distinct utility vector')} among them "
                f"{'is' if len(result.frontier) == 1 else 'are'} Pareto-optimal."
                if result.pareto_frontier_complete
                else "party; their Pareto frontier is not listed whole, and "
                f"{plural(len(result.frontier), 'representative Pareto-optimal utility vector')} "
                "(the bargaining solutions, each party's best and a spread of others) stand for it."
            )
        )
        if result.slack is not None:
            findings.append(
                f"Together, every party could still raise its reservation value by "
                f"{_f(result.slack)} and an agreement would remain."
            )
    elif result.slack is not None:
        findings.append(
            f"All reservation values would have to fall by {_f(-result.slack)} "
            "together (or the blockers below move) for an agreement to exist."
        )
    for view in result.non_signatories:
        name = view.party
        refusing = [sol for sol, v in view.solutions.items() if not v.accepts]
        findings.append(
            f"{s.party(name).title if name in s.party_ids else name} is not a signatory: "
            "its refusal does not block"
            + (
                f"; it would not accept the {', '.join(figures.SOLUTION_STYLE[r][0] for r in refusing)} "
                f"{'package' if len(refusing) == 1 else 'packages'}."
                if refusing
                else "."
            )
        )
    for c in s.constraints:
        findings.append(
            f"Excluded as not a coherent package (a constraint of the scenario): {_when(s, c.when)}"
            + (f" — {c.rationale}" if c.rationale else "")
            + "."
        )
    if result.nash is not None:
        findings.append(
            "The Nash solution: "
            + "; ".join(f"{x['issue']}: {x['option']}" for x in _package(s, result.nash.package))
            + "."
        )
    return {
        "n_parties": len(s.parties),
        "n_issues": len(s.issues),
        "n_packages": f"{result.n_packages:,}",
        "n_red_line_free": f"{result.n_allowed:,}",
        "n_acceptable": n_acc,
        "n_frontier": f"{len(result.frontier):,}"
        + ("" if result.pareto_frontier_complete else " (representative)"),
        "agreement": result.agreement_exists,
        "slack": _f(result.slack),
        "findings": findings,
        "notes": list(result.notes),
    }


def _solutions(result: Analysis) -> JSON:
    s = result.scenario
    # One rule for identical columns: each distinct package once, titled with every solution
    # that chooses it ("Nash = Nash (power)").
    groups: list[tuple[list[str], Any]] = []
    for key in SOLUTIONS:
        sol = getattr(result, key)
        if sol is None:
            continue
        same = next((keys for keys, o in groups if o.package == sol.package), None)
        if same is not None:
            same.append(key)
        else:
            groups.append(([key], sol))
    sols = [(keys[0], sol) for keys, sol in groups]
    columns = [
        {
            "key": keys[0],
            "title": " = ".join(figures.SOLUTION_STYLE[k][0] for k in keys),
            "colour": figures.SOLUTION_STYLE[keys[0]][1],
            "objective": "; ".join(
                _objective(result, k)
                if len(keys) == 1
                else f"{figures.SOLUTION_STYLE[k][0]} {_objective(result, k)}"
                for k in keys
            ),
            "ties": len(sol.ties),
        }
        for keys, sol in groups
    ]
    definitions = [
        {"title": figures.SOLUTION_STYLE[k][0], "definition": getattr(result, k).definition}
        for k in SOLUTIONS
        if getattr(result, k) is not None
    ]
    issue_rows = [
        {
            "issue": issue.title,
            "cells": [
                {
                    "text": _label(s, issue.id, sol.package[issue.id]) if sol else "—",
                    "differs": bool(
                        sol and result.nash and sol.package[issue.id] != result.nash.package[issue.id]
                    ),
                }
                for _, sol in sols
            ],
        }
        for issue in s.issues
    ]
    party_rows = []
    for p in s.parties:
        # Shaded by the party's gain, relative to its largest gain under any solution.
        top = max((sol.gains[p.id] for _, sol in sols if sol is not None), default=0.0) or 1.0
        party_rows.append(
            {
                "party": p.title,
                "reservation": _f(p.reservation),
                "cells": [
                    {
                        "text": _f(sol.utilities[p.id]) if sol else "—",
                        "gain": _signed(sol.gains[p.id]) if sol else "",
                        "style": _heat(sol.gains[p.id] / top) if sol else "",
                    }
                    for _, sol in sols
                ],
            }
        )
    return {
        "columns": columns,
        "definitions": definitions,
        "shared": any(len(keys) > 1 for keys, _ in groups),
        "issue_rows": issue_rows,
        "party_rows": party_rows,
        "any": bool(sols),
        "closest": None
        if result.closest_package is None or result.agreement_exists
        else _package(s, result.closest_package),
    }


def _objective(result: Analysis, key: str) -> str:
    """A solution's objective as a person reads it. A Nash product of eight gains is a number
    like 0.000000014; its geometric mean (weighted by power for the power-weighted Nash) is the
    same ranking on the gains' own scale, so that is what is shown, and said."""
    sol = getattr(result, key)
    if key not in ("nash", "asymmetric_nash"):
        return _plain_number(sol.objective)
    s = result.scenario
    weights = np.array([p.bargaining_power if key == "asymmetric_nash" else 1.0 for p in s.parties])
    gains = np.array([sol.gains[p.id] for p in s.parties])
    if np.any(gains <= 0):
        return f"{_f(0.0)} (a party gains nothing)"
    mean = float(np.exp(np.sum(weights * np.log(gains)) / np.sum(weights)))
    return f"{_f(mean)} per party (geometric mean of the gains)"


def _frontier_rows(result: Analysis, rows: int) -> JSON:
    s = result.scenario
    points = sorted(result.pareto_frontier, key=lambda p: -sum(p.utilities.values()))[:rows]
    base = result.nash.package if result.nash else None
    out = []
    for p in points:
        changes = _changes(s, p.package, base)
        out.append(
            {
                "changes": changes or "the Nash package",
                "utilities": [_f(p.utilities[x]) for x in s.party_ids],
                "n_equivalent": "—" if p.n_equivalent is None else f"{p.n_equivalent:,}",
            }
        )
    return {
        "rows": out,
        "shown": len(out),
        "total": f"{len(result.frontier):,}" + ("" if result.pareto_frontier_complete else " representative"),
        "parties": [p.title for p in s.parties],
        "relative": base is not None,
    }


def _versus(headroom: float | None) -> str:
    """Best attainable against the reservation value, in words a reader cannot misread."""
    return versus(headroom, _PRECISION.get())


def _blockers(result: Analysis) -> JSON:
    s = result.scenario
    rows = []
    for b in result.blockers:
        rows.append(
            {
                "party": s.party(b.party).title,
                "reservation": _f(b.reservation_value),
                "best": _f(b.best_attainable),
                "shortfall": _versus(b.headroom),
                "blocks": b.blocks,
                "others_disagree": b.best_attainable is None,
                "costly": [
                    f"{s.issue(c.issue).title}: {_label(s, c.issue, c.option)} instead of "
                    f"{_label(s, c.issue, c.best_option)} ({_signed(-c.loss)})"
                    for c in b.costly_issues
                ],
                "package": None
                if b.package is None
                else _changes(s, b.package, result.nash.package if result.nash else None),
            }
        )
    red = [
        {"party": s.party(r.party).title, "when": _when(s, r.when), "rationale": r.rationale}
        for r in result.red_line_blockers
    ]
    return {"rows": rows, "red_lines": red}


def _trades(result: Analysis) -> JSON:
    s = result.scenario
    rows = []
    for t in result.trades:
        a, b = t.parties
        rows.append(
            {
                "parties": f"{s.party(a).title} & {s.party(b).title}",
                "changes": [
                    f"{s.issue(c.issue).title}: {_label(s, c.issue, c.from_option)} → "
                    f"{_label(s, c.issue, c.to_option)}"
                    for c in t.changes
                ],
                "gains": f"{_signed(t.gains[a])} / {_signed(t.gains[b])}",
                "losses": ", ".join(f"{s.party(x.party).title} {_signed(-x.loss)}" for x in t.losses)
                or "nobody",
                "others": ", ".join(
                    f"{s.party(p).title} {_signed(g)}"
                    for p, g in t.gains.items()
                    if p not in (a, b) and abs(g) > 1e-9
                )
                or "—",
                "acceptable": t.acceptable_to_all,
            }
        )
    return {"rows": rows, "reference": "the Nash package" if result.nash else "the closest package"}


# -- robustness -----------------------------------------------------------------------------------


def _robustness(
    rob: Robustness, result: Analysis, config: ReportConfig
) -> tuple[JSON, tuple[Figure, str] | None]:
    s = result.scenario
    base = result.nash.package if result.nash else result.closest_package
    titles = {key: style[0] for key, style in figures.SOLUTION_STYLE.items()}
    titles |= {"named": "named", "robust": "most robust", "closest": "closest"}
    labels = {x.name: input_label(s, x) for x in rob.inputs}
    inputs = [
        {
            "name": labels[x.name],
            "party": s.parties[x.party].title,
            "kind": x.kind,
            "distribution": x.description,
            "nominal": _g(x.nominal),
            "low": _g(x.low),
            "high": _g(x.high),
            "rationale": x.number.rationale,
        }
        for x in rob.inputs
    ]
    packages = [
        {
            "labels": ", ".join(titles.get(x, x) for x in p.labels),
            "changes": _changes(s, p.package, base) or "the nominal Nash package",
            "p_all": _pct(p.p_all_accept),
            "p_all_style": _prob_heat(p.p_all_accept),
            "p_accept": [
                {"text": _pct(p.p_accept[q]), "style": _prob_heat(p.p_accept[q])} for q in s.party_ids
            ],
            "worst": _signed(min(p.worst_decile_gain.values())),
            "nominal": "yes" if p.nominal_acceptable else "no",
        }
        for p in rob.packages
    ]
    stability = [
        {
            "solution": titles.get(x.solution, x.solution),
            "p_same": _pct(x.p_same),
            "p_none": _pct(x.p_no_agreement),
            "often": "; ".join(
                f"{_changes(s, pkg, x.package) or 'the same package'} ({_pct(share)})"
                for pkg, share in x.most_frequent[:2]
            )
            or "—",
        }
        for x in rob.solutions
    ]
    sens = rob.sensitivity
    reference = "Nash package" if sens.reference == "nash" else "closest package"
    # Largest swing first, as the chart's title says (the analysis orders by acceptance flips).
    bars = sorted(sens.tornado, key=lambda b: (-b.swing, b.input))[: config.tornado_bars]
    rows, tornado = [], []
    for bar in bars:
        pid = max(s.party_ids, key=lambda q: (abs(bar.gain_high[q] - bar.gain_low[q]), q))
        nominal = sens.nominal_gains.get(pid, 0.0)
        title = s.party(pid).title
        tornado.append(
            figures.TornadoRow(
                f"{labels.get(bar.input, bar.input)} ({_g(bar.low)}–{_g(bar.high)})",
                bar.gain_low[pid],
                nominal,
                bar.gain_high[pid],
            )
        )
        rows.append(
            {
                "input": labels.get(bar.input, bar.input),
                "party": title,
                "range": f"{_g(bar.low)}–{_g(bar.high)}",
                "low": _signed(bar.gain_low[pid]),
                "nominal": _signed(nominal),
                "high": _signed(bar.gain_high[pid]),
                "swing": _f(bar.swing),
                "rejects_low": ", ".join(s.party(q).title for q in bar.rejected_by_low) or "—",
                "rejects_high": ", ".join(s.party(q).title for q in bar.rejected_by_high) or "—",
            }
        )
    thresholds = [
        {
            "input": labels.get(t.input, t.input),
            "party": s.party(t.party).title,
            "value": "—" if t.value is None else f"{t.value:.4g}",
            "accepts": {
                "above": "at or above it",
                "below": "at or below it",
                "always": "whatever the value",
                "never": "at no value",
            }[t.accepts],
        }
        for t in sens.thresholds
    ]
    most = rob.most_robust
    figure = None
    if tornado:
        figure = (
            figures.tornado_chart(tornado, reference=reference),
            f"Tornado chart: how far each uncertain input, swung across its range with the others "
            f"nominal, moves the gain of the party it moves most in the {reference}, largest swing "
            "first: a bar crossing the red line flips that party's acceptance",
        )
    return {
        "samples": f"{rob.samples:,}",
        "seed": rob.seed,
        "n_inputs": len(rob.inputs),
        "inputs": inputs,
        "candidates": rob.candidates.get("searched", ""),
        "packages": packages,
        "parties": [p.title for p in s.parties],
        "most_robust": None
        if most is None
        else {
            "changes": _changes(s, most.package, base) or "the nominal Nash package",
            "package": _package(s, most.package),
            "p_all": _pct(most.p_all_accept),
        },
        "stability": stability,
        "reference": reference,
        "reference_package": None if sens.package is None else _package(s, sens.package),
        "tornado": rows,
        "thresholds": thresholds,
        "notes": list(rob.notes),
    }, figure


# -- everything -----------------------------------------------------------------------------------


def build_content(
    result: Analysis, *, robustness: Robustness | None = None, config: ReportConfig | None = None
) -> Content:
    """The values and figures of a report on ``result`` (and ``robustness`` when given)."""
    config = config or ReportConfig()
    s = result.scenario
    weights, preferences = _preferences(s)
    # The packages are evaluated for the two-party scatter only; it is drawn for two or three
    # parties, or for the two named.
    drawn = config.pairs is not None or 2 <= len(s.parties) <= 3
    cloud, cloud_said = _cloud(result, config) if drawn else (None, "")
    token = _PRECISION.set(config.precision)
    try:
        return _build(result, robustness, config, weights, preferences, cloud, cloud_said)
    finally:
        _PRECISION.reset(token)


def _pairs(cloud: figures.Cloud | None, config: ReportConfig, s: Scenario) -> figures.Cloud | None:
    """The cloud of the two parties the reader named, or of every party when there are at most
    three (a grid of more panels than that no longer reads)."""
    if cloud is None:
        return None
    if config.pairs is not None:
        unknown = [p for p in config.pairs if p not in s.party_ids]
        if unknown or len(set(config.pairs)) != 2:
            raise AnalysisError(
                f"ReportConfig.pairs {config.pairs!r}: name two different parties of "
                f"'{s.id}' ({', '.join(s.party_ids)})"
            )
        cols = [s.party_ids.index(p) for p in config.pairs]
        return figures.Cloud(
            parties=tuple(cloud.parties[c] for c in cols),
            packages=cloud.packages[:, cols],
            acceptable=cloud.acceptable,
            frontier=cloud.frontier[:, cols],
            solutions={k: u[cols] for k, u in cloud.solutions.items()},
            reservation=cloud.reservation[cols],
        )
    return cloud if 2 <= len(s.parties) <= 3 else None


MAX_MATRIX_PARTIES = 20


def _pair_slack(s: Scenario) -> np.ndarray:
    """The slack of every pair of parties and of each alone (:func:`coalition_map` on those
    coalitions), as a symmetric matrix; NaN where a pair has no package at all."""
    ids = s.party_ids
    named = [[p] for p in ids] + [list(c) for c in itertools.combinations(ids, 2)]
    found = coalition_map(s, coalitions=named).to_dict()["coalitions"]
    out = np.full((len(ids), len(ids)), np.nan)
    for c in found:
        at = [ids.index(m) for m in c["members"]]
        i, j = (at[0], at[0]) if len(at) == 1 else (max(at), min(at))
        out[i, j] = out[j, i] = np.nan if c["slack"] is None else c["slack"]
    return out


def _heat_columns(result: Analysis) -> tuple[list[str], list[list[float]]]:
    """The packages of the heat map: the one to table, then each distinct bargaining solution
    (solutions that choose the same package share a column); the closest package when none
    is acceptable to all. Each with every party's utility."""
    s = result.scenario
    titles: list[str] = []
    rows: list[list[float]] = []
    packages: list[Mapping[str, OptionValue]] = []
    rec = result.recommendation
    if rec is not None:
        titles.append("to table")
        rows.append([rec["utilities"][p] for p in s.party_ids])
        packages.append(rec["package"])
    for key in SOLUTIONS:
        sol = getattr(result, key)
        if sol is None:
            continue
        title = figures.SOLUTION_STYLE[key][0]
        if sol.package in packages:
            at = packages.index(sol.package)
            titles[at] += f" = {title}"
            continue
        titles.append(title)
        rows.append([sol.utilities[p] for p in s.party_ids])
        packages.append(sol.package)
    if not rows and result.closest_package is not None:
        options = np.asarray(result.space.indices(result.closest_package), dtype=np.int64)
        titles.append("closest package")
        rows.append([float(u) for u in result.space.evaluate(options[None, :])[0][0]])
    return [t.replace(" = ", " =\n") for t in titles], rows


def _build(
    result: Analysis,
    robustness: Robustness | None,
    config: ReportConfig,
    weights: JSON,
    preferences: list[JSON],
    cloud: figures.Cloud | None,
    cloud_said: str,
) -> Content:
    s = result.scenario
    figs: dict[str, tuple[Figure, str]] = {}
    titles, utilities = _heat_columns(result)
    if utilities:
        reservation = np.array([p.reservation for p in s.parties])
        gains = np.array(utilities, dtype=np.float64).T - reservation[:, None]
        figs["heatmap"] = (
            figures.gains_heatmap([p.title for p in s.parties], titles, gains),
            "Each party's gain over its reservation value in the package to table and under each "
            "bargaining solution: read down a column for who gains least, across a row for which "
            "package a party prefers"
            if result.agreement_exists
            else "Each party's gain over its reservation value in the closest package: the "
            "negative cells are the parties that reject it, and by how much",
        )
    room = {b.party: b.headroom for b in result.blockers}
    if room:
        figs["room"] = (
            figures.room_strip([p.title for p in s.parties], [room.get(p) for p in s.party_ids]),
            "Room above each party's reservation value in the best package every other party "
            "accepts, least room first: a bar left of zero is a party that alone blocks agreement, "
            "and its length is how far its reservation value would have to fall",
        )
    seq = None
    if config.order:
        seq = run_sequence(s, config.order)
        done = [st for st in seq.steps if st.package is not None]
        if done:
            labels = [
                textwrap.fill(f"{n}. " + " + ".join(s.parties[p].title for p in st.newcomers), 26)
                for n, st in enumerate(done, 1)
            ]
            steps_u = np.array([st.package.utilities for st in done if st.package is not None])
            figs["sequence"] = (
                figures.sequence_chart(labels, [p.title for p in s.parties], steps_u),
                "Each party's utility after each step of the sequence: a fall from one step to the "
                "next is the price that step makes the party pay"
                + ("" if len(done) == len(seq.steps) else "; the next step is blocked"),
            )
    coalitions = config.coalitions if config.coalitions is not None else len(s.parties) <= 4
    if coalitions and 2 <= len(s.parties) <= MAX_MATRIX_PARTIES:
        figs["coalitions"] = (
            figures.coalition_matrix([p.title for p in s.parties], _pair_slack(s)),
            "The slack of each pair of parties, and on the diagonal of each party alone: how far "
            "both could raise their reservation values together and still agree; a negative cell "
            "is a pair that cannot agree even between themselves",
        )
    pairs = _pairs(cloud, config, s)
    if pairs is not None:
        figs["pairs"] = (
            figures.pairs_grid(pairs),
            "The packages, those every party accepts (blue), the Pareto frontier (black) and the "
            "bargaining solutions, two parties at a time: the zone of agreement is up and to the "
            "right of both dashed reservation lines",
        )
    rob = None
    if robustness is not None:
        other = robustness.scenario
        if (other.id, other.party_ids, other.issue_ids) != (s.id, s.party_ids, s.issue_ids):
            raise AnalysisError(
                f"the robustness result is of scenario '{other.id}', not of the "
                f"analysed '{s.id}' (or its parties or issues differ); run both "
                "on the same scenario"
            )
        rob, tornado = _robustness(robustness, result, config)
        if tornado is not None:
            figs["tornado"] = tornado
    given = [config.source or s.id, *(a for o in config.overrides for a in ("-r", o))]
    data: JSON = {
        "version": __version__,
        "analyze_command": shlex.join(["accord", "analyze", *given, "--json"]),
        "sample_command": shlex.join(["accord", "report", *given, "--samples", "10000"]),
        "pairs_command": shlex.join(
            ["accord", "report", *given, "--pairs", ",".join(s.party_ids[:2]), "-o", "report.html"]
        ),
        "command": config.command or shlex.join(["accord", "report", *given]),
        "scenario": _scenario(s),
        "weights": weights,
        "preferences": preferences,
        "summary": _summary(result),
        "brief": brief(result, sequence=seq, precision=config.precision).to_dict(),
        "cloud": cloud_said,
        "frontier": _frontier_rows(result, config.frontier_rows),
        "solutions": _solutions(result),
        "blockers": _blockers(result),
        "trades": _trades(result),
        "forecast": _forecast(s),
        "robustness": rob,
        "uncertain": any(isinstance(v, Number) and v.is_uncertain for v in _numbers(s)),
    }
    return Content(data, figs)


def _forecast(s: Scenario) -> list[JSON]:
    """Where Bueno de Mesquita's expected-utility model says each issue settles, shown beside
    the bargaining solutions (docs/forecast.md: positions, saliences and capabilities)."""
    out = []
    for f in forecast_scenario(s).issues:
        out.append(
            {
                "issue": s.issue(f.issue).title,
                "settles_at": _label(s, f.issue, f.settles_at),
                "start": _g(round(f.forecast.rounds[0].median, 4)),
                "end": _g(round(f.forecast.final.median, 4)),
                "rounds": len(f.forecast.rounds) - 1,
            }
        )
    return out


def _numbers(s: Scenario) -> Sequence[Value]:
    out: list[Value] = []
    for p in s.parties:
        out += [p.reservation_value, p.power]
    for prefs in s.preferences.values():
        out += list(prefs.weights.values())
        for table in prefs.values.values():
            out += (
                [v for _, v in table.points] if isinstance(table, PiecewiseLinear) else list(table.values())
            )
        out += [x.value for x in prefs.interactions]
    return out
