"""Rich terminal reports of analyses and explanations."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table

from ..analysis import Analysis, Explanation, Solution
from ..model import OptionValue, Scenario
from ..report.brief import DEFAULT_PRECISION, Brief, brief, conditions, number, plural, signed, versus
from ._common import esc

_SOLUTIONS = (
    ("nash", "Nash"),
    ("asymmetric_nash", "Nash (power)"),
    ("kalai_smorodinsky", "Kalai–Smorodinsky"),
    ("egalitarian", "Egalitarian"),
    ("utilitarian", "Utilitarian"),
)
TITLES = dict(_SOLUTIONS) | {"robust": "most robust", "named": "named", "closest": "closest"}


def _label(scenario: Scenario, issue_id: str, value: OptionValue) -> str:
    return scenario.issue(issue_id).label_of(value)


def first_screen(console: Console, b: Brief) -> None:
    """The brief: verdict, package to table and its rule, gains, who blocks, the sequence."""
    colour = "green" if b.agreement else "red"
    console.print(f"[bold {colour}]{esc(b.verdict)}[/]", highlight=False)
    if not b.agreement:  # who blocks matters more than the closest package
        _blocking(console, b)
    if b.package:
        console.print(f"[bold]{b.package_is}:[/]", highlight=False)
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="dim", overflow="fold")
        grid.add_column(overflow="fold")
        for issue, option in b.package:
            grid.add_row(esc(issue), esc(option))
        console.print(Padding(grid, (0, 0, 0, 2), expand=False))
    if b.rule:
        console.print(f"[dim]Rule:[/] {esc(b.rule)}", highlight=False)
    if b.gains:
        table = Table(title="What it gives each party", title_justify="left", box=box.SIMPLE_HEAD)
        for col in ("party", "utility", "reservation", "gain"):
            table.add_column(col, justify="left" if col == "party" else "right")
        for g in b.gains:
            style = "red" if g.gain.startswith("−") else ""
            table.add_row(
                esc(g.party), g.utility, g.reservation, f"[{style}]{g.gain}[/]" if style else g.gain
            )
        console.print(table)
    if b.agreement:
        _blocking(console, b)
    if b.order:
        console.print(f"[bold]Sequence[/] ({esc(b.order)}):", highlight=False)
        for n, step in enumerate(b.steps, 1):
            mark = "" if step.possible else "[red]"
            console.print(f"  {n}. {mark}{esc(step.text)}{'[/]' if mark else ''}", highlight=False)
        if b.sequence_end:
            console.print(f"  {esc(b.sequence_end)}", highlight=False)
    # Piped, the console is unbounded (tables are not folded): the rule keeps a reader's width.
    console.print(Rule("[dim]detail[/]", style="dim"), width=console.width if console.is_terminal else 80)


def _blocking(console: Console, b: Brief) -> None:
    for n, line in enumerate(b.blocking):
        console.print(f"[bold]{esc(line)}[/]" if n == 0 else esc(line), highlight=False)


def analysis(
    console: Console,
    result: Analysis,
    *,
    frontier_rows: int = 10,
    precision: int = DEFAULT_PRECISION,
    order: str | None = None,
) -> None:
    s = result.scenario
    d = result.to_dict()
    acceptable = (
        "none"
        if not result.agreement_exists
        else f"{result.n_acceptable:,}"
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
        f"[bold]{esc(s.name or s.id)}[/]\n"
        f"{who} · {len(s.issues)} issues · {result.n_packages:,} packages · "
        f"{acceptable} acceptable to every {'signatory' if others else 'party'} · "
        + f"{len(result.pareto_frontier):,} Pareto-optimal"
        + ("" if result.pareto_frontier_complete else " shown (a representative set, not the whole frontier)")
    )
    console.print(Panel(head, expand=False))
    first_screen(console, brief(result, order=order, precision=precision))
    _recommendation(console, result, precision)
    _outside(console, result)
    _solutions_table(console, result, precision)
    _frontier_table(console, result, frontier_rows, precision)
    _blockers_table(console, result, precision)
    _trades_table(console, result, precision)
    for note in result.notes:
        console.print(f"[yellow]note:[/] {esc(note)}", highlight=False)


def _outside(console: Console, result: Analysis) -> None:
    """The parties that are not signatories, and the scenario's constraints."""
    s = result.scenario
    for view in result.non_signatories:
        refused = [TITLES.get(name, name) for name, v in view.solutions.items() if not v.accepts]
        console.print(
            f"[dim]Not a signatory (its refusal does not block):[/] {esc(view.party)}"
            + (f" would refuse the {', '.join(refused)} package." if refused else " accepts every solution."),
            highlight=False,
        )
    for c in s.constraints:
        console.print(
            "[dim]Excluded as not a coherent package:[/] "
            + esc(conditions(s, c.when))
            + (f" — {esc(c.rationale)}" if c.rationale else ""),
            highlight=False,
        )


