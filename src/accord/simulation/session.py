"""One negotiation session: a scenario (or its domain), one strategy per party, a config."""

from __future__ import annotations

from collections.abc import Sequence

from ..analysis.space import Space
from ..errors import AccordError
from ..model import Scenario
from .domain import Domain, build_domain
from .mediators import Mediator, make_mediator
from .protocols import run_mediated, run_mopac, run_saop
from .strategies import Strategy, make_strategy
from .trace import SessionConfig, SessionResult

__all__ = ["run_session", "strategies_for"]


def strategies_for(domain: Domain, strategies: Sequence[Strategy | str], protocol: str) -> list[Strategy]:
    """One strategy instance per party: names are built, a single entry plays every party, and
    each instance must be distinct (a strategy keeps per-session state) and support the protocol."""
    n = domain.n_parties
    if len(strategies) == 1 and n > 1:
        spec = strategies[0]
        strategies = [spec if isinstance(spec, str) else spec.clone() for _ in range(n)]
        if isinstance(spec, Strategy):
            strategies[0] = spec
    if len(strategies) != n:
        raise AccordError(
            f"{len(strategies)} strategies for {n} parties "
            f"({', '.join(domain.party_ids)}): give one per party, or one for all"
        )
    out = [make_strategy(s) for s in strategies]
    if len({id(s) for s in out}) != len(out):
        raise AccordError(
            "the same strategy instance plays two parties; give each party its own (strategy.clone())"
        )
    for s in out:
        if protocol not in s.protocols:
            raise AccordError(
                f"strategy '{s.name}' cannot play protocol '{protocol}'; it plays "
                f"{', '.join(sorted(s.protocols))}"
            )
    return out


def run_session(
    scenario: Scenario | Space | Domain,
    strategies: Sequence[Strategy | str],
    config: SessionConfig | None = None,
    *,
    mediator: Mediator | str | None = None,
) -> SessionResult:
    """Run one negotiation and return its trace and outcome.

    ``scenario`` may be a :class:`~accord.simulation.domain.Domain` built once with
    :func:`~accord.simulation.domain.build_domain` and shared by many sessions (much faster).
    ``strategies``: one per party in the scenario's order (or one for all), as instances or
    registry names such as ``"boulware"`` or ``"time-based(e=3)"``. Instances are started (reset)
    by the session and may be reused afterwards. The same ``config.seed`` gives the same result.
    ``config.protocol`` chooses the protocol (``"saop"``, ``"mopac"``, ``"mediated"``); a mediated
    session's mediator is ``mediator`` (an instance or a registry name) or ``config.mediator``.
    """
    config = config or SessionConfig()
    domain = scenario if isinstance(scenario, Domain) else build_domain(scenario)
    players = strategies_for(domain, strategies, config.protocol)
    if config.protocol == "mopac":
        trace, outcome = run_mopac(domain, players, config)
    elif config.protocol == "mediated":
        chosen = make_mediator(mediator if mediator is not None else config.mediator)
        trace, outcome = run_mediated(domain, players, chosen, config)
    else:
        trace, outcome = run_saop(domain, players, config)
    return SessionResult(domain, tuple(s.label for s in players), config, trace, outcome)
