"""Bueno de Mesquita's expected-utility forecast, as specified by Scholz, Calbert and Smith.

Source: J. B. Scholz, G. J. Calbert and G. A. Smith, "Unravelling Bueno De Mesquita's group
decision model", Journal of Theoretical Politics 23(4), 2011, 510-531 (also ICAART 2011), which
reconstructs the model of B. Bueno de Mesquita, "Political forecasting: an expected utility
method", in Bueno de Mesquita and Stokman (eds.), *European Community Decision Making*, 1994.

Every step is a pure function of numpy arrays; docs/forecast.md gives each equation with the
paper's number (utilities eqs. 15, 16, 24; expected utility eqs. 5-7; votes and probability
eqs. 26, 30-31; risk eqs. 32-34; offers §6, fig. 6, eqs. 35-36) and states every choice the
paper leaves open. In brief, each round:

1. every actor's risk exponent is set to 1 and its *security* is computed: the sum of the
   expected utilities the other actors see in challenging it;
2. securities give each actor a risk exponent r_i = (1 - R_i/3) / (1 + R_i/3), with
   R_i = (2 Sec_i - max Sec - min Sec) / (max Sec - min Sec);
3. with those exponents each actor i computes, for every other actor j, its expected utility of
   challenging j and j's of challenging i; the pair falls in a conflict, compromise or
   capitulation region (or none), which makes j's *offer* to i;
4. every actor takes its best offer, all at once.

The median voter position and the capability x salience weighted mean are reported after
every round.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from ..errors import AnalysisError

__all__ = ["MAX_ACTORS", "BdmConfig", "bdm_path", "median_position", "weighted_mean"]

MAX_ACTORS = 200
"""The votes of every actor on every ordered pair take n^3 numbers: 200 actors are 64 MB."""

Array = NDArray[np.float64]


@dataclass(frozen=True)
class BdmConfig:
    """The choices the paper leaves open (docs/forecast.md, "Choices").

    ``probability``: ``"all_pairs"`` divides each dyad's supporting votes by the sum of the
    absolute votes over *every* ordered pair of actors, as the authors' own program does (per
    the public replication that reproduced it); ``"dyad"`` divides by the absolute votes over
    that dyad only, so that P_ij + P_ji = 1, as the equation in the text reads.

    ``compromise``: ``"weighted_position"`` picks, among several compromise offers, the one
    whose EU-weighted position (|EU_ij| x_i + |EU_ji| x_j) / (|EU_ij| + |EU_ji|) is lowest, as
    the authors' program does; ``"nearest"`` picks the one that moves the actor least, as the
    text says.

    ``q``: the probability that the status quo holds if i does not challenge; the paper uses
    1, which makes the "better/worse" terms vanish. Only 1 is implemented.
    """

    probability: Literal["all_pairs", "dyad"] = "all_pairs"
    compromise: Literal["weighted_position", "nearest"] = "weighted_position"
    q: float = 1.0

    def __post_init__(self) -> None:
        if self.q != 1.0:
            raise AnalysisError(
                f"BdmConfig.q = {self.q:g}: only Q = 1 (the paper's value) is implemented; "
                "below 1 the model needs the 'better/worse' utilities the paper does not pin down"
            )
        if self.probability not in ("all_pairs", "dyad"):
            raise AnalysisError(f"BdmConfig.probability '{self.probability}': use 'all_pairs' or 'dyad'")
        if self.compromise not in ("weighted_position", "nearest"):
            raise AnalysisError(
                f"BdmConfig.compromise '{self.compromise}': use 'weighted_position' or 'nearest'"
            )


def _canonical(x: Array, c: Array, s: Array) -> NDArray[np.intp]:
    """An order of the actors that depends only on their (position, capability, salience).

    Floating-point sums depend on the order of their terms; computing in this order makes every
    result bit-identical whatever order the actors are given in (actors with equal triples are
    interchangeable), so relabelling the actors cannot even flip a decision at a near-tie.
    """
    return np.lexsort((s, c, x))


def weighted_mean(x: Array, c: Array, s: Array) -> float:
    """The capability x salience weighted mean position."""
    order = _canonical(x, c, s)
    x, w = x[order], (c * s)[order]
    total = float(w.sum())
    return float((w * x).sum() / total) if total > 0 else float(x.sum() / len(x))


def median_position(x: Array, c: Array, s: Array) -> float:
    """The median voter position: the actor position no other beats in a pairwise vote.

    A vote of a against b is sum_k c_k s_k (|x_k - b| - |x_k - a|), so the winner is the actor
    position minimising sum_k c_k s_k |x_k - a|: the weighted median. Among several minimisers
    (an even split) the lowest position is taken, whatever the order of the actors.
    """
    order = _canonical(x, c, s)
    x, w = x[order], (c * s)[order]
    cost = (w[None, :] * np.abs(x[None, :] - x[:, None])).sum(axis=1)
    best = cost.min()
    # Ties compared with a relative tolerance: the costs are sums of products of the inputs.
    tied = cost <= best + 1e-12 * max(1.0, abs(float(best)))
    return float(x[tied].min())


def _probabilities(x: Array, c: Array, s: Array, r: Array, span: float, how: str) -> Array:
    """P[a, b]: a's probability of prevailing over b (the paper's eq. for P_i, from votes)."""
    dist = (np.abs(x[:, None] - x[None, :]) / span) ** r[:, None]  # [k, a], voter k's exponent
    # votes[k, a, b] = c_k s_k (d(k, b)^r_k - d(k, a)^r_k): positive when k sides with a. As
    # c_k s_k >= 0, max(0, vote) = c_k s_k max(0, d(k, b)^r_k - d(k, a)^r_k), summed in place.
    gap = dist[:, None, :] - dist[:, :, None]
    np.maximum(gap, 0.0, out=gap)
    support = np.einsum("k,kab->ab", c * s, gap)
    # |v_k(a, b)| = max(0, v_k(a, b)) + max(0, v_k(b, a)): the absolute votes are the support
    # of both sides, which saves a second pass over the n^3 votes.
    both = support + support.T
    denom = both.sum() if how == "all_pairs" else both
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.where(denom > 0, support / denom, 0.0)
    return np.where(x[:, None] == x[None, :], 0.0, p)


def _expected_utility(dist: Array, p: Array, s_target: Array, r: Array, q: float) -> Array:
    """EU of a challenge (the paper's eq. for E^i U_ij) at distance ``dist`` with success ``p``.

    U^s = 2 - 4 (0.5 - 0.5 d)^r, U^f = 2 - 4 (0.5 + 0.5 d)^r, U^sq = 2 - 4 (0.5)^r and
    EU = s_j (P U^s + (1 - P) U^f) + (1 - s_j) U^s - Q U^sq (the Q < 1 terms vanish at Q = 1).
    """
    u_success = 2 - 4 * (0.5 - 0.5 * dist) ** r
    u_failure = 2 - 4 * (0.5 + 0.5 * dist) ** r
    u_status_quo = 2 - 4 * 0.5**r
    return s_target * (p * u_success + (1 - p) * u_failure) + (1 - s_target) * u_success - q * u_status_quo


def _challenges(
    x: Array, c: Array, s: Array, r: Array, span: float, config: BdmConfig
) -> tuple[Array, Array]:
    """(own, other): own[i, j] = E^i U(i challenges j), other[i, j] = E^i U(j challenges i).

    Both are seen from i, so both use i's risk exponent; the votes use each voter's own.
    """
    p = _probabilities(x, c, s, r, span, config.probability)
    dist = np.abs(x[:, None] - x[None, :]) / span
    own = _expected_utility(dist, p, s[None, :], r[:, None], config.q)
    other = _expected_utility(dist, p.T, s[:, None], r[:, None], config.q)
    return own, other


def risk_exponents(x: Array, c: Array, s: Array, span: float, config: BdmConfig) -> Array:
    """r_i = (1 - R_i/3)/(1 + R_i/3) from each actor's security at r = 1 (the paper's eqs. for
    Sec_i, R_i and r_i); every r_i is 1 when all securities are equal."""
    ones = np.ones_like(x)
    _, other = _challenges(x, c, s, ones, span, config)
    np.fill_diagonal(other, 0.0)
    security = other.sum(axis=1)  # sum over j != i of E U(j challenges i)
    hi, lo = float(security.max()), float(security.min())
    if hi - lo <= 1e-15 * max(1.0, abs(hi)):
        return ones
    big_r = (2 * security - hi - lo) / (hi - lo)
    return np.asarray((1 - big_r / 3) / (1 + big_r / 3), dtype=np.float64)


def _pick(mask: NDArray[np.bool_], key: Array, pos: Array) -> tuple[NDArray[np.bool_], Array]:
    """Per row: whether any offer of the kind exists, and the position of the one with the
    smallest key (the lowest position among equal keys, so the order of actors never matters)."""
    k = np.where(mask, key, np.inf)
    tied = mask & (k == k.min(axis=1)[:, None])
    return np.asarray(mask.any(axis=1)), np.asarray(np.where(tied, pos, np.inf).min(axis=1), dtype=np.float64)


def bdm_round(x: Array, c: Array, s: Array, span: float, config: BdmConfig) -> Array:
    """The positions after one round: each actor takes the best offer it receives.

    For actor i (row) and actor j (column), from i's view: a *conflict* i expects to lose when
    EU_ji > EU_ij > 0 (j imposes x_j); a *compromise* when EU_ji > 0 > EU_ij and
    EU_ji > |EU_ij| (i concedes the share |EU_ij| / EU_ji of the way to x_j); a *capitulation*
    when EU_ji > 0 > EU_ij and EU_ji < |EU_ij| (i moves to x_j). Conflicts take precedence over
    compromises, compromises over capitulations; within a kind the nearest position wins
    (compromises: see :class:`BdmConfig`).
    """
    r = risk_exponents(x, c, s, span, config)
    own, other = _challenges(x, c, s, r, span, config)
    xi, xj = x[:, None], x[None, :]
    differ = xi != xj
    lose = differ & (other > 0) & (own < 0)
    conflict = differ & (other > own) & (own > 0)
    compromise = lose & (other > -own)
    capitulation = lose & (other < -own)
    distance = np.abs(xj - xi) + np.zeros_like(own)
    target = xj + np.zeros_like(own)
    with np.errstate(divide="ignore", invalid="ignore"):
        conceded = xi + (xj - xi) * (-own / other)
        if config.compromise == "weighted_position":
            key = (-own * xi + other * xj) / (-own + other)
        else:
            key = np.abs(conceded - xi)
    has_conflict, to_conflict = _pick(conflict, distance, target)
    has_compromise, to_compromise = _pick(compromise, key, conceded)
    has_capitulation, to_capitulation = _pick(capitulation, distance, target)
    return np.asarray(
        np.where(
            has_conflict,
            to_conflict,
            np.where(has_compromise, to_compromise, np.where(has_capitulation, to_capitulation, x)),
        ),
        dtype=np.float64,
    )


def bdm_path(
    positions: Array, capabilities: Array, saliences: Array, rounds: int, config: BdmConfig | None = None
) -> Array:
    """Every actor's position after each round: an array of shape (rounds + 1, n), row 0 the input.

    The scale (max - min of the input positions) stays fixed across rounds. When every actor
    holds the same position nothing can move and every row equals the input.
    """
    config = config or BdmConfig()
    x = np.asarray(positions, dtype=np.float64)
    c = np.asarray(capabilities, dtype=np.float64)
    s = np.asarray(saliences, dtype=np.float64)
    if not (x.shape == c.shape == s.shape and x.ndim == 1 and len(x) > 0):
        raise AnalysisError("positions, capabilities and saliences must be equally long, non-empty lists")
    if len(x) > MAX_ACTORS:
        raise AnalysisError(
            f"{len(x)} actors: the model compares every pair of actors for every voter (n^3); "
            f"at most {MAX_ACTORS} are supported: merge actors of like position"
        )
    if rounds < 0:
        raise AnalysisError(f"rounds must be >= 0, got {rounds}")
    for name, arr in (("position", x), ("capability", c), ("salience", s)):
        if not np.isfinite(arr).all():
            raise AnalysisError(f"every {name} must be a finite number")
    if (c < 0).any():
        raise AnalysisError("capabilities must be >= 0")
    if ((s < 0) | (s > 1)).any():
        raise AnalysisError("saliences must lie in [0, 1] (they are probabilities of resisting)")
    # Run in a canonical order of the actors and give the columns back in the caller's order.
    order = _canonical(x, c, s)
    xs, cs, ss = x[order], c[order], s[order]
    path = np.empty((rounds + 1, len(x)), dtype=np.float64)
    path[0] = xs
    span = float(x.max() - x.min())
    for t in range(1, rounds + 1):
        path[t] = path[t - 1] if span == 0 else bdm_round(path[t - 1], cs, ss, span, config)
    out = np.empty_like(path)
    out[:, order] = path
    return out
