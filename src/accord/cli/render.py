"""Rich terminal reports of analyses and explanations."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.panel import Panel
from rich.table import Table

from ..analysis import Analysis, Explanation
from ..model import OptionValue, Scenario
from ._common import esc

_SOLUTIONS = (
    ("nash", "Nash"),
    ("asymmetric_nash", "Nash (power)"),
    ("kalai_smorodinsky", "Kalai–Smorodinsky"),
    ("egalitarian", "Egalitarian"),
    ("utilitarian", "Utilitarian"),
)


def _label(scenario: Scenario, issue_id: str, value: OptionValue) -> str:
    # Every name, id and label from the file goes through esc(): "[" starts Rich markup and a
    # control character would reach the terminal.
    return esc(scenario.issue(issue_id).label_of(value))


def _u(x: float | None) -> str:
    return "—" if x is None else f"{x:.3f}"


def analysis(console: Console, result: Analysis, *, frontier_rows: int = 10) -> None:
    s = result.scenario
    d = result.to_dict()
    acceptable = (
        f"{result.n_acceptable:,}"
        if result.n_acceptable is not None
        else f"≈{d['n_acceptable_estimate']['value']:,.0f} (estimated)"
    )
    others = len(result.non_signatories)
    who = (
        f"{len(s.parties)} signatories of {len(s.parties) + others} parties"
        if others
        else f"{len(s.parties)} parties"
    )
    head = (
        f"[bold]{esc(s.name or s.id)}[/]  ({esc(s.id)})\n"
        f"{who} · {len(s.issues)} issues · {result.n_packages:,} packages · "
        f"{acceptable} acceptable to every {'signatory' if others else 'party'} · "
        f"{len(result.pareto_frontier):,} Pareto-optimal"
    )
    console.print(Panel(head, expand=False))
    if result.agreement_exists:
        console.print(
            f"[bold green]Agreement is possible.[/] Every party can be made better off "
            f"than by no agreement; together they could still raise their reservation "
            f"values by {_u(result.slack)} each."
        )
    else:
        msg = "[bold red]No package is acceptable to every party.[/]"
        console.print(msg)
        _unblocking(console, result)
        if result.slack is not None:
            console.print(
                f"Or the reservation values would all have to fall by {-result.slack:.3f} together "
                "for an agreement to exist."
            )
    _recommendation(console, result)
    _outside(console, result)
    _solutions_table(console, result)
    _frontier_table(console, result, frontier_rows)
    _blockers_table(console, result)
    _trades_table(console, result)
    for note in result.notes:
        console.print(f"[yellow]note:[/] {esc(note)}")


def _plain(value: object) -> str:
    """A condition as the file wrote it: 80, not 80.0."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return "[" + ", ".join(_plain(v) for v in value) + "]"
    if hasattr(value, "model_dump"):
        return str(value.model_dump(exclude_none=True))
    return str(value)


def _outside(console: Console, result: Analysis) -> None:
    """The parties that are not signatories, and the scenario's constraints."""
    s = result.scenario
    for view in result.non_signatories:
        refused = [name for name, v in view["solutions"].items() if not v["accepts"]]
        console.print(
            f"[dim]Not a signatory (its refusal does not block):[/] {esc(view['party'])}"
            + (f" would refuse the {', '.join(refused)} package." if refused else " accepts every solution."),
            highlight=False,
        )
    for c in s.constraints:
        console.print(
            "[dim]Excluded as not a coherent package:[/] "
            + ", ".join(f"{esc(k)}={esc(_plain(v))}" for k, v in c.when.items())
            + (f" — {esc(c.rationale)}" if c.rationale else ""),
            highlight=False,
        )


def _recommendation(console: Console, result: Analysis) -> None:
    rec = result.recommendation
    if rec is None:
        return
    s = result.scenario
    console.print(
        "[bold]Package to table:[/] "
        + "; ".join(f"{esc(s.issue(k).title)}: {_label(s, k, v)}" for k, v in rec["package"].items()),
        highlight=False,
    )
    console.print(f"[dim]Rule:[/] {rec['rule']}", highlight=False)
    table = Table(title="What it and the alternatives give each party", title_justify="left")
    table.add_column("package")
    for party in s.parties:
        table.add_column(esc(party.id), justify="right")
    uncertain = any(a["p_all_accept"] is not None for a in rec["alternatives"])
    if uncertain:
        table.add_column("P(all accept)", justify="right")
    rows = []
    if not any(a["is_recommended"] for a in rec["alternatives"]):
        rows.append(("[bold]recommended[/]", rec["utilities"], rec.get("p_all_accept")))
    rows += [
        (
            " = ".join(a["solutions"]) + (" (recommended)" if a["is_recommended"] else ""),
            a["utilities"],
            a["p_all_accept"],
        )
        for a in rec["alternatives"]
    ]
    for label, utilities, p in rows:
        cells = [_u(utilities[x.id]) for x in s.parties]
        if uncertain:
            cells.append("—" if p is None else f"{100 * p:.1f}%")
        table.add_row(label, *cells)
    console.print(table)


