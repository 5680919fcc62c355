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

from ..domain import Domain
from ..strategies import Strategy
from ..trace import ACCEPT, END, OFFER, Outcome, SessionConfig, Trace, outcome_utilities
from ._common import Recorder, open_session

__all__ = ["run_saop"]


def run_saop(domain: Domain, strategies: Sequence[Strategy], config: SessionConfig) -> tuple[Trace, Outcome]:
    """Run one SAOP session; the strategies are started (reset) here."""
    n = domain.n_parties
    state, clock, _ = open_session("saop", domain, strategies, config)
    observers = [(q, s) for q, s in enumerate(strategies) if s.observes_offers]
    n_turns = state.n_turns
    recorder = Recorder(state)
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
        state._advance(k, t)
        strategy = strategies[p]
        k += 1
        standing = state.standing
        if standing is not None and strategy.respond(state, standing):
            recorder.record(p, ACCEPT, standing)
            if state._accept() == n - 1:
                agreement, reason = standing, "agreement"
                break
            continue
        offer = strategy.propose(state)
        if offer is None:
            recorder.record(p, END)
            reason, ended_by = "ended", p
            break
        recorder.record(p, OFFER, offer)
        state._offer(p, offer)
        for q, observer in observers:
            if q != p:
                observer.observe(state, p, offer)
        if n == 1:
            agreement, reason = offer, "agreement"
            break
    else:
        t = 1.0
    trace = recorder.trace()
    utilities, raw = outcome_utilities(domain, agreement, t)
    outcome = Outcome(
        agreement=agreement,
        parties=tuple(range(n)) if agreement is not None else (),
        utilities=utilities,
        undiscounted=raw,
        reason=reason,
        rounds=trace.round[-1] + 1 if len(trace) else 0,
        turns=len(trace),
        time=t,
        ended_by=ended_by,
    )
    return trace, outcome
