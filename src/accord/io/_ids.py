"""Ids for things imported from formats that have names, not ids.

Issue and option ids are the file's own strings wherever the model accepts them as ids (not
blank, no control characters, at most 200 characters), so a package written with them is a bid
the source platform recognises. Party and scenario ids, which come from file and folder names
and are typed on the command line (``-r PARTY=VALUE``), are made command-line safe instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["faithful_ids", "identifier", "is_id", "unique_ids"]

_MAX = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def is_id(text: str) -> bool:
    """Whether ``text`` is a valid accord id as it stands (see ``accord.model.Identifier``)."""
    return 0 < len(text) <= _MAX and not text.isspace() and _CONTROL.search(text) is None


def identifier(text: str, fallback: str) -> str:
    """A command-line-safe id from a name: no ``,``, ``=`` or control characters, no leading or
    trailing space, at most 200 characters (``fallback`` if nothing is left)."""
    ident = _CONTROL.sub(" ", text).replace(",", ";").replace("=", "-").strip()[:_MAX].rstrip()
    return ident or fallback


def _unique(bases: Sequence[str], keep: Sequence[bool]) -> list[str]:
    # The texts kept as they are come first: a derived id never takes a file's own string.
    taken = {b for b, k in zip(bases, keep, strict=True) if k}
    ids: list[str] = []
    seen: set[str] = set()
    for base, kept in zip(bases, keep, strict=True):
        ident, k = base, 2
        while ident in seen or (not kept and ident in taken):
            ident, k = f"{base[:190]} ({k})", k + 1
        seen.add(ident)
        ids.append(ident)
    return ids


def unique_ids(texts: Sequence[str], fallback: str) -> list[str]:
    """:func:`identifier` of each text, made unique with `` (2)``, `` (3)``..."""
    bases = [identifier(text, f"{fallback}-{n}") for n, text in enumerate(texts, start=1)]
    return _unique(bases, [False] * len(bases))


def faithful_ids(texts: Sequence[str], fallback: str) -> list[str]:
    """Each text itself where it is a valid id; otherwise (blank, too long, a control character)
    :func:`identifier` of it, made unique. The caller keeps the exact text as the label of a
    derived id."""
    keep = [is_id(text) for text in texts]
    bases = [
        text if kept else identifier(text, f"{fallback}-{n}")
        for n, (text, kept) in enumerate(zip(texts, keep, strict=True), start=1)
    ]
    return _unique(bases, keep)
