"""The exact analysis engine: pure functions on utility arrays under a thin façade."""

from .analyze import (
    Analysis,
    AnalysisConfig,
    Explanation,
    FrontierPoint,
    Solution,
    analyze,
    explain,
)
from .pareto import pareto_frontier
from .space import TOL, compile_space

__all__ = [
    "TOL",
    "Analysis",
    "AnalysisConfig",
    "Explanation",
    "FrontierPoint",
    "Solution",
    "analyze",
    "compile_space",
    "explain",
    "pareto_frontier",
]
