"""The one check of reservation-value overrides (``-r PARTY=VALUE``, ``disagreement=``), shared
by the analysis, the coalition map and the sequence."""

from __future__ import annotations

import math
from collections.abc import Mapping

from ..errors import AnalysisError
from ..model import Scenario
from ..model.scenario import reservation_problem

__all__ = ["with_disagreement"]


def with_disagreement(scenario: Scenario, disagreement: Mapping[str, float] | None) -> Scenario:
    """``scenario`` with the reservation values ``disagreement`` overrides (party -> value), each
    checked as a loaded file's is: a known party, a finite value the party can reach."""
    if disagreement is None:
        return scenario
    unknown = sorted(set(disagreement) - set(scenario.party_ids))
    if unknown:
        raise AnalysisError(
            f"disagreement names unknown parties {', '.join(unknown)}; "
            f"parties are {', '.join(scenario.party_ids)}"
        )
    for pid, value in disagreement.items():
        if not math.isfinite(value):
            raise AnalysisError(f"disagreement value of '{pid}' must be finite, got {value}")
        problem = reservation_problem(scenario.issues, scenario.preferences[pid], float(value))
        if problem:
            raise AnalysisError(f"reservation value of '{pid}': {problem}")
    parties = tuple(
        p.model_copy(update={"reservation_value": float(disagreement[p.id])}) if p.id in disagreement else p
        for p in scenario.parties
    )
    return scenario.model_copy(update={"parties": parties})