def _recommendation(console: Console, result: Analysis, precision: int) -> None:
    rec = result.recommendation
    if rec is None:
        return
    s = result.scenario
    table = Table(
        title="The package to table and the alternatives: each party's utility", title_justify="left"
    )
    table.add_column("package", overflow="fold")
    for party in s.parties:
        table.add_column(esc(party.title), justify="right", overflow="fold")
    uncertain = any(a["p_all_accept"] is not None for a in rec["alternatives"])
    if uncertain:
        table.add_column("P(all accept)", justify="right")
    rows = []
    if not any(a["is_recommended"] for a in rec["alternatives"]):
        rows.append(("[bold]to table[/]", rec["utilities"], rec.get("p_all_accept")))
    rows += [
        (
            " = ".join(TITLES[x] for x in a["solutions"]) + (" (to table)" if a["is_recommended"] else ""),
            a["utilities"],
            a["p_all_accept"],
        )
        for a in rec["alternatives"]
    ]
    for label, utilities, p in rows:
        cells = [number(utilities[x.id], precision) for x in s.parties]
        if uncertain:
            cells.append("—" if p is None else f"{100 * p:.1f}%")
        table.add_row(label, *cells)
    console.print(table)
    console.print(
        "[dim]Solutions that choose the same package share a row (joined by =).[/]", highlight=False
    )


def distinct_solutions(result: Analysis) -> list[tuple[str, Solution]]:
    """The bargaining solutions found, each distinct package once: solutions that choose the
    same package share one column, titled with every name joined by ``=`` (the one rule for
    identical columns, here and in the report)."""
    out: list[tuple[list[str], Solution]] = []
    for key, title in _SOLUTIONS:
        sol = getattr(result, key)
        if sol is None:
            continue
        same = next((names for names, o in out if o.package == sol.package), None)
        if same is not None:
            same.append(title)
        else:
            out.append(([title], sol))
    return [(" = ".join(names), sol) for names, sol in out]


def _solutions_table(console: Console, result: Analysis, precision: int) -> None:
    s = result.scenario
    if not result.agreement_exists:
        if result.closest_package:
            table = Table(title="Closest package (largest smallest gain)", title_justify="left")
            table.add_column("issue", overflow="fold")
            table.add_column("option", overflow="fold")
            for issue_id, value in result.closest_package.items():
                table.add_row(esc(s.issue(issue_id).title), esc(_label(s, issue_id, value)))
            console.print(table)
        return
    sols = distinct_solutions(result)
    table = Table(
        title="Bargaining solutions (packages every party accepts; solutions that choose the same "
        "package share a column)",
        title_justify="left",
    )
    table.add_column("", style="bold", overflow="fold")
    for title, _ in sols:
        table.add_column(esc(title), overflow="fold")
    for issue in s.issues:
        table.add_row(esc(issue.title), *[esc(_label(s, issue.id, sol.package[issue.id])) for _, sol in sols])
    table.add_section()
    for party in s.parties:
        table.add_row(
            f"{esc(party.title)} (reservation {number(party.reservation, precision)})",
            *[number(sol.utilities[party.id], precision) for _, sol in sols],
        )
    table.add_row("other packages tied", *[str(len(sol.ties)) for _, sol in sols])
    console.print(table)


