"""The HTML report: every scenario, every assumption's reasons, nothing fetched, text escaped."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from markupsafe import escape
from pydantic import BaseModel
from typer.testing import CliRunner

import accord
from accord.cli import app
from accord.report import ReportConfig, build_report
from accord.report.brief import input_label
from accord.uncertainty import robustness

from .conftest import BUNDLED

HOSTILE = "<script>alert(1)</script>"


def _texts(obj: Any) -> Iterator[str]:
    """Every rationale, source, description and label anywhere in a scenario."""
    if isinstance(obj, BaseModel):
        for name in ("rationale", "source", "description", "label"):
            value = getattr(obj, name, None)
            if isinstance(value, str):
                yield value
        for name in type(obj).model_fields:
            yield from _texts(getattr(obj, name))
    elif isinstance(obj, dict):
        for v in obj.values():
            yield from _texts(v)
    elif isinstance(obj, list | tuple):
        for v in obj:
            yield from _texts(v)


class _Resources(HTMLParser):
    """Every tag and the address of every resource a tag would load or link to."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.addresses: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href", "xlink:href", "srcset", "data", "poster") and value:
                self.addresses.append((tag, value))


@pytest.mark.parametrize("name", BUNDLED)
def test_report_shows_every_party_issue_and_reason(name: str, bundled_html: dict[str, Path]) -> None:
    html = bundled_html[name].read_text(encoding="utf-8")
    scenario = accord.load(name)
    assert html.startswith("<!DOCTYPE html>")
    for party in scenario.parties:
        assert str(escape(party.title)) in html and str(escape(party.id)) in html
    for issue in scenario.issues:
        assert str(escape(issue.title)) in html
        for option in issue.options or ():
            assert str(escape(option.label or option.id)) in html
    texts = set(_texts(scenario))
    assert texts, "the bundled scenarios give their reasons"
    missing = [t for t in texts if str(escape(t)) not in html]
    assert not missing, missing[:3]
    assert html.count('<svg role="img" class="chart"') >= 3


@pytest.mark.parametrize("name", BUNDLED)
def test_report_loads_nothing_from_elsewhere(name: str, bundled_html: dict[str, Path]) -> None:
    html = bundled_html[name].read_text(encoding="utf-8")
    parser = _Resources()
    parser.feed(html)
    assert "script" not in parser.tags and "iframe" not in parser.tags
    remote = [
        (tag, a)
        for tag, a in parser.addresses
        if re.match(r"\s*(https?:)?//", a)
        and tag in ("script", "img", "link", "image", "use", "source", "object", "embed", "iframe")
    ]
    assert not remote
    # Only in-page anchors and inline data: nothing that needs another file.
    assert all(a.startswith(("#", "data:")) for _, a in parser.addresses), parser.addresses
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html) and "@import" not in html


def _hostile_scenario() -> accord.Scenario:
    """car-sale with markup in a party's name and reasons, an issue's name and an option's label."""
    s = accord.load("car-sale")
    seller = s.parties[0].model_copy(
        update={"name": f"Dealer {HOSTILE}", "rationale": f"Why {HOSTILE} & more"}
    )
    issue = s.issues[1]
    assert issue.options is not None
    options = (issue.options[0].model_copy(update={"label": f"None {HOSTILE}"}), *issue.options[1:])
    return s.model_copy(
        update={
            "parties": (seller, *s.parties[1:]),
            "issues": (
                s.issues[0],
                issue.model_copy(update={"name": f"Warranty {HOSTILE}", "options": options}),
                *s.issues[2:],
            ),
        }
    )


def test_hostile_text_is_shown_as_text() -> None:
    report = build_report(accord.analyze(_hostile_scenario()))
    html = report.html()
    assert HOSTILE not in html
    assert "Dealer &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Why &lt;script&gt;alert(1)&lt;/script&gt; &amp; more" in html
    assert "Warranty &lt;script&gt;" in html and "None &lt;script&gt;" in html
    markdown, _ = report.markdown("images")
    assert HOSTILE not in markdown and "&lt;script&gt;" in markdown


def test_markdown_is_written_with_its_images(tmp_path: Path) -> None:
    out = tmp_path / "report.md"
    result = CliRunner().invoke(app, ["report", "three-towns", "--format", "md", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]+\]\(([^)]+\.png)\)", text)
    assert len(images) >= 3 and all(i.startswith("report_files/") for i in images)
    for image in images:
        assert (tmp_path / image).read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    for party in accord.load("three-towns").parties:
        assert party.title in text
    assert "| --- |" not in text and "|---|" in text