def _unblocking(console: Console, result: Analysis) -> None:
    """Who blocks, named first, and the smallest changes that would allow agreement."""
    s = result.scenario
    found = result.unblocking or {}
    cuts = [c for c in found.get("reservation_cuts", []) if c["lower_by"] is not None]
    for n, c in enumerate(cuts):
        r, by = c["reservation_value"], c["lower_by"]
        lead = f"[bold]{esc(s.party(c['party']).title)} blocks agreement[/]:" if n == 0 else "  or"
        console.print(
            f"{lead} its reservation value would have to fall by {by:.3f} (from {r:.3f} to {r - by:.3f}), "
            "the others unchanged.",
            highlight=False,
        )
    for group in found.get("red_line_sets", []):
        lines = " and ".join(f"{esc(s.party(x['party']).title)}'s red line {esc(x['when'])}" for x in group)
        console.print(f"  or drop {lines}.", highlight=False)


def _versus(headroom: float | None) -> str:
    if headroom is None:
        return "—"
    if abs(headroom) < 5e-10:
        return "exactly at reservation"
    return f"{abs(headroom):.3f} {'above' if headroom > 0 else 'below'}"


def _solutions_table(console: Console, result: Analysis) -> None:
    s = result.scenario
    sols = [(title, getattr(result, key)) for key, title in _SOLUTIONS]
    if not result.agreement_exists:
        if result.closest_package:
            table = Table(title="Closest package (largest smallest gain)", title_justify="left")
            table.add_column("issue")
            table.add_column("option")
            for issue_id, value in result.closest_package.items():
                table.add_row(esc(s.issue(issue_id).title), _label(s, issue_id, value))
            console.print(table)
        return
    if result.nash and result.asymmetric_nash and result.nash.package == result.asymmetric_nash.package:
        sols = [x for x in sols if x[0] != "Nash (power)"]
    table = Table(title="Bargaining solutions (packages every party accepts)", title_justify="left")
    table.add_column("", style="bold")
    for title, _ in sols:
        table.add_column(title)
    for issue in s.issues:
        table.add_row(
            esc(issue.title), *[_label(s, issue.id, sol.package[issue.id]) if sol else "—" for _, sol in sols]
        )
    table.add_section()
    for party in s.parties:
        table.add_row(
            f"{esc(party.title)} (rv {party.reservation:.2f})",
            *[_u(sol.utilities[party.id]) if sol else "—" for _, sol in sols],
        )
    table.add_row("ties", *[str(len(sol.ties)) if sol else "—" for _, sol in sols])
    console.print(table)


def _frontier_table(console: Console, result: Analysis, rows: int) -> None:
    if not result.pareto_frontier or rows <= 0:
        return
    s = result.scenario
    points = sorted(result.pareto_frontier, key=lambda p: -sum(p.utilities.values()))[:rows]
    # Packages are shown as their difference from the Nash point: short, and it is what a
    # mediator compares.
    base = result.nash.package if result.nash else points[0].package
    table = Table(
        title=f"Pareto frontier: {len(result.pareto_frontier):,} utility vectors "
        f"(top {len(points)} by total utility; packages as changes to the Nash point)",
        title_justify="left",
    )
    table.add_column("package")
    for party in s.parties:
        table.add_column(esc(party.id), justify="right")
    table.add_column("equiv.", justify="right")
    for p in points:
        diff = [esc(f"{k}={v}") for k, v in p.package.items() if base.get(k) != v]
        table.add_row(
            ", ".join(diff) or "[bold]the Nash point[/]" if result.nash else ", ".join(diff),
            *[_u(p.utilities[x.id]) for x in s.parties],
            "—" if p.n_equivalent is None else str(p.n_equivalent),
        )
    console.print(table)


