"""Stacked alternating offers (SAOP) for any number of parties.

The protocol of Aydoğan, Festen, Hindriks and Jonker (2017), "Alternating offers protocols for
multilateral negotiation", *Modern Approaches to Agent-based Complex Automated Negotiation*,
SCI 674, as run by Genius and NegMAS's ``SAOMechanism``: the parties act in turn, in the
scenario's order, party 0 first. On its turn a party either accepts the package on the table or
makes a new offer (a counter-offer rejects the standing one), or walks away. An offer is agreed
when every other party has accepted it, each on its own next turn, with no counter-offer between.
The deadline is in rounds (each party acting once per round) and/or in seconds.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..domain import Domain
from ..state import Clock, NegotiationState
from ..strategies import Strategy
from ..trace import ACCEPT, END, OFFER, Outcome, SessionConfig, Trace, outcome_utilities

__all__ = ["run_saop"]


def run_saop(domain: Domain, strategies: Sequence[Strategy], config: SessionConfig) -> tuple[Trace, Outcome]:
    """Run one SAOP session; the strategies are started (reset) here."""
    n = domain.n_parties
    state = NegotiationState(protocol="saop", n_parties=n, n_rounds=config.n_rounds)
    # One seeding rule for every protocol: each party's generator comes from the session's seed,
    # whatever the strategies declare, so a strategy that wrongly calls itself deterministic
    # shows it under SAOP as under MOPAC.
    seeds = np.random.SeedSequence(config.seed).spawn(n)
    for p, strategy in enumerate(strategies):
        strategy.start(domain.views[p], state, seeds[p])
    observers = [(q, s) for q, s in enumerate(strategies) if s.observes_offers]
    n_turns = state.n_turns
    clock = Clock(n_turns, config.time_limit)

    turns: list[int] = []
    times: list[float] = []
    parties: list[int] = []
    actions: list[int] = []
    packages: list[int] = []
    standing = -1
    accepts = 0
    agreement: int | None = None
    ended_by: int | None = None
    reason = "deadline"
    t = 0.0
    k = 0
    while n_turns is None or k < n_turns:
        now = clock.at(k)
        if now is None:
            t = 1.0
            break
        t = now
        p = k % n
        state._turn = k
        state._round = k // n
        state._time = t
        strategy = strategies[p]
        turns.append(k)
        times.append(t)
        parties.append(p)
        k += 1
        if standing >= 0 and strategy.respond(state, standing):
            actions.append(ACCEPT)
            packages.append(standing)
            accepts += 1
            state._n_accepts = accepts
            if accepts == n - 1:
                agreement, reason = standing, "agreement"
                break
            continue
        offer = strategy.propose(state)
        if offer is None:
            actions.append(END)
            packages.append(-1)
            reason, ended_by = "ended", p
            break
        actions.append(OFFER)
        packages.append(offer)
        standing = offer
        accepts = 0
        state._standing = offer
        state._proposer = p
        state._n_accepts = 0
        for q, observer in observers:
            if q != p:
                observer.observe(state, p, offer)
        if n == 1:
            agreement, reason = offer, "agreement"
            break
    else:
        t = 1.0
    trace = Trace(
        tuple(turns),
        tuple(x // n for x in turns),
        tuple(times),
        tuple(parties),
        tuple(actions),
        tuple(packages),
    )
    utilities, raw = outcome_utilities(domain, agreement, t)
    rounds = (turns[-1] // n + 1) if turns else 0
    outcome = Outcome(
        agreement=agreement,
        parties=tuple(range(n)) if agreement is not None else (),
        utilities=utilities,
        undiscounted=raw,
        reason=reason,
        rounds=rounds,
        turns=len(turns),
        time=t,
        ended_by=ended_by,
    )
    return trace, outcome
