"""Running the command line in-process and checking that a refusal is a clear error."""

from __future__ import annotations

from collections.abc import Mapping

from typer.testing import CliRunner, Result

from accord.cli import app


def invoke(*args: str, env: Mapping[str, str] | None = None) -> Result:
    # No COLUMNS: the 80-column default a script sees, where a hard wrap would show.
    return CliRunner(env=dict(env or {})).invoke(app, list(args))


def refused(result: Result, *names: str, code: int | None = None) -> str:
    """Assert a clear refusal: a non-zero exit (``code`` if given), no traceback, one line
    that starts with ``error:`` (ours) or ``Error:`` (a usage error) and names every one of
    ``names`` (the file or argument). Returns that line."""
    out = result.output
    assert result.exit_code != 0, out
    if code is not None:
        assert result.exit_code == code, out
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in out, out
    lines = [line for line in out.splitlines() if line.startswith(("error:", "Error:"))]
    assert len(lines) == 1, out
    whole = "\n".join(out.splitlines()[out.splitlines().index(lines[0]) :])
    for name in names:
        assert name in whole, (name, out)
    return lines[0]
