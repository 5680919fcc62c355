"""The exact analysis engine: pure functions on utility arrays under a thin façade."""

from .analyze import Analysis, AnalysisConfig, Explanation, analyze, explain
from .pareto import pareto_frontier
from .results import (
    Blocker,
    FrontierPoint,
    Improvement,
    IssueChange,
    IssueCost,
    NearestPackage,
    NonSignatory,
    PartyLoss,
    PartyView,
    RedLineBlocker,
    ReservationCut,
    RuleBroken,
    Solution,
    SolutionView,
    Trade,
    Unblocking,
)
from .space import TOL, compile_space

__all__ = [
    "TOL",
    "Analysis",
    "AnalysisConfig",
    "Blocker",
    "Explanation",
    "FrontierPoint",
    "Improvement",
    "IssueChange",
    "IssueCost",
    "NearestPackage",
    "NonSignatory",
    "PartyLoss",
    "PartyView",
    "RedLineBlocker",
    "ReservationCut",
    "RuleBroken",
    "Solution",
    "SolutionView",
    "Trade",
    "Unblocking",
    "analyze",
    "compile_space",
    "explain",
    "pareto_frontier",
]
