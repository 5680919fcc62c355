"""Genius XML domains and profiles (ANAC 2010–2019), read into and written from scenarios.

A Genius scenario is a folder: one *domain* file (the issues and their options) and one
*profile* (``utility_space``) file per party. :func:`read_genius` reads such a folder into a
:class:`~accord.model.Scenario`; :func:`write_genius` writes a scenario back as a folder.

How Genius reads and evaluates these files
------------------------------------------
Read in the Genius 10.4 sources (``genius.core``, as vendored in NegMAS under
``external/genius10.4/src/main/java/genius/core``), and matched here:

* **Which files.** ``UTILITYSPACETYPE.getUtilitySpaceType`` reads the profile root's ``type``
  attribute: absent (or ``linear``) means additive, ``nonlinear`` means the ANAC 2014
  hyper-rectangle format; ``constraint`` and ``uncertain`` profiles are refused here.
  ``DomainImpl(File)`` takes the first ``utility_space`` child of the domain root
  (``negotiation_template``) and its first ``objective``; issues of nested objectives come before
  the objective's own issues (``buildTreeRecursive``).
* **Issue types.** ``DomainImpl.buildTreeRecursive``: no ``type`` attribute means discrete (the
  AMPOvsCity quirk); integer issues carry ``lowerbound``/``upperbound`` attributes; real issues a
  ``<range lowerbound upperbound>`` child, enumerated by ``BidIterator`` as 21 points
  (``IssueReal.fNumberOfDiscretizationSteps``), so an imported real issue has the grid
  ``lowerbound + k (upperbound - lowerbound) / 20``.
* **Weights.** ``AdditiveUtilitySpace.loadTreeRecursive`` ties each ``<weight index=..>`` to the
  issue with that ``index`` *in the profile*; a weight whose index is the objective's own (FitnessA)
  is the objective's weight and is not used. An issue without a weight has no evaluator, and
  ``getUtility`` then fails. Loading a file does **not** normalise the weights
  (``normalizeWeights`` is only called by the constructor taking a map of evaluators), and
  ``getUtility`` returns ``min(1, sum_i w_i * e_i)``.
* **Discrete values.** ``EvaluatorDiscrete.normalize`` divides an item's ``evaluation`` by the
  largest evaluation of the issue (``getEvalMax``), or gives 0 when that maximum is below 1e-5,
  whatever its class comment says about values <= 1. Items are kept in a ``HashMap``, so of two
  items with the same value the later one counts (AMPOvsCity lists ``value="0"`` twice).
* **Integer values.** ``EvaluatorInteger.getEvaluation``:
  ``clamp(offset + slope * (x - lowerbound), 0, 1)`` with ``slope``/``offset`` from the
  ``<evaluator>`` child and ``lowerbound`` from the profile's issue; no division by a maximum.
  (The older ``negotiator.utility.EvaluatorInteger`` read ``parameter0``/``parameter1`` and
  evaluated ``clamp(parameter1 * x + parameter0, 0, 1)``; both forms are read.)
* **Real values.** ``EvaluatorReal.getEvaluation``: ``linear`` is
  ``clamp(parameter1 * x + parameter0, 0, 1)``; ``constant`` is ``parameter0``.
* **Reservation value and discount factor.** ``<reservation value>`` and ``<discount_factor
  value>`` children of the root (``AbstractUtilitySpace.RESERVATION``); no reservation element
  means 0 (``getReservationValueUndiscounted``); ``validateDiscount`` replaces a factor <= 0 or
  > 1 by 1, which is what an imported party gets.
* **Non-linear profiles** (``NonlinearUtilitySpace``). ``loadNonlinearSpace`` reads
  ``<utility maxutility=..>`` and its first ``<ufun>``; ``UtilityFunction.getUtility`` sums
  (aggregation ``sum``) the utilities of its hyper-rectangles and of its inner ufuns times their
  ``weight`` (the top ufun's own weight is not applied); ``InclusiveHyperRectangle.getUtility``
  gives ``utility * weight`` when every ``<INCLUDES index min max>`` bound holds (bounds are on
  the issue with that index, inclusive integers, see ``Bound``) and 0 otherwise;
  ``ExclusiveHyperRectangle`` (``<EXCLUDES>``) gives it when some bound fails; a rectangle with
  no bounds always gives it. ``NonlinearUtilitySpace.getUtility`` returns
  ``min(1, sum / maxutility)``.

How the model expresses it
--------------------------
accord's utility is ``sum_i (a_i / A) * v_i / max v_i + interactions`` (see
:mod:`accord.model.preferences`). An additive profile becomes weights ``a_i = w_i * m_i``, where
``m_i`` is the largest Genius evaluation of issue ``i`` on its grid (1 for a discrete issue,
0 when Genius evaluates the issue to 0 everywhere), discrete values are the file's evaluations
(accord divides by the largest, as Genius does), and integer/real evaluators become
:class:`~accord.model.PiecewiseLinear` functions through the ends of the range and the points where
the clamped line meets 0 or 1. So accord's utility is Genius's divided by ``A = sum_i w_i m_i``;
when the file's weights do not sum to 1 (``A != 1``), the stored weights are divided by ``A`` and
the profile's ``rationale`` says so, because accord's utility then differs from Genius's by that
factor (and Genius caps at 1). A non-linear profile becomes one
:class:`~accord.model.Interaction` per hyper-rectangle with :class:`~accord.model.RangeCondition`
conditions and value ``utility * weight / maxutility`` (an ``EXCLUDES`` rectangle becomes a
constant plus a negative interaction on its box); the reader checks by branch and bound that the
sum never exceeds ``maxutility``, so Genius's cap at 1 never applies and the utilities are equal
for every package.

Issues and options keep their names and values exactly: the name is the id when it is a valid
id, otherwise the id is made valid (``,`` → ``;``, ``=`` → ``-``) and the exact text is kept in
``Issue.name`` / ``Option.label``. Issues of a profile are matched to the domain by name; weights
and hyper-rectangle bounds by the profile's own ``index`` attributes. Party ids are the profile
file names without ``.xml``.
"""

from __future__ import annotations

from ._common import MAX_FILE_BYTES, MAX_RECTANGLES
from ._read import read_genius
from ._write import write_genius

__all__ = ["MAX_FILE_BYTES", "MAX_RECTANGLES", "read_genius", "write_genius"]
