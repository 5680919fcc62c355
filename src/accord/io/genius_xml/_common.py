"""Parsing Genius XML safely, and the small helpers every part of the reader and writer uses."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from ...errors import ImportFormatError

__all__ = ["MAX_FILE_BYTES", "MAX_RECTANGLES"]

MAX_FILE_BYTES = 10 * 1024 * 1024
"""Files larger than this are refused (the largest ANAC file is a few hundred kilobytes)."""

MAX_RECTANGLES = 10_000
"""Non-linear profiles with more hyper-rectangles than this are refused, before they are parsed."""

_REAL_POINTS = 21  # genius.core.issue.IssueReal.fNumberOfDiscretizationSteps
_DISCRETE_ZERO = 1e-5  # EvaluatorDiscrete.normalize: a maximum below this evaluates to 0
_WEIGHT_TOLERANCE = 1e-9
_MAX_DEPTH = 64


# -- parsing ---------------------------------------------------------------------------------


@dataclass
class _Doc:
    """One parsed XML file, with the line of every element for error messages."""

    path: Path
    root: ET.Element
    lines: dict[int, int] = field(default_factory=dict)

    def error(self, elem: ET.Element | None, problem: str) -> ImportFormatError:
        where = str(self.path)
        if elem is not None:
            line = self.lines.get(id(elem))
            if line is not None:
                where += f":{line}"
            where += f": {_describe(elem)}"
        return ImportFormatError(f"{where}: {problem}")


def _describe(elem: ET.Element) -> str:
    for key in ("name", "value", "index"):
        if key in elem.attrib:
            return f'<{elem.tag} {key}="{_short(elem.attrib[key])}">'
    return f"<{elem.tag}>"


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


class _LineBuilder(ET.TreeBuilder):
    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[int, int] = {}
        self.parser: Any = None

    def start(self, tag: Any, attrs: Any) -> ET.Element:
        elem = super().start(tag, attrs)
        self.lines[id(elem)] = int(self.parser.parser.CurrentLineNumber)
        return elem


def _looks_like_xml(data: bytes) -> bool:
    """Whether ``data`` starts like an XML document: in UTF-8 (with or without a byte order
    mark) or in UTF-16 (with a byte order mark, or ``<`` as its first code unit), all of which
    Genius's Java parser reads and so does expat."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")):
        try:
            text = data.decode("utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else _utf16(data))
        except UnicodeDecodeError:
            return False
        return text.lstrip("\ufeff \t\r\n").startswith("<")
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _utf16(data: bytes) -> str:
    return "utf-16-le" if data.startswith(b"<\x00") else "utf-16-be"


def _is_plain_text(data: bytes) -> bool:
    """Whether ``data`` is UTF-8 text without control characters (a CSV table, a note)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return not any(ord(c) < 32 and c not in "\t\r\n" for c in text)


def _parse(path: Path, data: bytes) -> _Doc:
    builder = _LineBuilder()
    parser = SafeET.DefusedXMLParser(
        target=builder, forbid_dtd=False, forbid_entities=True, forbid_external=True
    )
    builder.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException as exc:
        raise ImportFormatError(
            f"{path}: refused: the file declares entities or external references ({exc!r}); "
            "Genius files never need them, and they can expand without bound (billion laughs) "
            "or read other files"
        ) from exc
    except ET.ParseError as exc:
        raise ImportFormatError(
            f"{path}: not well-formed XML ({exc}); the file may be truncated or corrupted"
        ) from exc
    except (ValueError, LookupError, RecursionError) as exc:
        raise ImportFormatError(f"{path}: cannot be parsed as XML: {exc}") from exc
    if not isinstance(root, ET.Element):
        raise ImportFormatError(f"{path}: no root element")
    return _Doc(path, root, builder.lines)


# -- small readers of attributes ------------------------------------------------------------------


def _attr(doc: _Doc, elem: ET.Element, key: str) -> str:
    value = elem.get(key)
    if value is None:
        raise doc.error(elem, f"missing the `{key}` attribute")
    return value


def _float(doc: _Doc, elem: ET.Element, key: str, default: float | None = None) -> float:
    text = elem.get(key)
    if text is None:
        if default is not None:
            return default
        raise doc.error(elem, f"missing the `{key}` attribute")
    try:
        number = float(text.strip().rstrip("dDfF"))  # Java's Double.valueOf accepts 1.0d
    except ValueError:
        raise doc.error(elem, f"`{key}` is '{_short(text)}', not a number") from None
    if not math.isfinite(number):
        raise doc.error(elem, f"`{key}` is '{_short(text)}', not a finite number")
    return number


def _int(doc: _Doc, elem: ET.Element, key: str) -> int:
    text = _attr(doc, elem, key)
    try:
        number = int(text.strip())
    except ValueError:
        raise doc.error(elem, f"`{key}` is '{_short(text)}', not an integer") from None
    if not -(2**31) <= number < 2**31:  # Genius reads them with Java's Integer.parseInt
        raise doc.error(elem, f"`{key}` is '{_short(text)}', outside the 32-bit integers Genius reads")
    return number


def _children(elem: ET.Element, tag: str) -> list[ET.Element]:
    return [child for child in elem if child.tag == tag]


def _kind(elem: ET.Element) -> str:
    """The issue type as Genius decides it: ``type``, else discrete.

    Genius reports a conflict between ``type`` and ``vtype``/``etype`` and uses ``type``.
    """
    kind = elem.get("type")
    return "discrete" if kind is None else kind.strip().lower()
