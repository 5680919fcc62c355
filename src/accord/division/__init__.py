"""Fair division between two parties: Brams and Taylor's Adjusted Winner, exactly.

See docs/fair-division.md.
"""

from .adjusted_winner import AdjustedWinner, Split, adjusted_winner, is_pareto_optimal
from .items import Items, bundled_divisions, parse_items, read_items

__all__ = [
    "AdjustedWinner",
    "Items",
    "Split",
    "adjusted_winner",
    "bundled_divisions",
    "is_pareto_optimal",
    "parse_items",
    "read_items",
]
