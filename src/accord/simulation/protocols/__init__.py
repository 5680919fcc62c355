"""Negotiation protocols: each runs one session on a domain with started strategies."""

from .saop import run_saop

__all__ = ["run_saop"]
