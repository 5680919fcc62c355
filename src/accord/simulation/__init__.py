"""Simulation: how negotiations under a protocol and given strategies unfold.

Imports the model and the analysis; nothing there imports this package.
"""

from .domain import Domain, PartyView, build_domain
from .mediators import MEDIATORS, Mediator
from .session import run_session
from .state import NegotiationState
from .strategies import STRATEGIES, Strategy, make_strategy, strategy_names
from .tournament import TournamentConfig, TournamentResult, run_tournament
from .trace import Agreement, Event, Outcome, PartyUtilities, SessionConfig, SessionResult, Trace
from .voting import Vote

__all__ = [
    "MEDIATORS",
    "STRATEGIES",
    "Agreement",
    "Domain",
    "Event",
    "Mediator",
    "NegotiationState",
    "Outcome",
    "PartyUtilities",
    "PartyView",
    "SessionConfig",
    "SessionResult",
    "Strategy",
    "TournamentConfig",
    "TournamentResult",
    "Trace",
    "Vote",
    "build_domain",
    "make_strategy",
    "run_session",
    "run_tournament",
    "strategy_names",
]
