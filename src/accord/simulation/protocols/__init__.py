"""Negotiation protocols: each runs one session on a domain with started strategies."""

from .mediated import run_mediated
from .mopac import run_mopac
from .saop import run_saop

__all__ = ["run_mediated", "run_mopac", "run_saop"]