def _changes(s: Scenario, package: dict[str, OptionValue], base: dict[str, OptionValue]) -> str:
    return "; ".join(f"{s.issue(k).title}: {_label(s, k, v)}" for k, v in package.items() if base.get(k) != v)


def _frontier_table(console: Console, result: Analysis, rows: int, precision: int) -> None:
    if not result.pareto_frontier or rows <= 0:
        return
    s = result.scenario
    points = sorted(result.pareto_frontier, key=lambda p: -sum(p.utilities.values()))[:rows]
    # Packages are shown as their difference from the Nash package: short, and it is what a
    # mediator compares.
    base = result.nash.package if result.nash else points[0].package
    what = "the Nash package" if result.nash else "the first"
    kind = "" if result.pareto_frontier_complete else " (representative, not all of it)"
    table = Table(
        title=f"Pareto frontier{kind}: {plural(len(result.pareto_frontier), 'utility vector')} "
        f"(top {len(points)} by total utility; packages as changes to {what})",
        title_justify="left",
    )
    table.add_column("package", overflow="fold", ratio=3)
    for party in s.parties:
        table.add_column(esc(party.title), justify="right", overflow="fold")
    table.add_column("equivalent packages", justify="right")
    for p in points:
        table.add_row(
            esc(_changes(s, p.package, base)) or f"[bold]{what}[/]",
            *[number(p.utilities[x.id], precision) for x in s.parties],
            "—" if p.n_equivalent is None else f"{p.n_equivalent:,}",
        )
    console.print(table)


def _blockers_table(console: Console, result: Analysis, precision: int) -> None:
    parties = result.blockers
    if not parties:
        return
    s = result.scenario
    table = Table(
        title="Who is hardest to bring along: the most each party can get while every other party accepts",
        title_justify="left",
    )
    for col in (
        "party",
        "reservation",
        "best attainable",
        "against its reservation",
        "costliest issues there",
    ):
        table.add_column(
            col,
            justify="right" if col not in ("party", "costliest issues there") else "left",
            overflow="fold",
        )
    for b in parties:
        if b.best_attainable is None:
            table.add_row(
                esc(s.party(b.party).title),
                number(b.reservation_value, precision),
                "—",
                "—",
                "[dim]the other parties cannot all be satisfied at once[/]",
            )
            continue
        costs = "; ".join(
            f"{s.issue(c.issue).title}: {_label(s, c.issue, c.option)} ({signed(-c.loss, precision)})"
            for c in b.costly_issues
        )
        gap = versus(b.headroom, precision, what="it")
        table.add_row(
            esc(s.party(b.party).title),
            number(b.reservation_value, precision),
            number(b.best_attainable, precision),
            f"[bold red]{gap}[/]" if b.blocks else gap,
            esc(costs),
        )
    console.print(table)
    for line in result.red_line_blockers:
        console.print(
            "[red]Red line that alone blocks agreement:[/] "
            f"{esc(s.party(line.party).title)} refuses {esc(conditions(s, line.when))}"
            + (f" — {esc(line.rationale)}" if line.rationale else ""),
            highlight=False,
        )


