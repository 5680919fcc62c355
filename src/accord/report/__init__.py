"""Reports a mediator can read: the scenario with every assumption's reasons, the acceptable
packages and the frontier drawn, the bargaining solutions side by side, who blocks, the trades
that unblock, and the robustness of the answer.

``build_report(analysis, robustness=...)`` returns a :class:`Report` that writes one
self-contained HTML file or Markdown with PNG images. Needs the optional ``report`` extra
(matplotlib and jinja2): ``pip install 'accord[report]'``.

:mod:`accord.report.brief` (the first screen: the recommendation, whether agreement is possible,
who blocks, the sequence) and its number formatting need neither, so the terminal uses them
too; the rest is loaded on first use and says which extra it needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._content import ReportConfig
    from ._render import Report, build_report

__all__ = ["Report", "ReportConfig", "build_report"]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module 'accord.report' has no attribute {name!r}")
    try:
        import jinja2  # noqa: F401
        import matplotlib  # noqa: F401
    except ImportError as exc:  # exercised by a test that hides the packages
        raise ImportError(
            f"accord's reports need the optional 'report' extra ({exc.name} is not installed): "
            "pip install 'accord[report]'",
            name=exc.name,
        ) from exc
    from . import _content, _render

    return {
        "Report": _render.Report,
        "ReportConfig": _content.ReportConfig,
        "build_report": _render.build_report,
    }[name]
