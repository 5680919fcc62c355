"""accord: an exact engine for multi-party, multi-issue agreements.

>>> import accord
>>> scenario = accord.load("car-sale")
>>> result = accord.analyze(scenario)
>>> result.to_dict()["n_packages"] > 0
True
"""

from ._load import bundled_scenarios, load
from ._version import __version__
from .analysis import Analysis, AnalysisConfig, Explanation, analyze, explain
from .errors import (
    AccordError,
    AnalysisError,
    ImportFormatError,
    ScenarioError,
    SpaceTooLargeError,
)
from .model import Issue, Option, Party, Preferences, Scenario
from .simulation import (
    SessionConfig,
    SessionResult,
    TournamentConfig,
    TournamentResult,
    run_session,
    run_tournament,
)
from .uncertainty import Robustness, RobustnessConfig, robustness

__all__ = [
    "AccordError",
    "Analysis",
    "AnalysisConfig",
    "AnalysisError",
    "Explanation",
    "ImportFormatError",
    "Issue",
    "Option",
    "Party",
    "Preferences",
    "Robustness",
    "RobustnessConfig",
    "Scenario",
    "ScenarioError",
    "SessionConfig",
    "SessionResult",
    "SpaceTooLargeError",
    "TournamentConfig",
    "TournamentResult",
    "__version__",
    "analyze",
    "bundled_scenarios",
    "explain",
    "load",
    "robustness",
    "run_session",
    "run_tournament",
]
