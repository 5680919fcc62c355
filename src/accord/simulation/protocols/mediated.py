"""Mediated single-text negotiation (Raiffa 1982, *The Art and Science of Negotiation*, ch. 14).

At Camp David (1978) the American mediators drafted one negotiating text, put it to Egypt and
Israel, heard their objections, and redrafted it, some twenty times, until both could sign.
Here, each round the mediator (:mod:`accord.simulation.mediators`) proposes one text; every party
answers with :meth:`~accord.simulation.strategies.Strategy.respond_to_text`: accept, reject (not
yet) or veto (worse than no agreement). The text is agreed when every party accepts it, and then
binds them all. The mediator hears only the answers, never a utility. Relative time is the
round's share of the deadline, the same for every party in a round.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...errors import AccordError
from ..domain import Domain
from ..mediators import Mediator
from ..strategies import Strategy
from ..trace import (
    ACCEPT,
    MEDIATOR,
    REJECT,
    TEXT,
    VETO,
    Outcome,
    SessionConfig,
    Trace,
    outcome_utilities,
)
from ._common import Recorder, open_session

__all__ = ["run_mediated"]

_ANSWERS = frozenset({ACCEPT, REJECT, VETO})


def run_mediated(
    domain: Domain, strategies: Sequence[Strategy], mediator: Mediator, config: SessionConfig
) -> tuple[Trace, Outcome]:
    """Run one mediated session; the strategies and the mediator are started here."""
    n = domain.n_parties
    state, clock, (mediator_seed,) = open_session("mediated", domain, strategies, config, extra_seeds=1)
    mediator.start(domain.space.sizes, n, mediator_seed)
    n_turns = state.n_turns
    recorder = Recorder(state)
    agreement: int | None = None
    t = 1.0
    r = 0
    while n_turns is None or r * n < n_turns:
        k = r * n
        now = clock.at(k)
        if now is None:
            t = 1.0
            break
        t = now
        state._advance(k, t)
        r += 1
        text = int(mediator.propose(state))
        if not 0 <= text < domain.n_packages:
            raise AccordError(
                f"mediator '{mediator.label}' proposed package {text}, outside the "
                f"space of {domain.n_packages:,} packages"
            )
        recorder.record(MEDIATOR, TEXT, text)
        answers = []
        for p, strategy in enumerate(strategies):
            answer = strategy.respond_to_text(state, text)
            if answer not in _ANSWERS:
                raise AccordError(
                    f"strategy '{strategy.label}' answered a text with action "
                    f"{answer}; answer accept, reject or veto"
                )
            answers.append(answer)
            recorder.record(p, answer, text)
        mediator.hear(state, text, tuple(answers))
        if all(a == ACCEPT for a in answers):
            agreement = text
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
        reason="agreement" if agreement is not None else "deadline",
        rounds=r,
        turns=len(trace),
        time=t,
    )
    return trace, outcome
