"""Decision support under uncertainty: Monte Carlo robustness and one-at-a-time sensitivity.

Any weight, option value, reservation value, power or interaction value of a scenario may carry a
``range`` or a ``distribution`` (see docs/uncertainty.md). :func:`robustness` samples them all,
vectorised and seeded, and says how often each package of interest stays acceptable, which
package is the most robust, how stable the bargaining solutions are, and which inputs matter.
"""

from .inputs import UncertainInput, uncertain_inputs
from .recommend import recommend
from .sensitivity import Sensitivity, Threshold, TornadoBar
from .study import (
    PackageRobustness,
    Robustness,
    RobustnessConfig,
    SolutionStability,
    robustness,
)
from .utilities import UtilityModel

__all__ = [
    "PackageRobustness",
    "Robustness",
    "RobustnessConfig",
    "Sensitivity",
    "SolutionStability",
    "Threshold",
    "TornadoBar",
    "UncertainInput",
    "UtilityModel",
    "recommend",
    "robustness",
    "uncertain_inputs",
]
