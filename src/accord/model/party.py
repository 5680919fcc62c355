"""Parties at the table."""

from __future__ import annotations

from pydantic import Field

from ._base import Frozen, Identifier, Real, Text, Value, value_of

__all__ = ["Party"]


class Party(Frozen):
    """A party: its reservation value is its utility of no agreement (on the normalised scale).

    ``power`` weighs the party in the asymmetric Nash solution and in weighted votes;
    ``discount_factor`` (in (0, 1]) is kept for simulation, where utilities shrink over time.
    """

    id: Identifier
    name: Text | None = None
    reservation_value: Value = 0.0
    power: Value = 1.0
    discount_factor: Real | None = Field(default=None, gt=0.0, le=1.0)
    rationale: Text | None = None
    source: Text | None = None

    @property
    def title(self) -> str:
        return self.name or self.id

    @property
    def reservation(self) -> float:
        """The reservation value as a float."""
        return value_of(self.reservation_value)

    @property
    def bargaining_power(self) -> float:
        """The bargaining power (``power``) as a float; ``weight`` is reserved for issue weights."""
        return value_of(self.power)
