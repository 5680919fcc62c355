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
is the reservation bid's utility, computed exactly as the analysis engine adds utilities (issue
by issue on its 1e-9 grid), so the reservation bid itself is acceptable, as GeniusWeb intends;
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

import json
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError

from ..errors import AccordError, ImportFormatError
from ..model import (
    Issue,
    NumericRange,
    Option,
    Party,
    PiecewiseLinear,
    Preferences,
    Scenario,
    value_of,
)
from ._files import folder_files, read_bounded
from ._ids import faithful_ids, identifier, unique_ids

__all__ = ["EXTRAS_FILE", "MAX_FILE_BYTES", "read_geniusweb", "write_geniusweb"]

MAX_FILE_BYTES = 10 * 1024 * 1024
"""Files larger than this are refused (GeniusWeb profiles are a few kilobytes)."""

EXTRAS_FILE = "accord-extras.json"
"""What GeniusWeb cannot hold (exact reservation values, discount factors), written beside it."""

_TOL = 1e-9  # accord.analysis.space.TOL: the engine's grid of utilities
_DISCRETE = ("DiscreteValueSetUtilities", "discreteutils")
_NUMBER = ("NumberValueSetUtilities", "numberutils")
_PROFILE_TYPES = (
    "LinearAdditiveUtilitySpace",
    "SumOfGroupsUtilitySpace",
    "DefaultPartialOrdering",
    "LinearAdditiveUtilitySpaceOptimizer",
)
_MAX_HALF = 4_000_000  # packages per half in the meet-in-the-middle search for a reservation bid


# -- reading JSON with located errors ---------------------------------------------------------


@dataclass(frozen=True)
class _At:
    """A place in a JSON file, for error messages: the file and the JSON path."""

    file: Path
    path: tuple[str | int, ...] = ()

    def __truediv__(self, key: str | int) -> _At:
        return _At(self.file, (*self.path, key))

    @property
    def where(self) -> str:
        out = "$"
        for part in self.path:
            if isinstance(part, int):
                out += f"[{part}]"
            elif re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", part):
                out += f".{part}"
            else:
                out += f"[{json.dumps(part, ensure_ascii=False)}]"
        return out

    def error(self, problem: str) -> ImportFormatError:
        return ImportFormatError(f"{self.file}: {self.where}: {problem}")


def _short(text: object, limit: int = 60) -> str:
    s = text if isinstance(text, str) else json.dumps(text, ensure_ascii=False, default=str)
    return s if len(s) <= limit else s[: limit - 3] + "..."


