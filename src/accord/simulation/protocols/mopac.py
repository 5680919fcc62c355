"""Multiple offers, partial consensus: a multi-party voting protocol after GeniusWeb's MOPAC.

GeniusWeb's MOPAC protocol (Pasman and Jonker, TU Delft; GeniusWeb documentation, "MOPAC"; the
Python port ``geniusweb.protocol.session.mopac``: ``MOPACState``, ``OfferPhase``,
``VotingPhase``, ``OptInPhase``, with ``geniusweb.voting.CollectedVotes`` and the
``LargestAgreementsLoop`` evaluator) runs in rounds of three phases:

1. **Offer**: every party at the table makes an offer (or walks away: ``EndNegotiation``).
2. **Voting**: every party sees all the offers and the parties' powers and votes (``Votes``) for
   any of them, each vote with conditions on the power of the coalition it will join
   (``Vote(bid, minPower, maxPower)``).
3. **Opt-in**: every party sees all the votes (``OptIn``) and may *extend* its votes (more
   packages, a lower minimum or a higher maximum; never withdraw one).

After the opt-in phase the votes decide: for each offer, the largest-power set of its voters of
at least two parties that every one of their votes admits is a viable coalition; the offer with
the most powerful coalition agrees, its parties leave the table, and the search repeats among
the rest (``LargestAgreementsLoop``), so one round may give several disjoint **partial
agreements**. Only an agreement that binds every signatory (``signatories`` in the scenario;
every party by default) is the session's agreement; partial agreements that leave a signatory
out are reported as such (``reason`` ``partial``). The others go on to the next round; the
session ends when fewer than two parties remain at the table or at the deadline. accord adds a
power-weighted quorum (``SessionConfig.quorum``): a coalition must hold at least that share of
all the parties' total power (their ``power`` in the scenario), so with the default one half at
most one coalition can form. Relative time is the round's share of the deadline, the same for
every party in a round.
"""

from __future__ import annotations

from collections.abc import Sequence
from types import MappingProxyType

from ...errors import AccordError
from ..domain import Domain
from ..strategies import Strategy
from ..trace import (
    AGREE,
    END,
    OFFER,
    OPT_IN,
    VOTE,
    Agreement,
    Outcome,
    SessionConfig,
    Trace,
    settled_utilities,
)
from ..voting import Vote, largest_agreements
from ._common import Recorder, open_session

__all__ = ["run_mopac"]


def run_mopac(domain: Domain, strategies: Sequence[Strategy], config: SessionConfig) -> tuple[Trace, Outcome]:
    """Run one MOPAC session; the strategies are started (reset) here."""
    n = domain.n_parties
    powers = tuple(float(p.bargaining_power) for p in domain.scenario.parties)
    quorum_power = config.quorum * sum(powers)
    state, clock, _ = open_session(
        "mopac", domain, strategies, config, powers=powers, quorum_power=quorum_power
    )
    n_turns = state.n_turns
    recorder = Recorder(state, votes=True)
    record = recorder.record

    active = list(range(n))
    agreements: list[Agreement] = []
    ended_by: int | None = None
    t = 0.0
    r = 0
    while len(active) >= 2:
        if n_turns is not None and r * n >= n_turns:
            t = 1.0
            break
        k = r * n
        now = clock.at(k)
        if now is None:
            t = 1.0
            break
        t = now
        state._advance(k, t)
        state._seat(tuple(active))
        r += 1

        # Offer phase.
        offers: list[tuple[int, int]] = []
        for p in tuple(active):
            x = strategies[p].propose(state)
            if x is None:
                record(p, END)
                active.remove(p)
                ended_by = p if ended_by is None else ended_by
            else:
                record(p, OFFER, x)
                offers.append((p, x))
        state._seat(tuple(active))
        if len(active) < 2:
            break
        for q in active:
            if strategies[q].observes_offers:
                for p, x in offers:
                    if p != q:
                        strategies[q].observe(state, p, x)
        on_table = list(dict.fromkeys(x for _, x in offers))

        # Voting phase.
        votes: dict[int, dict[int, Vote]] = {}
        for p in active:
            mine: dict[int, Vote] = {}
            for x in on_table:
                v = strategies[p].vote(state, x)
                if v is not None:
                    mine[x] = v
                    record(p, VOTE, x, v)
            votes[p] = mine

        # Opt-in phase: every party sees the same votes; extensions apply together.
        seen = MappingProxyType({p: MappingProxyType(dict(v)) for p, v in votes.items()})
        extensions: list[tuple[int, int, Vote]] = []
        for p in active:
            for x, v in strategies[p].opt_in(state, seen).items():
                if x not in on_table:
                    raise AccordError(
                        f"strategy '{strategies[p].label}' opted in to package {x}, "
                        "which is not on the table this round"
                    )
                old = votes[p].get(x)
                new = v if old is None else old.widened(v)
                if new != old:
                    extensions.append((p, x, new))
        for p, x, v in extensions:
            votes[p][x] = v
            record(p, OPT_IN, x, v)

        # The votes decide: largest coalitions first, several disjoint ones possible.
        for x, group in largest_agreements(on_table, votes, active, powers, quorum_power):
            index = len(agreements)
            agreements.append(Agreement(x, group, state.round, t))
            for p in group:
                record(p, AGREE, x, agreement=index)
            active = [p for p in active if p not in group]
        state._seat(tuple(active))

    trace = recorder.trace()
    utilities, raw = settled_utilities(domain, agreements, t)
    # An agreement needs every signatory (every party unless the scenario names signatories):
    # a partial agreement that leaves one out is reported, but it is not the agreement.
    ids = domain.scenario.party_ids
    required = {ids.index(p) for p in domain.scenario.required}
    binding = next((a for a in agreements if required <= set(a.parties)), None)
    if binding is not None:
        reason = "agreement"
    elif agreements:
        reason = "partial"
    else:
        reason = "ended" if ended_by is not None and len(active) < 2 else "deadline"
    outcome = Outcome(
        agreement=None if binding is None else binding.package,
        parties=() if binding is None else binding.parties,
        utilities=utilities,
        undiscounted=raw,
        reason=reason,
        rounds=r,
        turns=len(trace),
        time=t,
        ended_by=ended_by,
        agreements=tuple(agreements),
    )
    return trace, outcome
