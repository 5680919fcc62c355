"""Reading a GeniusWeb folder: the domain, the profiles and accord's extras."""

from __future__ import annotations

import contextlib
import json
import json.decoder
import json.scanner
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError

from ...errors import AccordError, ImportFormatError
from ...model import (
    Issue,
    NumericRange,
    Option,
    Party,
    PiecewiseLinear,
    Preferences,
    Scenario,
)
from ...model.utility import float_at_most, issue_contributions, party_scale
from .._files import folder_files, read_bounded
from .._ids import faithful_ids, identifier, unique_ids
from ._common import (
    _DISCRETE,
    _NUMBER,
    _PROFILE_TYPES,
    MAX_FILE_BYTES,
    _At,
    _short,
)

__all__ = ["read_geniusweb"]


def _parse_json(path: Path, data: bytes) -> Any:
    """The JSON value of a file's bytes. Duplicate keys are refused (a parser keeps one of them
    silently, and which one differs between GeniusWeb's Java and Python), and so are NaN and
    Infinity, which are not JSON."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFormatError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None

    def refuse(constant: str) -> Any:
        raise ValueError(f"{constant} is not a JSON number")

    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise _DuplicateKey(key)
            out[key] = value
        return out

    try:
        return json.loads(text, parse_constant=refuse, object_pairs_hook=unique)
    except _DuplicateKey as exc:
        line = _line_of_duplicate(text)
        where = (
            f"{path}:{line}: the object that starts here holds" if line else f"{path}: one JSON object holds"
        )
        raise ImportFormatError(
            f"{where} the key {json.dumps(exc.key, ensure_ascii=False)} twice; JSON readers "
            "silently keep one of the two: remove the other"
        ) from None
    except json.JSONDecodeError as exc:
        raise ImportFormatError(
            f"{path}:{exc.lineno}: not valid JSON ({exc.msg}, column "
            f"{exc.colno}); the file may be truncated or corrupted"
        ) from None
    except (ValueError, RecursionError) as exc:
        raise ImportFormatError(f"{path}: cannot be read as JSON: {exc}") from None


def _line_of_duplicate(text: str) -> int | None:
    """The line of the first JSON object holding a key twice. Only on the way to the error:
    the standard library's C parser says nowhere where an object starts, its Python parser
    (slower, hence not used for reading) does."""
    starts: list[int] = []

    def parse_object(at: tuple[str, int], *args: Any) -> Any:
        def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
            keys = [key for key, _ in pairs]
            if len(set(keys)) < len(keys):
                starts.append(at[1] - 1)
                raise _DuplicateKey(keys[0])
            return dict(pairs)

        strict, scan_once, object_hook, _, *memo = args
        return json.decoder.JSONObject(at, strict, scan_once, object_hook, hook, *memo)  # type: ignore[attr-defined]

    decoder = json.JSONDecoder(parse_constant=lambda constant: None)
    decoder.parse_object = parse_object  # type: ignore[attr-defined]
    decoder.scan_once = json.scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]
    with contextlib.suppress(_DuplicateKey, ValueError, RecursionError):
        decoder.decode(text)
    return text.count("\n", 0, starts[0]) + 1 if starts else None


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _object(at: _At, value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise at.error(f"expected {what} (a JSON object), got {_short(value)}")
    return value


def _field(at: _At, obj: Mapping[str, Any], key: str, what: str) -> Any:
    if key not in obj:
        raise at.error(f"missing `{key}` ({what})")
    return obj[key]


def _number(at: _At, value: Any, what: str) -> float:
    if isinstance(value, str):
        raise at.error(
            f"{what} must be a number, got the text {_short(json.dumps(value, ensure_ascii=False))}; "
            "write it without quotes"
        )
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise at.error(f"{what} must be a number, got {_short(value)}")
    try:
        number = float(value)
    except OverflowError:  # an integer of hundreds of digits
        raise at.error(
            f"{what} is an integer of {len(str(abs(value))):,} digits, too large for a number"
        ) from None
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
    if not math.isfinite(total):
        raise wat.error("the weights sum to more than the largest number: give weights near 1")
    if total <= 0:
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
        scale = party_scale(domain.issues, prefs, 0.0, party=party_id)
        floats = issue_contributions(domain.issues, prefs)
        total_q, total = 0, 0.0
        for issue_name, value in chosen.items():
            if issue_name not in index:
                raise (iat / issue_name).error(f"the domain has no issue '{_short(issue_name)}'")
            n = index[issue_name]
            k = _value_index(iat / issue_name, domain, n, value)
            total_q += int(scale.contributions[n][k])
            total += float(floats[n][k])
        # The bid's utility: exactly where the scale is exact (the largest float not above it),
        # else the float formula, which the scale's slack covers (accord.model.utility).
        reservation = float_at_most(Fraction(total_q, scale.denominator)) if scale.exact else total
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


_MARKERS = (b"issuesValues", b"UtilitySpace", b"issueUtilities", b"issueWeights")


@dataclass(frozen=True)
class JsonFile:
    """One JSON file of a folder, read once: its bytes, or why it could not be read."""

    path: Path
    data: bytes | None
    problem: ImportFormatError | None = None

    @property
    def mentions_geniusweb(self) -> bool:
        return self.data is not None and any(m in self.data for m in _MARKERS)


def json_files(files: Sequence[Path], max_file_bytes: int = MAX_FILE_BYTES) -> list[JsonFile]:
    """Each ``.json`` file among ``files``, read once (a file that cannot be read keeps its error,
    raised only if the folder is read as GeniusWeb)."""
    out = []
    for file in files:
        if file.suffix.lower() != ".json":
            continue
        try:
            out.append(
                JsonFile(file, read_bounded(file, max_file_bytes, "GeniusWeb files are a few kilobytes"))
            )
        except ImportFormatError as exc:
            out.append(JsonFile(file, None, exc))
    return out


def looks_like_geniusweb(files: Sequence[JsonFile]) -> bool:
    """Whether a folder's JSON files hold a GeniusWeb domain or profile (by content)."""
    return any(f.mentions_geniusweb for f in files)


