"""GeniusWeb JSON domains and profiles, read into and written from scenarios.

A GeniusWeb scenario is a folder: one *domain* file (``{"name": ..., "issuesValues": {...}}``)
and one *profile* file per party (``{"LinearAdditiveUtilitySpace": {...}}``). :func:`read_geniusweb`
reads such a folder into a :class:`~accord.model.Scenario`; :func:`write_geniusweb` writes one.

How GeniusWeb reads and evaluates these files
---------------------------------------------
Read in the GeniusWeb sources (``geniusweb.issuevalue`` and ``geniusweb.profile.utilityspace``;
the Python port 1.2.1 vendored in ``autoneg/negmas-geniusweb-bridge`` under
``vendor/geniusweb-1.2.1``, and its tests ``NumberValueSetTest``, ``NumberValSetUtilsTest``):

* **Domain.** ``issuesValues`` maps each issue name to a value set: ``{"values": [...]}``
  (a ``DiscreteValueSet`` of strings) or ``{"range": {"low", "high", "step"}}`` (a
  ``NumberValueSet`` whose values are ``low, low + step, ...`` up to ``high``).
* **Profile.** ``LinearAdditiveUtilitySpace`` holds ``issueUtilities`` (one ``ValueSetUtilities``
  per issue, wrapped in its type name), ``issueWeights``, the ``domain``, a ``name`` and an
  optional ``reservationBid`` ``{"issuevalues": {issue: value}}``. Its utility is
  ``sum_i w_i * u_i(value_i)``; the constructor requires the issues of utilities, weights and
  domain to be the same and the weights to sum to 1 (it does not normalise them); an issue
  missing from a bid contributes 0.
* **Discrete utilities** (``DiscreteValueSetUtilities``, older files ``discreteutils``):
  ``{"valueUtilities": {value: u}}`` with every ``u`` in [0, 1] and exactly the domain's values.
* **Number utilities** (``NumberValueSetUtilities``, older files ``numberutils``):
  ``lowValue``/``lowUtility``/``highValue``/``highUtility``, utilities in [0, 1],
  ``highValue > lowValue``, and ``lowValue``/``highValue`` equal to the range's ends
  (``isFitting``). ``getUtility`` interpolates linearly,
  ``lowUtility + (highUtility - lowUtility) * (x - lowValue) / (highValue - lowValue)``, rounded
  to 8 decimals (``ROUND_HALF_UP``), and gives 0 outside [lowValue, highValue]. No clamping is
  needed: both ends are in [0, 1].
* **Reservation bid.** "Only bids that are ``isPreferredOrEqual`` to it should be accepted": a
  party accepts a bid whose utility is at least the reservation bid's. No reservation bid means
  any agreement is better than none.

How the model expresses it
--------------------------
As for Genius XML (see :mod:`accord.io.genius_xml`): accord's weight of issue ``i`` is
``w_i * m_i`` with ``m_i`` the largest utility of the issue on its grid, and the value function
is the file's (a table, or a straight line through the two ends), so accord's utility is
GeniusWeb's divided by ``A = sum_i w_i m_i``. That is 1 for any profile GeniusWeb accepts whose
issues each reach utility 1; otherwise the profile's ``rationale`` says so. The reservation value
is the reservation bid's utility as the analysis engine computes it (exactly, on the party's
integer scale of :mod:`accord.model.utility`; the largest float not above it), so the
reservation bid itself is acceptable, as GeniusWeb intends;
without a reservation bid it is 0, the bottom of accord's scale.

GeniusWeb keeps no reservation *value*, bargaining power or discount factor, and profiles have
no order. :func:`write_geniusweb` writes as reservation bid the package of least utility at or
above the reservation value (so GeniusWeb accepts exactly the packages accord does), and, where
that package's utility is not the reservation value itself, a party has a power other than 1 or
a discount factor, or the parties are not in file-name order, an extra file
``accord-extras.json`` with the exact numbers, which GeniusWeb ignores and :func:`read_geniusweb`
reads back.
"""

from __future__ import annotations

from ._common import EXTRAS_FILE, MAX_FILE_BYTES
from ._read import JsonFile, json_files, looks_like_geniusweb, read_geniusweb, read_json_files
from ._write import write_geniusweb

__all__ = [
    "EXTRAS_FILE",
    "MAX_FILE_BYTES",
    "JsonFile",
    "json_files",
    "looks_like_geniusweb",
    "read_geniusweb",
    "read_json_files",
    "write_geniusweb",
]
