"""One exception tree for everything accord refuses to do.

Every message says where the problem is (file, line, field) and what to do about it, so the
command line can print it as it is, without a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "AccordError",
    "AnalysisError",
    "ImportFormatError",
    "Problem",
    "ScenarioError",
    "SpaceTooLargeError",
]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario: where (a path of keys and indices, and a line if known)."""

    loc: tuple[str | int, ...]
    message: str
    line: int | None = None

    @property
    def field(self) -> str:
        """The path as people write it: ``preferences.us.weights.sanctions``, ``issues[2].id``."""
        out = ""
        for part in self.loc:
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
        return out or "(top level)"

    def describe(self, file: str | None = None) -> str:
        where = file or "<scenario>"
        if self.line is not None:
            where += f":{self.line}"
        field = f"{self.field}: " if self.loc else ""
        return f"{where}: {field}{self.message}"


class AccordError(Exception):
    """Base class of every error accord raises on purpose."""


class ScenarioError(AccordError):
    """A scenario is malformed or inconsistent (a file, or objects built in Python).

    ``problems`` lists every problem found, each with its place; ``file`` names the file.
    """

    def __init__(self, problems: Sequence[Problem] | str, *, file: str | None = None) -> None:
        if isinstance(problems, str):
            problems = [Problem((), problems)]
        self.problems = tuple(problems)
        self.file = file
        lines = [p.describe(file) for p in self.problems]
        head = f"{len(lines)} problems in the scenario:\n  " if len(lines) > 1 else ""
        super().__init__(head + "\n  ".join(lines))


class ImportFormatError(AccordError):
    """A file in another format (Genius XML, GeniusWeb JSON) cannot be read faithfully."""


class AnalysisError(AccordError):
    """A request to the analysis engine cannot be answered (an impossible request)."""


class SpaceTooLargeError(AnalysisError):
    """The exact answer needs more packages enumerated than the configured limit allows."""