def read_geniusweb(path: str | os.PathLike[str], *, max_file_bytes: int = MAX_FILE_BYTES) -> Scenario:
    """Read a GeniusWeb folder (a domain JSON and one profile JSON per party) into a scenario.

    The domain is the JSON file with ``issuesValues`` at its top; profiles are the files holding
    a ``LinearAdditiveUtilitySpace`` (the domain may also come from the profiles alone, which
    embed it). Party ids are the profile file names without ``.json``. JSON files that mention
    no GeniusWeb key are skipped; ``accord-extras.json`` (see :func:`write_geniusweb`) supplies
    exact reservation values and discount factors.

    Raises :class:`~accord.errors.ImportFormatError` naming the file, the JSON path and the
    problem: oversized, unreadable, invalid or truncated JSON, duplicate keys, a file holding
    GeniusWeb keys under another root, wrong types, numbers too large, a profile naming an issue
    or value the domain lacks, utilities outside [0, 1], negative or all-zero weights, an
    unsupported profile type.
    """
    folder = Path(path)
    files = folder_files(
        folder,
        ".json",
        "a GeniusWeb scenario is a folder with a domain JSON file and one profile JSON file per party",
    )
    return read_json_files(folder, json_files(files, max_file_bytes))


def _root_problem(file: Path, data: Any) -> ImportFormatError:
    shown = f"an object with {_short(', '.join(data), 80)}" if isinstance(data, dict) else _short(data)
    return _At(file).error(
        "the file holds GeniusWeb keys, but its root is "
        f"{shown or 'empty'}, not a profile "
        '({"LinearAdditiveUtilitySpace": {...}}) or a domain ({"issuesValues": {...}}): '
        "fix the root or remove the file from the folder"
    )


def read_json_files(folder: Path, files: Sequence[JsonFile]) -> Scenario:
    """The scenario of a GeniusWeb folder whose JSON files are already read (see
    :func:`json_files`), so that telling the format and reading it read each file once."""
    loaded: list[tuple[Path, Any]] = []
    for entry in files:
        if entry.problem is not None:
            raise entry.problem
        assert entry.data is not None
        data = _parse_json(entry.path, entry.data)
        if _kind_of(data) == "other" and entry.mentions_geniusweb:
            raise _root_problem(entry.path, data)  # a profile that cannot be read drops a party
        loaded.append((entry.path, data))
    domains = [(f, d) for f, d in loaded if _kind_of(d) == "domain"]
    profiles = [(f, d) for f, d in loaded if _kind_of(d) == "profile"]
    extras = [(f, d) for f, d in loaded if _kind_of(d) == "extras"]
    if len(domains) > 1:
        names = ", ".join(f.name for f, _ in domains)
        raise ImportFormatError(f"{folder}: several domain files ({names}); keep one per folder")
    if not profiles:
        found = ", ".join(f.path.name for f in files) or "no JSON files"
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
