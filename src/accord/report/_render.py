"""A report rendered as one self-contained HTML file, or as Markdown with PNG images beside it.

Templates are jinja2's: the HTML environment escapes every value (scenario text is user input),
and the Markdown one escapes every string for Markdown and HTML alike. The only unescaped
content is the charts' SVG, which matplotlib writes and escapes itself.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from ..analysis import Analysis
from ..uncertainty import Robustness
from . import _figures as figures
from ._content import Content, ReportConfig, build_content

__all__ = ["Report", "build_report"]


def _loader() -> jinja2.BaseLoader:
    return jinja2.PackageLoader("accord.report", "templates")


def _html_env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=_loader(),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def markdown_escape(value: Any) -> str:
    """A value as literal Markdown text: Markdown's markup characters backslash-escaped, HTML
    escaped (a Markdown renderer passes raw HTML through), line breaks made spaces so a value
    stays in its table cell."""
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    text = " ".join(str(value).split())
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def _md_env() -> jinja2.Environment:
    return jinja2.Environment(
        loader=_loader(),
        autoescape=False,
        finalize=markdown_escape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@dataclass(frozen=True)
class Report:
    """A report on one analysis: :meth:`html` or :meth:`write_html`; :meth:`markdown` or
    :meth:`write_markdown`."""

    content: Content

    @property
    def data(self) -> dict[str, Any]:
        """The values the templates lay out."""
        return self.content.data

    def html(self) -> str:
        """The whole report as one HTML document: styles and charts (SVG) inline, no script, and
        no reference to any other file or address."""
        charts = {
            name: {"svg": Markup(figures.svg(fig, title=alt)), "alt": alt}
            for name, (fig, alt) in self.content.figures.items()
        }
        css = Markup(_loader().get_source(_html_env(), "report.css")[0])
        return _html_env().get_template("report.html.j2").render(**self.data, charts=charts, css=css)

    def write_html(self, path: str | Path) -> Path:
        """Write :meth:`html` to ``path``; returns it."""
        out = Path(path)
        out.write_text(self.html(), encoding="utf-8")
        return out

    def markdown(self, images: str) -> tuple[str, dict[str, bytes]]:
        """The report as Markdown whose images are ``{images}/{name}.png``, and those images as
        PNG bytes by file name."""
        pngs = {f"{name}.png": figures.png(fig) for name, (fig, _) in self.content.figures.items()}
        charts = {
            name: {"src": Markup(f"{images}/{name}.png"), "alt": alt}
            for name, (_, alt) in self.content.figures.items()
        }
        text = _md_env().get_template("report.md.j2").render(**self.data, charts=charts)
        return re.sub(r"\n{3,}", "\n\n", text), pngs

    def write_markdown(self, path: str | Path) -> list[Path]:
        """Write the Markdown to ``path`` and its images to ``{stem}_files/`` beside it; returns
        every file written, the Markdown first."""
        out = Path(path)
        folder = out.with_name(f"{out.stem}_files")
        text, pngs = self.markdown(folder.name)
        folder.mkdir(parents=True, exist_ok=True)
        written = [out]
        out.write_text(text, encoding="utf-8")
        for name, data in pngs.items():
            (folder / name).write_bytes(data)
            written.append(folder / name)
        return written


def build_report(
    result: Analysis, *, robustness: Robustness | None = None, config: ReportConfig | None = None
) -> Report:
    """A report on an analysis; with ``robustness`` (from :func:`accord.uncertainty.robustness`
    on the same scenario) it also shows the robustness of the packages and the tornado chart."""
    return Report(build_content(result, robustness=robustness, config=config))
