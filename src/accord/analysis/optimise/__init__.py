"""The optimisation engine: exact answers for many parties and issues without the frontier.

Public entry points: :func:`best_package` (one certified optimum, for other engines such as the
coalition analysis), :func:`optimise_space` (what :func:`accord.analysis.analyze` uses) and
:func:`choose_engine`. See docs/analysis.md for the method and its guarantee.
"""

from .api import Best, best_package, choose_engine
from .engine import Attainable, Optimised, agreement_possible
from .engine import analyse as optimise_space
from .objectives import Chebyshev, MinGain, NashProduct, Objective, Utility, Welfare

__all__ = [
    "Attainable",
    "Best",
    "Chebyshev",
    "MinGain",
    "NashProduct",
    "Objective",
    "Optimised",
    "Utility",
    "Welfare",
    "agreement_possible",
    "best_package",
    "choose_engine",
    "optimise_space",
]