def _trades_table(console: Console, result: Analysis, precision: int) -> None:
    if not result.trades:
        return
    s = result.scenario
    ref = "the Nash package" if result.nash else "the closest package"
    table = Table(
        title=f"Exchanges from {ref}: two parties each concede one issue to win another; "
        "the others pay (losses first)",
        title_justify="left",
    )
    for col in ("who loses", "between", "changes", "their gains", "still acceptable to all?"):
        table.add_column(col, overflow="fold")
    for t in result.trades:
        a, b = t.parties
        changes = "; ".join(
            f"{s.issue(c.issue).title}: {_label(s, c.issue, c.from_option)} → "
            f"{_label(s, c.issue, c.to_option)}"
            for c in t.changes
        )
        losses = ", ".join(f"{s.party(x.party).title} {signed(-x.loss, precision)}" for x in t.losses)
        table.add_row(
            esc(losses) or "[green]nobody: a gain for all[/]",
            esc(f"{s.party(a).title} & {s.party(b).title}"),
            esc(changes),
            f"{signed(t.gains[a], precision)} / {signed(t.gains[b], precision)}",
            "yes" if t.acceptable_to_all else "no",
        )
    console.print(table)


def explanation(console: Console, result: Explanation, *, precision: int = DEFAULT_PRECISION) -> None:
    s = result.scenario
    rejecting = ", ".join(s.party(p).title for p in result.rejected_by)
    verdict = (
        "[bold green]acceptable to every party[/]"
        if result.acceptable
        else f"[bold red]rejected by {esc(rejecting)}[/]"
        if result.rejected_by
        else "[bold red]breaks a constraint of the scenario[/]"
    )
    console.print(
        Panel(
            esc(", ".join(f"{s.issue(k).title}: {_label(s, k, v)}" for k, v in result.package.items()))
            + f"\n{verdict}",
            title="Package",
            expand=False,
        )
    )
    table = Table()
    for col in ("party", "utility", "reservation", "gain", "accepts", "why / costliest issues"):
        table.add_column(col, overflow="fold")
    for view in result.parties:
        why: list[Any] = [f"red line: {r.rationale or conditions(s, r.when)}" for r in view.red_lines_crossed]
        why += [
            f"{s.issue(c.issue).title}: {_label(s, c.issue, c.option)} instead of "
            f"{_label(s, c.issue, c.best_option)} ({signed(-c.loss, precision)})"
            for c in view.costly_issues
        ]
        table.add_row(
            esc(s.party(view.party).title),
            number(view.utility, precision),
            number(view.reservation_value, precision),
            signed(view.gain, precision),
            "[green]yes[/]" if view.accepts else "[red]no[/]",
            esc("\n".join(why)),
        )
    console.print(table)
    if result.nearest and not result.acceptable:
        n = result.nearest
        changes = ", ".join(f"{s.issue(i).title} → {_label(s, i, n.package[i])}" for i in n.issues_changed)
        console.print(
            f"Nearest package every party accepts ({plural(len(n.issues_changed), 'issue')} changed): "
            f"{esc(changes)}",
            highlight=False,
        )
    if result.note:
        console.print(f"[yellow]{esc(result.note)}[/]", highlight=False)
    _improvements(console, result, precision)


def _improvements(console: Console, result: Explanation, precision: int) -> None:
    s = result.scenario
    if result.n_pareto_optimal_improvements == 0:
        console.print(
            "[green]Pareto-optimal:[/] no package is at least as good for every party and better for one."
        )
        return
    console.print(
        f"[bold]Pareto improvements[/] (every party at least as well off, one better; fewest issues "
        f"changed first; {plural(result.n_pareto_optimal_improvements, 'Pareto-optimal package')} "
        f"{'improves' if result.n_pareto_optimal_improvements == 1 else 'improve'} on it):",
        highlight=False,
    )
    for imp in result.improvements:
        changes = ", ".join(
            f"{s.issue(c.issue).title}: {_label(s, c.issue, c.from_option)} → "
            f"{_label(s, c.issue, c.to_option)}"
            for c in imp.issues_changed
        )
        gains = ", ".join(
            f"{s.party(p).title} {signed(g, precision)}" for p, g in imp.gains.items() if g > 5e-10
        )
        console.print(f"  {esc(changes)}  [dim]({esc(gains)})[/]", highlight=False)
