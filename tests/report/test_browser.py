"""Reports in a real headless chromium: they load without a console message, the flagship's
first screen holds the recommendation, and a twelve-party report lays out every chart at a
legible size without overlapping text (element boxes measured in the DOM of a copy)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from matplotlib.image import imread

import accord
from accord.report import ReportConfig, build_report
from accord.uncertainty import robustness

from .many import ORDER, many_parties
from .pages import ROOT, measure, run

pytestmark = pytest.mark.browser


def _console(stderr: str) -> list[str]:
    """The page's console messages (chromium logs each as ``...:CONSOLE...] "message"``)."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def _overlap(a: list[float], b: list[float]) -> float:
    """The area two boxes ``[left, top, width, height]`` share."""
    w = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    h = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return max(w, 0.0) * max(h, 0.0)


def _check_charts(measured: dict[str, Any], names: set[str]) -> None:
    charts = measured["charts"]
    assert {c["name"] for c in charts} == names
    for c in charts:
        left, _, width, height = c["box"]
        assert width > 300 and height > 150 and c["children"] > 0, c["name"]
        assert left >= 0 and left + width <= measured["width"] + 0.5, c["name"]  # within the page
        assert c["caption"].strip().endswith("."), c["name"]  # one sentence saying what to read
        texts = c["texts"]
        assert texts, c["name"]
        small = [t["text"] for t in texts if t["px"] < 11]
        assert not small, (c["name"], small)
        for n, a in enumerate(texts):
            for b in texts[n + 1 :]:
                shared = _overlap(a["box"], b["box"])
                # Glyph boxes of neighbours may touch; text written over text may not.
                assert shared < 0.1 * min(a["box"][2] * a["box"][3], b["box"][2] * b["box"][3]), (
                    c["name"],
                    a["text"],
                    b["text"],
                )
    for n, a in enumerate(charts):  # no chart drawn over another
        for b in charts[n + 1 :]:
            assert _overlap(a["box"], b["box"]) == 0, (a["name"], b["name"])


def test_console_messages_are_seen(chromium: str, tmp_path: Path) -> None:
    """The check below can fail: a page that logs an error is caught."""
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><p>x</p><script>console.error('boom'); missing();</script>")
    done = run(chromium, tmp_path / "profile", "--dump-dom", page.as_uri())
    messages = _console(done.stderr)
    assert any("boom" in m for m in messages) and any("missing" in m for m in messages)


def test_the_overlap_check_sees_text_written_over_text() -> None:
    """The overlap check can fail: two labels at the same place are caught."""
    label = {"text": "x", "box": [10.0, 10.0, 40.0, 14.0], "px": 13.0}
    chart = {
        "name": "c",
        "box": [0, 0, 800, 400],
        "children": 3,
        "caption": "A chart.",
        "texts": [label, label],
    }
    with pytest.raises(AssertionError):
        _check_charts({"charts": [chart], "width": 1400}, {"c"})


def test_flagship_report_loads_cleanly_and_its_first_screen_holds_the_recommendation(
    chromium: str, tmp_path: Path, bundled_html: dict[str, Path]
) -> None:
    report = bundled_html["ceasefire-2025"]
    # The report as it is: no console message at all (it has no script, and nothing fails).
    shot = tmp_path / "report.png"
    done = run(
        chromium, tmp_path / "profile", "--window-size=1400,900", f"--screenshot={shot}", report.as_uri()
    )
    assert shot.exists(), done.stderr[-2000:]
    assert not _console(done.stderr)
    pixels = imread(shot)[:, :, :3]
    ink = np.any(pixels < 0.9, axis=2).mean()
    colours = len(np.unique((pixels * 255).astype(np.uint8).reshape(-1, 3), axis=0))
    assert ink > 0.05 and colours > 100, (ink, colours)  # text, not a blank page

    measured = measure(chromium, report, tmp_path, width=1400, height=900)
    first = measured["first"]
    for what in ("#brief .verdict", "#recommendation", "table.package", ".rule"):
        _, top, width, height = first[what]
        assert top >= 0 and top + height <= 900 and width > 0, (what, first[what])
    _check_charts(measured, {"heatmap", "room", "tornado"})


def test_a_twelve_party_report_draws_every_chart_legibly_and_without_overlap(
    chromium: str, tmp_path: Path
) -> None:
    s = many_parties(12)
    config = ReportConfig(order=ORDER, pairs=("p0", "p1"), coalitions=True)
    report = build_report(accord.analyze(s), robustness=robustness(s, samples=300, seed=0), config=config)
    page = report.write_html(tmp_path / "many.html")
    done = run(chromium, tmp_path / "profile", "--window-size=1400,900", "--dump-dom", page.as_uri())
    assert not _console(done.stderr)
    _check_charts(
        measure(chromium, page, tmp_path), {"heatmap", "room", "coalitions", "sequence", "pairs", "tornado"}
    )


def test_each_section_of_the_flagship_report_has_its_screenshot_in_the_docs() -> None:
    html = (ROOT / "docs" / "ceasefire-2025-report.html").read_text(encoding="utf-8")
    sections = __import__("re").findall(r'<section id="([a-z-]+)"', html)
    assert "brief" in sections and "sequence" in sections
    for sid in sections:
        assert (ROOT / "docs" / "images" / f"report-{sid}.png").exists(), sid