def test_cli_writes_html_and_overrides_reservation_values(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = CliRunner().invoke(
        app, ["report", "three-towns", "-o", str(out), "-r", "alder=0.95", "-r", "birch=0.9"]
    )
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert "No package is acceptable to every party" in html
    assert "Set to 0.95 on the command line" in html
    bad = CliRunner().invoke(app, ["report", "three-towns", "-o", str(out), "--force", "-r", "nobody=1"])
    assert bad.exit_code == 2 and "no party 'nobody'" in bad.output


def test_the_same_report_twice_is_the_same_file() -> None:
    scenario = accord.load("car-sale")
    assert build_report(accord.analyze(scenario)).html() == build_report(accord.analyze(scenario)).html()


def test_robustness_section_and_tornado_appear_with_a_robustness_result() -> None:
    scenario = accord.load("three-towns")
    uncertain = scenario.model_copy(
        update={
            "parties": tuple(
                p.model_copy(
                    update={
                        "reservation_value": accord.model.Number(
                            value=p.reservation,
                            range=(p.reservation - 0.1, p.reservation + 0.1),
                            rationale=f"Unsure about {p.id}.",
                        )
                    }
                )
                for p in scenario.parties
            )
        }
    )
    rob = robustness(uncertain, samples=500, seed=1)
    report = build_report(accord.analyze(uncertain), robustness=rob)
    html = report.html()
    assert "Which assumptions matter most (tornado)" in html
    assert "Tornado chart" in html and html.count('class="chart"') >= 4
    for x in rob.inputs:  # by name: "Alder: reservation value", not alder.reservation_value
        assert input_label(uncertain, x) in html and x.name not in html
    assert "Most robust package" in html
    without = build_report(accord.analyze(uncertain)).html()
    assert "Tornado chart" not in without and "--samples 10000" in without
    markdown, images = report.markdown("f")
    assert "tornado.png" in images and "Most robust package" in markdown
    with pytest.raises(accord.AnalysisError, match="not of the analysed 'car-sale'"):
        build_report(accord.analyze(accord.load("car-sale")), robustness=rob)


def test_a_sample_of_a_large_space_is_drawn_and_said() -> None:
    flagship = accord.load("ceasefire-2025")
    report = build_report(
        accord.analyze(flagship), config=ReportConfig(max_points=5_000, seed=3, pairs=("us", "russia"))
    )
    said = f"a uniform sample of 5,000 of the {flagship.n_packages:,} packages (seed 3)"
    assert said in report.data["cloud"]
    assert "pairs" in report.content.figures


def test_missing_extra_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    for module in [m for m in sys.modules if m == "accord.report" or m.startswith("accord.report.")]:
        monkeypatch.delitem(sys.modules, module)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    result = CliRunner().invoke(app, ["report", "car-sale", "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 2
    assert "pip install 'accord[report]'" in result.output
    assert not (tmp_path / "r.html").exists()


def test_the_extension_chooses_markdown_and_a_missing_folder_is_refused_first(tmp_path: Path) -> None:
    out = tmp_path / "r.md"
    result = CliRunner().invoke(app, ["report", "car-sale", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("# ")
    missing = tmp_path / "nowhere" / "r.html"
    refused = CliRunner().invoke(app, ["report", "car-sale", "-o", str(missing)])
    said = " ".join(refused.output.split())
    assert refused.exit_code != 0 and "does not exist" in said and "Traceback" not in said


def test_the_printed_command_reproduces_the_report(tmp_path: Path) -> None:
    source = Path(accord.__file__).parent / "scenarios" / "three-towns.yaml"
    out = tmp_path / "r.html"
    args = ["report", str(source), "-r", "alder=0.7", "--samples", "0", "-o", str(out)]
    assert CliRunner().invoke(app, args).exit_code == 0
    html = out.read_text(encoding="utf-8")
    command = re.search(r"Made with accord [^:]+: <code>(.*?)</code>", html)
    assert command is not None
    printed = shlex.split(command.group(1).replace("&#39;", "'").replace("&quot;", '"'))
    assert printed[0] == "accord" and str(source) in printed and "alder=0.7" in printed
    again = tmp_path / "again.html"
    printed[printed.index("-o") + 1] = str(again)
    assert CliRunner().invoke(app, printed[1:]).exit_code == 0
    assert again.read_text(encoding="utf-8") == html.replace(str(out), str(again))


def test_the_report_cites_no_file_the_reader_does_not_have(bundled_html: dict[str, Path]) -> None:
    # The report's own words name no file; a scenario's text is the author's, shown as written
    # (so a file it names must be in the scenario file itself).
    for name, page in bundled_html.items():
        text = re.sub(r"<code>accord [^<]*</code>", "", page.read_text(encoding="utf-8"))
        source = resources.files("accord.scenarios").joinpath(f"{name}.yaml").read_text(encoding="utf-8")
        for found in re.finditer(r"\b[\w-]+\.(md|yaml|py)\b|docs/[\w./-]*", text):
            assert found.group() in source, (name, found.group())


def test_a_representative_frontier_is_said_to_be_one() -> None:
    # The optimisation engine keeps a representative part of the frontier: the report must not
    # present it as the whole of it.
    from accord.analysis import AnalysisConfig

    scenario = accord.load("car-sale")
    whole, _ = build_report(accord.analyze(scenario)).markdown("f")
    part, _ = build_report(accord.analyze(scenario, config=AnalysisConfig(engine="optimise"))).markdown("f")
    assert "representative" not in whole
    assert "their Pareto frontier is not listed whole" in part
    assert "representative Pareto-optimal utility vectors, by total utility" in part
