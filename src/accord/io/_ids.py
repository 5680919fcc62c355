"""Ids for things imported from formats that have names, not ids."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["identifier", "unique_ids"]


def identifier(text: str, fallback: str) -> str:
    """A valid accord id from a name: no ``,`` or ``=``, no leading space, at most 200 chars."""
    ident = text.replace(",", ";").replace("=", "-").lstrip()[:200].rstrip()
    return ident or fallback


def unique_ids(texts: Sequence[str], fallback: str) -> list[str]:
    """:func:`identifier` of each text, made unique with `` (2)``, `` (3)``..."""
    ids: list[str] = []
    seen: set[str] = set()
    for n, text in enumerate(texts, start=1):
        base = identifier(text, f"{fallback}-{n}")
        ident, k = base, 2
        while ident in seen:
            ident, k = f"{base[:190]} ({k})", k + 1
        seen.add(ident)
        ids.append(ident)
    return ids
