"""The flagship's report in a real headless chromium: it loads without a console message and
every chart is laid out at a visible size."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import numpy as np
import pytest
from matplotlib.image import imread

pytestmark = pytest.mark.browser

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--enable-logging=stderr",
    "--v=0",
]

# Appended to a copy of the report only: records each chart's laid-out size in the DOM.
MEASURE = """<script>
const sizes = [...document.querySelectorAll("svg.chart")].map(s => {
  const box = s.getBoundingClientRect(); return [box.width, box.height, s.childElementCount]; });
const out = document.createElement("pre"); out.id = "measured";
out.textContent = JSON.stringify(sizes); document.body.appendChild(out);
</script>"""


def _run(chromium: str, tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={tmp / 'profile'}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _console(stderr: str) -> list[str]:
    """The page's console messages (chromium logs each as ``...:CONSOLE...] "message"``)."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def test_console_messages_are_seen(chromium: str, tmp_path: Path) -> None:
    """The check below can fail: a page that logs an error is caught."""
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><p>x</p><script>console.error('boom'); missing();</script>")
    run = _run(chromium, tmp_path, "--dump-dom", page.as_uri())
    messages = _console(run.stderr)
    assert any("boom" in m for m in messages) and any("missing" in m for m in messages)


def test_flagship_report_loads_cleanly_and_its_charts_render(
    chromium: str, tmp_path: Path, bundled_html: dict[str, Path]
) -> None:
    report = bundled_html["ceasefire-2025"]
    html = report.read_text(encoding="utf-8")
    n_charts = html.count('<svg role="img" class="chart"')
    assert n_charts >= 5  # pairs, parallel, solutions, blockers, tornado

    # The report as it is: no console message at all (it has no script, and nothing fails).
    shot = tmp_path / "report.png"
    run = _run(chromium, tmp_path, "--window-size=1280,3000", f"--screenshot={shot}", report.as_uri())
    assert shot.exists(), run.stderr[-2000:]
    assert not _console(run.stderr)
    pixels = imread(shot)[:, :, :3]
    ink = np.any(pixels < 0.9, axis=2).mean()
    colours = len(np.unique((pixels * 255).astype(np.uint8).reshape(-1, 3), axis=0))
    assert ink > 0.05 and colours > 100, (ink, colours)  # text and charts, not a blank page

    # A copy that measures the charts: each is in the DOM with a visible size.
    copy = tmp_path / "measured.html"
    copy.write_text(html.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    run = _run(chromium, tmp_path, "--window-size=1280,3000", "--dump-dom", copy.as_uri())
    assert not _console(run.stderr)
    found = re.search(r'<pre id="measured">(.*?)</pre>', run.stdout, re.S)
    assert found, run.stdout[-500:]
    sizes = json.loads(found.group(1))
    assert len(sizes) == n_charts
    for width, height, children in sizes:
        assert width > 300 and height > 150 and children > 0
