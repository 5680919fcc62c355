"""Reports a mediator can read: the scenario with every assumption's reasons, the acceptable
packages and the frontier drawn, the bargaining solutions side by side, who blocks, the trades
that unblock, and the robustness of the answer.

``build_report(analysis, robustness=...)`` returns a :class:`Report` that writes one
self-contained HTML file or Markdown with PNG images. Needs the optional ``report`` extra
(matplotlib and jinja2): ``pip install 'accord[report]'``.
"""

try:
    import jinja2  # noqa: F401
    import matplotlib  # noqa: F401
except ImportError as exc:  # pragma: no cover - exercised by a test that hides the packages
    raise ImportError(
        f"accord's reports need the optional 'report' extra ({exc.name} is not installed): "
        "pip install 'accord[report]'",
        name=exc.name,
    ) from exc

from ._content import ReportConfig
from ._render import Report, build_report

__all__ = ["Report", "ReportConfig", "build_report"]