def _blockers_table(console: Console, result: Analysis) -> None:
    parties = [b for b in result.blockers if "party" in b]
    if not parties:
        return
    s = result.scenario
    table = Table(
        title="Who is hardest to bring along: the most each party can get while every other party accepts",
        title_justify="left",
    )
    for col in ("party", "reservation", "best attainable", "vs its reservation", "costliest issues there"):
        table.add_column(col, justify="right" if col not in ("party", "costliest issues there") else "left")
    for b in parties:
        if b["best_attainable"] is None:
            table.add_row(
                esc(s.party(b["party"]).title),
                _u(b["reservation_value"]),
                "—",
                "—",
                "[dim]the other parties cannot all be satisfied at once[/]",
            )
            continue
        costs = "; ".join(
            f"{esc(s.issue(c['issue']).title)}: {_label(s, c['issue'], c['option'])} (−{c['loss']:.2f})"
            for c in b["costly_issues"]
        )
        versus = _versus(b["headroom"])
        table.add_row(
            esc(s.party(b["party"]).title),
            _u(b["reservation_value"]),
            _u(b["best_attainable"]),
            f"[bold red]{versus}[/]" if b["blocks"] else versus,
            costs,
        )
    console.print(table)
    for b in result.blockers:
        for line in b.get("red_lines", []):
            console.print(
                f"[red]Red line that alone blocks agreement:[/] {esc(line['party'])} refuses "
                f"{esc(line['when'])} — {esc(line['rationale'] or '')}"
            )


def _trades_table(console: Console, result: Analysis) -> None:
    if not result.trades:
        return
    s = result.scenario
    ref = "the Nash point" if result.nash else "the closest package"
    table = Table(
        title=f"Exchanges from {ref}: two parties each concede one issue to win another; "
        "the others pay (losses first)",
        title_justify="left",
    )
    for col in ("who loses", "between", "changes", "their gains", "still acceptable to all?"):
        table.add_column(col)
    for t in result.trades:
        a, b = t["parties"]
        changes = "; ".join(
            f"{esc(s.issue(c['issue']).title)}: {_label(s, c['issue'], c['from'])} → "
            f"{_label(s, c['issue'], c['to'])}"
            for c in t["changes"]
        )
        losses = ", ".join(f"{esc(x['party'])} −{x['loss']:.3f}" for x in t["losses"])
        table.add_row(
            losses or "[green]nobody: a gain for all[/]",
            f"{esc(a)} & {esc(b)}",
            changes,
            f"+{t['gains'][a]:.3f} / +{t['gains'][b]:.3f}",
            "yes" if t["acceptable_to_all"] else "no",
        )
    console.print(table)


def explanation(console: Console, result: Explanation) -> None:
    s = result.scenario
    verdict = (
        "[bold green]acceptable to every party[/]"
        if result.acceptable
        else f"[bold red]rejected by {esc(', '.join(result.rejected_by))}[/]"
    )
    console.print(
        Panel(
            ", ".join(f"{esc(s.issue(k).title)}: {_label(s, k, v)}" for k, v in result.package.items())
            + f"\n{verdict}",
            title="Package",
            expand=False,
        )
    )
    table = Table()
    for col in ("party", "utility", "reservation", "gain", "accepts", "why / costliest issues"):
        table.add_column(col)
    for view in result.parties:
        why: list[Any] = [f"red line: {esc(r['rationale'] or r['when'])}" for r in view["red_lines_crossed"]]
        why += [
            f"{esc(s.issue(c['issue']).title)}: {_label(s, c['issue'], c['option'])} instead of "
            f"{_label(s, c['issue'], c['best_option'])} (−{c['loss']:.2f})"
            for c in view["costly_issues"]
        ]
        table.add_row(
            esc(s.party(view["party"]).title),
            _u(view["utility"]),
            _u(view["reservation_value"]),
            f"{view['gain']:+.3f}",
            "[green]yes[/]" if view["accepts"] else "[red]no[/]",
            "\n".join(why),
        )
    console.print(table)
    if result.nearest and not result.acceptable:
        n = result.nearest
        changes = ", ".join(
            f"{esc(s.issue(i).title)} → {_label(s, i, n['package'][i])}" for i in n["issues_changed"]
        )
        console.print(
            f"Nearest package every party accepts ({len(n['issues_changed'])} issues changed): {changes}"
        )
    if result.note:
        console.print(f"[yellow]{esc(result.note)}[/]")
    _improvements(console, result)


def _improvements(console: Console, result: Explanation) -> None:
    s = result.scenario
    if result.n_pareto_optimal_improvements == 0:
        console.print(
            "[green]Pareto-optimal:[/] no package is at least as good for every party and better for one."
        )
        return
    console.print(
        f"[bold]Pareto improvements[/] (every party at least as well off, one better; fewest issues "
        f"changed first; {result.n_pareto_optimal_improvements:,} Pareto-optimal packages improve on it):"
    )
    for imp in result.improvements:
        changes = ", ".join(
            f"{esc(s.issue(c['issue']).title)}: {_label(s, c['issue'], c['from'])} → "
            f"{_label(s, c['issue'], c['to'])}"
            for c in imp["issues_changed"]
        )
        gains = ", ".join(f"{esc(p)} +{g:.3f}" for p, g in imp["gains"].items() if g > 5e-10)
        console.print(f"  {changes}  [dim]({gains})[/]", highlight=False)
