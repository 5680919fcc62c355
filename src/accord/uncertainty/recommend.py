"""A recommendation under uncertainty: one package to table, and the rule that chose it."""

from __future__ import annotations

import dataclasses

import numpy as np

from ..analysis.analyze import Analysis, recommendation
from ..analysis.bargaining import break_ties, nash_points
from ..analysis.space import canonical_keys
from .study import Robustness

__all__ = ["recommend"]


def recommend(analysis: Analysis, robust: Robustness) -> Analysis:
    """``analysis`` with its recommendation chosen under the scenario's uncertain inputs.

    The rule: among the Pareto-optimal acceptable packages (the nominal frontier), the one with
    the highest probability, over ``robust``'s samples, that every signatory accepts it; ties
    by the Nash product (Nash 1950), then by :func:`~accord.analysis.bargaining.break_ties`.
    Without uncertain inputs, or without an agreement, the analysis keeps the Nash rule.
    ``robust`` must come from :func:`~accord.uncertainty.robustness` on ``analysis.scenario``.
    A robustness criterion of this kind ("the alternative most likely to stay acceptable") is
    the probabilistic acceptability of stochastic multicriteria acceptability analysis
    (Lahdelma, Hokkanen and Salminen, "SMAA", European Journal of Operational Research 106(1),
    1998), restricted to the Pareto-optimal packages.
    """
    if not robust.inputs or analysis.nash is None or not len(analysis.frontier):
        return analysis
    by_package = {
        tuple(row): p
        for row, p in zip(robust.analysis.frontier.options.tolist(), robust.frontier_p_all, strict=True)
    }
    f = analysis.frontier
    p_all = np.array([by_package.get(tuple(row), np.nan) for row in f.options.tolist()])
    if np.all(np.isnan(p_all)):
        return analysis
    best = np.nanmax(p_all)
    tied = np.flatnonzero(p_all == best)
    d = analysis.space.reservation
    pick = tied[nash_points(f.utilities[tied], d).indices]
    j = int(break_ties(pick, f.utilities, canonical_keys(analysis.space, f.options))[0])
    parties = analysis.scenario.parties
    rule = (
        "Table the Pareto-optimal acceptable package that every signatory accepts with the highest "
        f"probability over the uncertain inputs ({100 * best:.1f}% of {robust.samples:,} samples, "
        f"seed {robust.seed}); ties broken by the Nash product."
    )
    p_solutions = {
        name: row.p_all_accept for row in robust.packages for name in row.labels if name != "robust"
    }
    found = recommendation(
        {
            "nash": analysis.nash,
            "asymmetric_nash": analysis.asymmetric_nash,
            "kalai_smorodinsky": analysis.kalai_smorodinsky,
            "egalitarian": analysis.egalitarian,
            "utilitarian": analysis.utilitarian,
        },
        rule=rule,
        package=analysis.space.package(f.options[j]),
        utilities={p.id: round(float(u), 9) + 0.0 for p, u in zip(parties, f.utilities[j], strict=True)},
        p_all_accept=p_solutions,
    )
    if found is not None:
        found["p_all_accept"] = float(best)
        found["samples"] = robust.samples
        found["seed"] = robust.seed
    return dataclasses.replace(analysis, recommendation=found)