def _load_json(path: Path, max_bytes: int) -> Any:
    data = read_bounded(path, max_bytes, "GeniusWeb files are a few kilobytes")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFormatError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None

    def refuse(constant: str) -> Any:
        raise ValueError(f"{constant} is not a JSON number")

    try:
        return json.loads(text, parse_constant=refuse)
    except json.JSONDecodeError as exc:
        raise ImportFormatError(
            f"{path}:{exc.lineno}: not valid JSON ({exc.msg}, column "
            f"{exc.colno}); the file may be truncated or corrupted"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise ImportFormatError(f"{path}: cannot be read as JSON: {exc}") from None


def _object(at: _At, value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise at.error(f"expected {what} (a JSON object), got {_short(value)}")
    return value


def _field(at: _At, obj: Mapping[str, Any], key: str, what: str) -> Any:
    if key not in obj:
        raise at.error(f"missing `{key}` ({what})")
    return obj[key]


def _number(at: _At, value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise at.error(f"{what} must be a number, got {_short(value)}")
    number = float(value)
    if not math.isfinite(number):
        raise at.error(f"{what} must be a finite number, got {_short(value)}")
    return number


def _in_unit(at: _At, value: Any, what: str) -> float:
    number = _number(at, value, what)
    if not 0.0 <= number <= 1.0:
        raise at.error(f"{what} is {number:g}; GeniusWeb utilities must lie in [0, 1]")
    return number


# -- the domain ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Domain:
    name: str
    issues: tuple[Issue, ...]
    names: tuple[str, ...]  # issue names as written
    values: tuple[tuple[str | int | float, ...], ...]  # values as written (numbers on a range)

    def by_name(self) -> dict[str, int]:
        return {name: n for n, name in enumerate(self.names)}


def _read_domain(at: _At, data: Any) -> _Domain:
    obj = _object(at, data, "a domain")
    name = obj.get("name", "")
    if not isinstance(name, str):
        raise (at / "name").error(f"the domain name must be a string, got {_short(name)}")
    issues_at = at / "issuesValues"
    table = _object(
        issues_at,
        _field(at, obj, "issuesValues", "the issues and their values"),
        "a map from issue names to value sets",
    )
    if not table:
        raise issues_at.error("the domain has no issues")
    names = list(table)
    ids = faithful_ids(names, "issue")
    issues, values = [], []
    for name, ident in zip(names, ids, strict=True):
        iat = issues_at / name
        spec = _object(iat, table[name], 'a value set: {"values": [...]} or {"range": {...}}')
        try:
            if "values" in spec:
                listed = spec["values"]
                if not isinstance(listed, list) or not listed:
                    raise (iat / "values").error("expected a non-empty list of values")
                for k, v in enumerate(listed):
                    if not isinstance(v, str):
                        raise (iat / "values" / k).error(
                            f"a discrete value must be a string, got {_short(v)}"
                        )
                dupes = sorted({v for v in listed if listed.count(v) > 1})
                if dupes:
                    raise (iat / "values").error(f"duplicate value(s) {_short(', '.join(dupes))}")
                option_ids = faithful_ids(listed, "option")
                options = tuple(
                    Option(id=oid, label=None if oid == v else v)
                    for oid, v in zip(option_ids, listed, strict=True)
                )
                issues.append(Issue(id=ident, name=name, options=options))
                values.append(tuple(listed))
            elif "range" in spec:
                rat = iat / "range"
                box = _object(rat, spec["range"], 'a range {"low", "high", "step"}')
                raw = {k: _field(rat, box, k, "the range's " + k) for k in ("low", "high", "step")}
                low, high, step = (_number(rat / k, raw[k], k) for k in ("low", "high", "step"))
                if step <= 0:
                    raise (rat / "step").error(f"step must be positive, got {step:g}")
                if high < low:
                    raise (rat / "high").error(f"high ({high:g}) is below low ({low:g})")
                integer = all(isinstance(raw[k], int) for k in ("low", "high", "step"))
                grid = NumericRange(kind="integer" if integer else "real", min=low, max=high, step=step)
                issue = Issue(id=ident, name=name, range=grid)
                issues.append(issue)
                values.append(issue.values())
            else:
                raise iat.error('expected {"values": [...]} or {"range": {"low", "high", "step"}}')
        except ValidationError as exc:
            raise iat.error("; ".join(e["msg"] for e in exc.errors())) from None
    return _Domain(name, tuple(issues), tuple(names), tuple(values))


def _same_domain(a: _Domain, b: _Domain) -> bool:
    return a.names == b.names and all(
        x.options == y.options and x.range == y.range for x, y in zip(a.issues, b.issues, strict=True)
    )


# -- profiles -----------------------------------------------------------------------------------


def _value_index(at: _At, domain: _Domain, issue: int, value: Any) -> int:
    spec = domain.issues[issue]
    if spec.range is None:
        if not isinstance(value, str):
            raise at.error(
                f"a value of discrete issue '{domain.names[issue]}' must be a string, got {_short(value)}"
            )
        if value not in domain.values[issue]:
            raise at.error(
                f"issue '{_short(domain.names[issue])}' has no value '{_short(value)}'; "
                f"its values are {_short(', '.join(map(str, domain.values[issue])), 200)}"
            )
        return domain.values[issue].index(value)
    x = _number(at, value, f"a value of number issue '{domain.names[issue]}'")
    try:
        return spec.index_of(x)
    except KeyError:
        raise at.error(
            f"{x:g} is not on the range of issue '{_short(domain.names[issue])}' "
            f"({spec.range.min:g} to {spec.range.max:g} by {spec.range.step:g})"
        ) from None


def _issue_utilities(
    at: _At, spec: Any, domain: _Domain, issue: int
) -> tuple[dict[str, float] | PiecewiseLinear, float]:
    """The value function of one issue and its largest utility on the grid."""
    wrapper = _object(at, spec, "a value-set utilities object")
    kinds = [k for k in wrapper if k in _DISCRETE + _NUMBER]
    if len(wrapper) != 1 or len(kinds) != 1:
        raise at.error(
            f"expected exactly one of {', '.join(_DISCRETE + _NUMBER)}, got "
            f"{_short(', '.join(wrapper) or 'nothing')}"
        )
    kind = kinds[0]
    kat = at / kind
    body = _object(kat, wrapper[kind], kind)
    item = domain.issues[issue]
    if kind in _DISCRETE:
        if item.options is None:
            raise kat.error(
                f"issue '{domain.names[issue]}' is a number range in the domain; "
                "it needs NumberValueSetUtilities"
            )
        vat = kat / "valueUtilities"
        table = _object(
            vat, _field(kat, body, "valueUtilities", "each value's utility"), "a map from values to utilities"
        )
        table_ids: dict[str, float] = {}
        for value, u in table.items():
            index = _value_index(vat / value, domain, issue, value)
            table_ids[item.options[index].id] = _in_unit(vat / value, u, "a utility")
        missing = [
            str(v) for v, o in zip(domain.values[issue], item.options, strict=True) if o.id not in table_ids
        ]
        if missing:
            raise vat.error(f"no utility for value(s) {_short(', '.join(missing), 200)}")
        ordered = {o.id: table_ids[o.id] for o in item.options}
        return ordered, max(ordered.values())
    if item.range is None:
        raise kat.error(
            f"issue '{domain.names[issue]}' is discrete in the domain; it needs DiscreteValueSetUtilities"
        )
    keys = ("lowValue", "lowUtility", "highValue", "highUtility")
    raw = {k: _field(kat, body, k, "NumberValueSetUtilities needs " + ", ".join(keys)) for k in keys}
    low, high = (
        _number(kat / "lowValue", raw["lowValue"], "lowValue"),
        _number(kat / "highValue", raw["highValue"], "highValue"),
    )
    low_u = _in_unit(kat / "lowUtility", raw["lowUtility"], "lowUtility")
    high_u = _in_unit(kat / "highUtility", raw["highUtility"], "highUtility")
    if high <= low:
        raise (kat / "highValue").error(f"highValue ({high:g}) must be above lowValue ({low:g})")
    grid = item.range
    for key, mine, theirs in (("lowValue", low, grid.min), ("highValue", high, grid.max)):
        if not math.isclose(mine, theirs, rel_tol=1e-12, abs_tol=1e-12):
            raise (kat / key).error(
                f"{key} is {mine:g} but the domain's range "
                f"{'starts' if key == 'lowValue' else 'ends'} at {theirs:g}; "
                "GeniusWeb requires them equal"
            )
    points = [(low, low_u), (high, high_u)]
    xs = np.asarray(item.values(), dtype=np.float64)
    best = float(np.interp(xs, [low, high], [low_u, high_u]).max())
    return PiecewiseLinear(points=points), best


@dataclass
class _Profile:
    party_id: str
    preferences: Preferences
    reservation: float


def _issue_contributions(issues: Sequence[Issue], prefs: Preferences) -> list[np.ndarray]:
    """Each issue's utility on accord's scale, option by option, as the engine computes it."""
    weights = {k: value_of(v) for k, v in prefs.weights.items()}
    total = sum(weights.values())
    out = []
    for issue in issues:
        values = prefs.values.get(issue.id)
        weight = weights.get(issue.id, 0.0) / total if total > 0 else 0.0
        if values is None or weight <= 0:
            out.append(np.zeros(issue.size))
            continue
        if isinstance(values, PiecewiseLinear):
            raw = np.interp(
                np.asarray(issue.values(), dtype=np.float64),
                np.asarray([x for x, _ in values.points], dtype=np.float64),
                np.asarray([value_of(v) for _, v in values.points], dtype=np.float64),
            )
        else:
            raw = np.asarray([value_of(values[str(o)]) for o in issue.values()], dtype=np.float64)
        top = raw.max()
        out.append(weight * (raw / top) if top > 0 else np.zeros(issue.size))
    return out


def _quantized(contributions: Sequence[np.ndarray]) -> list[np.ndarray]:
    return [np.rint(c / _TOL).astype(np.int64) for c in contributions]


def _read_profile(at: _At, data: Any, domain: _Domain, party_id: str) -> _Profile:
    root = _object(at, data, "a profile")
    if "LinearAdditiveUtilitySpace" not in root:
        other = ", ".join(root) or "nothing"
        raise at.error(
            f"only LinearAdditiveUtilitySpace profiles can be read, this one holds {_short(other)}"
        )
    pat = at / "LinearAdditiveUtilitySpace"
    body = _object(pat, root["LinearAdditiveUtilitySpace"], "LinearAdditiveUtilitySpace")
    if "domain" in body:
        own = _read_domain(pat / "domain", body["domain"])
        if not _same_domain(own, domain):
            raise (pat / "domain").error(
                "the profile's domain differs from the domain file (issues, values or ranges)"
            )
    name = body.get("name")
    if name is not None and not isinstance(name, str):
        raise (pat / "name").error(f"the profile name must be a string, got {_short(name)}")
    index = domain.by_name()
    uat, wat = pat / "issueUtilities", pat / "issueWeights"
    utilities = _object(
        uat,
        _field(pat, body, "issueUtilities", "each issue's utilities"),
        "a map from issue names to utilities",
    )
    weights = _object(
        wat, _field(pat, body, "issueWeights", "each issue's weight"), "a map from issue names to weights"
    )
    for key, table, tat in (("utilities", utilities, uat), ("weights", weights, wat)):
        for listed in table:
            if listed not in index:
                raise (tat / listed).error(
                    f"the domain has no issue '{_short(listed)}'; its "
                    f"issues are {_short(', '.join(domain.names), 200)}"
                )
        missing = [n for n in domain.names if n not in table]
        if missing:
            raise tat.error(f"no {key} for issue(s) {_short(', '.join(missing), 200)}")
    raw: dict[str, float] = {}
    values: dict[str, dict[str, float] | PiecewiseLinear] = {}
    for n, (issue, name_) in enumerate(zip(domain.issues, domain.names, strict=True)):
        w = _number(wat / name_, weights[name_], "a weight")
        if w < 0:
            raise (wat / name_).error(f"negative weight {w:g}; weights must be >= 0")
        values[issue.id], best = _issue_utilities(uat / name_, utilities[name_], domain, n)
        raw[issue.id] = w * best
    total = sum(raw.values())
    if not math.isfinite(total) or total <= 0:
        raise wat.error(
            "every weight is zero (or weighs an issue whose utilities are all 0): the "
            "profile values no package"
        )
    weight_sum = sum(float(weights[n]) for n in domain.names)
    rationale = None
    if abs(total - 1.0) > 1e-9:
        rationale = (
            f"The GeniusWeb weights times each issue's best utility sum to {total:.12g}, "
            f"not 1 (the weights themselves sum to {weight_sum:.12g}); accord divides by "
            f"that sum, so GeniusWeb's utility is {total:.12g} times this one."
        )
    prefs = Preferences(
        weights=raw, values=values, rationale=rationale, source=f"GeniusWeb profile {at.file.name}"
    )
    reservation = 0.0
    bid = body.get("reservationBid")
    if bid is not None:
        bat = pat / "reservationBid"
        bid_obj = _object(bat, bid, 'a bid {"issuevalues": {...}}')
        iat = bat / "issuevalues"
        chosen = _object(
            iat, _field(bat, bid_obj, "issuevalues", "the bid's values"), "a map from issue names to values"
        )
        quantized = _quantized(_issue_contributions(domain.issues, prefs))
        total_q = 0
        for issue_name, value in chosen.items():
            if issue_name not in index:
                raise (iat / issue_name).error(f"the domain has no issue '{_short(issue_name)}'")
            n = index[issue_name]
            total_q += int(quantized[n][_value_index(iat / issue_name, domain, n, value)])
        reservation = total_q * _TOL
    return _Profile(party_id, prefs, reservation)


# -- the folder ---------------------------------------------------------------------------------


def _kind_of(data: Any) -> str:
    if isinstance(data, dict):
        if any(k in data for k in _PROFILE_TYPES):
            return "profile"
        if "issuesValues" in data:
            return "domain"
        if "accord_extras" in data:
            return "extras"
    return "other"


def looks_like_geniusweb(folder: Path) -> bool:
    """Whether ``folder`` holds a JSON file that is a GeniusWeb domain or profile (by content)."""
    try:
        files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".json" and p.is_file())
    except OSError:
        return False
    for file in files:
        try:
            head = read_bounded(file, MAX_FILE_BYTES, "GeniusWeb files are a few kilobytes")
        except ImportFormatError:
            continue  # too large or unreadable: not taken as a sign of the format
        if b"issuesValues" in head or b"LinearAdditiveUtilitySpace" in head or (b"UtilitySpace" in head):
            return True
    return False


def read_geniusweb(path: str | os.PathLike[str], *, max_file_bytes: int = MAX_FILE_BYTES) -> Scenario:
    """Read a GeniusWeb folder (a domain JSON and one profile JSON per party) into a scenario.

    The domain is the JSON file with ``issuesValues`` at its top; profiles are the files holding
    a ``LinearAdditiveUtilitySpace`` (the domain may also come from the profiles alone, which
    embed it). Party ids are the profile file names without ``.json``. Other JSON files are
    skipped; ``accord-extras.json`` (see :func:`write_geniusweb`) supplies exact reservation values
    and discount factors.

    Raises :class:`~accord.errors.ImportFormatError` naming the file, the JSON path and the
    problem: oversized, invalid or truncated JSON, wrong types, a profile naming an issue or
    value the domain lacks, utilities outside [0, 1], negative or all-zero weights, an
    unsupported profile type.
    """
    folder = Path(path)
    files = folder_files(
        folder,
        ".json",
        "a GeniusWeb scenario is a folder with a domain JSON file and one profile JSON file per party",
    )
    loaded = [(file, _load_json(file, max_file_bytes)) for file in files]
    domains = [(f, d) for f, d in loaded if _kind_of(d) == "domain"]
    profiles = [(f, d) for f, d in loaded if _kind_of(d) == "profile"]
    extras = [(f, d) for f, d in loaded if _kind_of(d) == "extras"]
    if len(domains) > 1:
        names = ", ".join(f.name for f, _ in domains)
        raise ImportFormatError(f"{folder}: several domain files ({names}); keep one per folder")
    if not profiles:
        found = ", ".join(f.name for f in files) or "no JSON files"
        raise ImportFormatError(
            f"{folder}: no GeniusWeb profile (a JSON file holding a LinearAdditiveUtilitySpace) among {found}"
        )
    if domains:
        domain = _read_domain(_At(domains[0][0]), domains[0][1])
    else:
        file, data = profiles[0]
        at = _At(file) / "LinearAdditiveUtilitySpace"
        body = data.get("LinearAdditiveUtilitySpace")
        if not isinstance(body, dict) or "domain" not in body:
            raise at.error("no domain file in the folder and the profile embeds no `domain`")
        domain = _read_domain(at / "domain", body["domain"])
    party_ids = unique_ids([f.stem for f, _ in profiles], "party")
    read = [_read_profile(_At(f), d, domain, pid) for (f, d), pid in zip(profiles, party_ids, strict=True)]
    extra = _read_extras(extras, party_ids)
    parties = []
    for profile in read:
        pid = profile.party_id
        try:
            parties.append(
                Party(
                    id=pid,
                    reservation_value=extra.reservation.get(pid, profile.reservation),
                    power=extra.power.get(pid, 1.0),
                    discount_factor=extra.discount.get(pid),
                )
            )
        except ValidationError as exc:
            raise ImportFormatError(
                f"{folder}: party '{pid}': {'; '.join(e['msg'] for e in exc.errors())}"
            ) from None
    if sorted(extra.order) == sorted(party_ids):
        parties.sort(key=lambda party: extra.order.index(party.id))
    try:
        return Scenario(
            id=identifier(folder.resolve().name, "geniusweb"),
            name=folder.resolve().name,
            source="GeniusWeb JSON folder",
            parties=tuple(parties),
            issues=domain.issues,
            preferences={p.party_id: p.preferences for p in read},
        )
    except ValidationError as exc:
        raise ImportFormatError(f"{folder}: {'; '.join(e['msg'] for e in exc.errors())}") from None
    except AccordError as exc:
        raise ImportFormatError(f"{folder}: the imported scenario is inconsistent: {exc}") from None


@dataclass
class _Extras:
    reservation: dict[str, float]
    power: dict[str, float]
    discount: dict[str, float]
    order: list[str]


def _read_extras(extras: Sequence[tuple[Path, Any]], party_ids: Sequence[str]) -> _Extras:
    out = _Extras({}, {}, {}, [])
    for file, data in extras:
        at = _At(file)
        for key, into in (
            ("reservation_values", out.reservation),
            ("powers", out.power),
            ("discount_factors", out.discount),
        ):
            table = _object(at / key, data.get(key, {}), "a map from party ids to numbers")
            for party, value in table.items():
                if party not in party_ids:
                    raise (at / key / party).error(
                        f"no profile '{_short(party)}' in the folder; "
                        f"profiles are {_short(', '.join(party_ids), 200)}"
                    )
                into[party] = _number(at / key / party, value, key[:-1].replace("_", " "))
        order = data.get("party_order", [])
        if not isinstance(order, list) or not all(isinstance(x, str) for x in order):
            raise (at / "party_order").error("expected a list of party ids")
        out.order = order
    return out


# -- writing ------------------------------------------------------------------------------------


def _simple_name(text: str, fallback: str) -> str:
    """GeniusWeb's profile and domain names must be simple: ``[a-zA-Z0-9]+``."""
    return re.sub(r"[^A-Za-z0-9]", "", text) or fallback


def _written(texts: Sequence[str | None], ids: Sequence[str]) -> list[str]:
    """The exact text where the id was derived from it (an imported name), else the id."""
    out = [t if t is not None and identifier(t, i) == i else i for t, i in zip(texts, ids, strict=True)]
    return out if len(set(out)) == len(out) else list(ids)


def _file_stems(ids: Iterable[str]) -> list[str]:
    stems: list[str] = []
    for ident in ids:
        base = re.sub(r"[^\w.\- ]", "_", ident).strip(" .") or "party"
        stem, k = base, 2
        while stem.lower() in {s.lower() for s in stems} or stem.lower() == EXTRAS_FILE[:-5]:
            stem, k = f"{base}_{k}", k + 1
        stems.append(stem)
    return stems


def _json_number(x: float, integer: bool) -> int | float:
    return round(x) if integer else float(x)


def _domain_json(scenario: Scenario, issue_names: Sequence[str]) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for issue, name in zip(scenario.issues, issue_names, strict=True):
        if issue.range is None:
            assert issue.options is not None
            table[name] = {
                "values": _written([o.label for o in issue.options], [o.id for o in issue.options])
            }
            continue
        grid = issue.range
        integer = grid.kind == "integer"
        table[name] = {
            "range": {
                "low": _json_number(grid.min, integer),
                "high": _json_number(float(issue.values()[-1]), integer),
                "step": _json_number(grid.step, integer),
            }
        }
    return {"name": _simple_name(scenario.id, "domain"), "issuesValues": table}


def _linear_ends(where: str, issue: Issue, points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """The function's values at the grid's first and last points, if it is one straight line."""
    xs = [float(x) for x in issue.values()]
    low, high = xs[0], xs[-1]
    px = np.asarray([x for x, _ in points], dtype=np.float64)
    py = np.asarray([y for _, y in points], dtype=np.float64)
    checks = sorted({low, high, *(x for x, _ in points if low < x < high)})
    ys = np.interp(checks, px, py)
    y_low, y_high = float(ys[0]), float(ys[-1])
    line = y_low + (y_high - y_low) * (np.asarray(checks) - low) / (high - low)
    if np.max(np.abs(line - ys)) > 1e-12:
        raise ImportFormatError(
            f"{where}: GeniusWeb's NumberValueSetUtilities is one straight line from the range's "
            f"low to its high value; this value function (points {_short(str(list(points)), 120)}) "
            "bends in between"
        )
    return y_low, y_high


def _utilities_json(
    scenario: Scenario, party: Party, issue_names: Sequence[str]
) -> tuple[dict[str, Any], dict[str, float]]:
    prefs = scenario.preferences[party.id]
    where = f"party '{party.id}'"
    weights = {k: value_of(v) for k, v in prefs.weights.items()}
    total = sum(weights.values())
    utilities: dict[str, Any] = {}
    out_weights: dict[str, float] = {}
    for issue, name in zip(scenario.issues, issue_names, strict=True):
        values = prefs.values.get(issue.id)
        out_weights[name] = weights.get(issue.id, 0.0) / total
        if issue.range is None:
            assert issue.options is not None
            table = values if isinstance(values, dict) else {}
            raw = [value_of(table.get(o.id, 0.0)) for o in issue.options]
            top = max(raw)
            labels = _written([o.label for o in issue.options], [o.id for o in issue.options])
            utilities[name] = {
                "DiscreteValueSetUtilities": {
                    "valueUtilities": {
                        label: (v / top if top > 0 else 0.0) for label, v in zip(labels, raw, strict=True)
                    }
                }
            }
            continue
        if issue.size < 2:
            raise ImportFormatError(
                f"{where}, issue '{issue.id}': GeniusWeb's number utilities "
                "need a range with at least two values"
            )
        points = (
            [(float(x), value_of(v)) for x, v in values.points]
            if isinstance(values, PiecewiseLinear)
            else [(float(issue.values()[0]), 0.0)]
        )
        y_low, y_high = _linear_ends(f"{where}, issue '{issue.id}'", issue, points)
        top = max(y_low, y_high)
        scale = top if top > 0 else 1.0
        integer = issue.range.kind == "integer"
        utilities[name] = {
            "NumberValueSetUtilities": {
                "lowValue": _json_number(float(issue.values()[0]), integer),
                "lowUtility": min(1.0, max(0.0, y_low / scale)),
                "highValue": _json_number(float(issue.values()[-1]), integer),
                "highUtility": min(1.0, max(0.0, y_high / scale)),
            }
        }
    return utilities, out_weights


def _least_package_at_least(quantized: Sequence[np.ndarray], floor: int) -> tuple[int, ...] | None:
    """Option indices of a package of least (quantized) utility >= ``floor``, or None if none.

    Meet in the middle: the issues are split in two halves, each half's sums enumerated, and for
    every sum of one half the least partner reaching ``floor`` is found by binary search.
    """
    sizes = [len(q) for q in quantized]
    order = sorted(range(len(sizes)), key=lambda i: -sizes[i])
    left: list[int] = []
    right: list[int] = []
    for i in order:
        (left if math.prod(sizes[j] for j in left) <= math.prod(sizes[j] for j in right) else right).append(i)
    if max(math.prod(sizes[j] for j in left), math.prod(sizes[j] for j in right)) > _MAX_HALF:
        raise ImportFormatError(
            f"the space of {math.prod(sizes):,} packages is too large to find "
            "a reservation bid for the reservation value"
        )

    def sums(part: list[int]) -> np.ndarray:
        total = np.zeros(1, dtype=np.int64)
        for i in part:
            total = (total[:, None] + quantized[i][None, :]).reshape(-1)
        return total

    a, b = sums(left), sums(right)
    b_order = np.argsort(b, kind="stable")
    b_sorted = b[b_order]
    pos = np.searchsorted(b_sorted, floor - a, side="left")
    ok = pos < len(b_sorted)
    if not ok.any():
        return None
    candidates = np.where(ok, a + b_sorted[np.minimum(pos, len(b_sorted) - 1)], np.iinfo(np.int64).max)
    ia = int(np.argmin(candidates))
    ib = int(b_order[pos[ia]])
    choice = [0] * len(sizes)
    for part, flat in ((left, ia), (right, ib)):
        for i in reversed(part):
            flat, choice[i] = divmod(flat, sizes[i])
    return tuple(choice)


def _reservation_bid(
    scenario: Scenario, party: Party, issue_names: Sequence[str]
) -> tuple[dict[str, Any] | None, bool]:
    """The reservation bid and whether its utility is exactly the reservation value."""
    r = party.reservation
    if r <= 0:
        return None, r == 0
    quantized = _quantized(_issue_contributions(scenario.issues, scenario.preferences[party.id]))
    floor = int(np.rint(r / _TOL))
    choice = _least_package_at_least(quantized, floor)
    if choice is None:
        raise ImportFormatError(
            f"party '{party.id}': the reservation value {r:g} is above the "
            "utility of every package; a GeniusWeb reservation bid cannot say "
            "that no package is acceptable"
        )
    exact = sum(int(q[c]) for q, c in zip(quantized, choice, strict=True)) == floor
    bid: dict[str, Any] = {}
    for issue, name, c in zip(scenario.issues, issue_names, choice, strict=True):
        if issue.range is None:
            assert issue.options is not None
            labels = _written([o.label for o in issue.options], [o.id for o in issue.options])
            bid[name] = labels[c]
        else:
            bid[name] = _json_number(float(issue.values()[c]), issue.range.kind == "integer")
    return {"issuevalues": bid}, exact


def write_geniusweb(scenario: Scenario, folder: str | os.PathLike[str]) -> tuple[Path, ...]:
    """Write ``scenario`` as a GeniusWeb folder: a domain JSON and one profile JSON per party.

    Returns the paths written, the domain first. Weights are written divided by their sum and
    utilities divided by each issue's best, so GeniusWeb's utility equals accord's. The reservation
    bid is the package of least utility at or above the reservation value; where its utility is
    not exactly the reservation value, or a party has a discount factor, ``accord-extras.json``
    keeps the exact numbers.

    Raises :class:`~accord.errors.ImportFormatError` naming what GeniusWeb's
    ``LinearAdditiveUtilitySpace`` cannot express: red lines, interactions, numeric value
    functions that are not one straight line, a reservation value above every package.
    """
    for party in scenario.parties:
        prefs = scenario.preferences[party.id]
        if prefs.red_lines:
            raise ImportFormatError(
                f"party '{party.id}': GeniusWeb profiles cannot express red "
                f"lines ({len(prefs.red_lines)} here); drop them or turn them "
                "into a lower reservation value"
            )
        if prefs.interactions:
            raise ImportFormatError(
                f"party '{party.id}': GeniusWeb's LinearAdditiveUtilitySpace "
                f"cannot express interactions ({len(prefs.interactions)} here); "
                "it is additive over issues"
            )
    out = Path(folder)
    issue_names = _written([i.name for i in scenario.issues], [i.id for i in scenario.issues])
    domain = _domain_json(scenario, issue_names)
    stems = _file_stems(scenario.party_ids)
    domain_stem = _file_stems([scenario.id])[0]
    while domain_stem.lower() in {s.lower() for s in stems}:
        domain_stem += "_domain"
    profiles: list[dict[str, Any]] = []
    exact_values: dict[str, float] = {}
    discounts: dict[str, float] = {}
    powers: dict[str, float] = {}
    for party, stem in zip(scenario.parties, stems, strict=True):
        utilities, weights = _utilities_json(scenario, party, issue_names)
        bid, exact = _reservation_bid(scenario, party, issue_names)
        if not exact:
            exact_values[stem] = party.reservation
        if party.discount_factor is not None:
            discounts[stem] = party.discount_factor
        if party.weight != 1.0:
            powers[stem] = party.weight
        profiles.append(
            {
                "LinearAdditiveUtilitySpace": {
                    "issueUtilities": utilities,
                    "issueWeights": weights,
                    "domain": domain,
                    "name": _simple_name(party.id, "profile"),
                    "reservationBid": bid,
                }
            }
        )
    try:
        out.mkdir(parents=True, exist_ok=True)
        written = [out / f"{domain_stem}.json"]
        _save(domain, written[0])
        for stem, profile in zip(stems, profiles, strict=True):
            written.append(out / f"{stem}.json")
            _save(profile, written[-1])
        extras = out / EXTRAS_FILE
        order = [] if stems == sorted(stems) else stems
        if exact_values or discounts or powers or order:
            _save(
                {
                    "accord_extras": 1,
                    "note": "What GeniusWeb cannot hold, kept by accord: exact "
                    "reservation values (the reservation bids accept the same packages), "
                    "bargaining powers, discount factors and the order of the parties.",
                    "reservation_values": exact_values,
                    "powers": powers,
                    "discount_factors": discounts,
                    "party_order": order,
                },
                extras,
            )
            written.append(extras)
        elif extras.exists():
            extras.unlink()
    except OSError as exc:
        raise ImportFormatError(f"{out}: cannot write: {exc.strerror or exc}") from exc
    return tuple(written)


def _save(data: Mapping[str, Any], path: Path) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
