"""Headless chromium on a report: a page measured in the DOM (element boxes, chart text), and
a screenshot of each section. ``python -m tests.report.pages`` remakes the flagship's report in
docs/ and its screenshots in docs/images/."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

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

ROOT = Path(__file__).resolve().parents[2]
FLAGSHIP_ORDER = "us+russia, ukraine, europe"

# Appended to a copy of a report only: writes into the DOM the boxes of what the tests check.
# Per chart: its box, the scale from its SVG units to pixels, and the box and rendered font
# size of every text element in it; per section its box; and the first screen's elements.
MEASURE = """<script>
const box = e => { const r = e.getBoundingClientRect();
  return [r.left + scrollX, r.top + scrollY, r.width, r.height]; };
const charts = [...document.querySelectorAll("svg.chart")].map(s => {
  const scale = s.getBoundingClientRect().width / s.viewBox.baseVal.width;
  const texts = [...s.querySelectorAll("text")].filter(t => t.textContent.trim()).map(t => ({
    text: t.textContent, box: box(t),
    px: parseFloat(getComputedStyle(t).fontSize) * scale }));
  return { name: s.closest("figure").dataset.chart, box: box(s), children: s.childElementCount,
           caption: (s.closest("figure").querySelector("figcaption") || {}).textContent || "",
           texts }; });
const first = Object.fromEntries(["#brief .verdict", "#recommendation", "table.package", ".rule"]
  .map(q => [q, document.querySelector(q) ? box(document.querySelector(q)) : null]));
const sections = [...document.querySelectorAll("main > section")].map(s => [s.id, box(s)]);
const out = document.createElement("pre"); out.id = "measured";
out.textContent = JSON.stringify({ charts, first, sections, width: innerWidth });
document.body.appendChild(out);
</script>"""


def run(chromium: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [chromium, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def measure(chromium: str, page: Path, tmp: Path, *, width: int = 1400, height: int = 900) -> dict[str, Any]:
    """The boxes MEASURE records, for the page laid out in a window of ``width`` × ``height``."""
    copy = tmp / f"measured-{page.stem}.html"
    html = page.read_text(encoding="utf-8")
    copy.write_text(html.replace("</body>", MEASURE + "</body>"), encoding="utf-8")
    done = run(chromium, tmp / "profile", f"--window-size={width},{height}", "--dump-dom", copy.as_uri())
    found = re.search(r'<pre id="measured">(.*?)</pre>', done.stdout, re.S)
    if not found:
        raise AssertionError(f"no measurement in the page: {done.stderr[-2000:]}")
    data: dict[str, Any] = json.loads(
        found.group(1).replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    )
    return data


def section_screenshots(chromium: str, page: Path, out: Path, tmp: Path, *, width: int = 1400) -> list[Path]:
    """One PNG per section of the report (``report-{id}.png``), each section alone on the page."""
    sections = measure(chromium, page, tmp, width=width)["sections"]
    html = page.read_text(encoding="utf-8")
    written = []
    for sid, (_, _, _, height) in sections:
        alone = f"<style>main > *:not(#{sid}) {{ display: none !important; }}</style></head>"
        copy = tmp / f"section-{sid}.html"
        copy.write_text(html.replace("</head>", alone, 1), encoding="utf-8")
        shot = out / f"report-{sid}.png"
        tall = int(min(max(height + 140, 300), 3000))
        run(chromium, tmp / "profile", f"--window-size={width},{tall}", f"--screenshot={shot}", copy.as_uri())
        written.append(shot)
    return written


def main() -> None:
    """Remake docs/ceasefire-2025-report.html, its first screen and a screenshot per section."""
    from tests.report.conftest import find_chromium

    chromium = find_chromium()
    if chromium is None:
        sys.exit("chromium is missing: apt-get install -y chromium")
    from typer.testing import CliRunner

    from accord.cli import app

    os.chdir(ROOT)  # the report prints the command that made it: a relative path, no machine's
    page = Path("docs") / "ceasefire-2025-report.html"
    result = CliRunner().invoke(
        app,
        ["report", "ceasefire-2025", "--order", FLAGSHIP_ORDER, "--coalitions", "--force", "-o", str(page)],
        catch_exceptions=False,
    )
    if result.exit_code:
        sys.exit(result.output)
    page = page.resolve()
    images = ROOT / "docs" / "images"
    tmp = Path(subprocess.run(["mktemp", "-d"], capture_output=True, text=True, check=True).stdout.strip())
    run(
        chromium,
        tmp / "profile",
        "--window-size=1400,900",
        f"--screenshot={images / 'ceasefire-2025-report.png'}",
        page.as_uri(),
    )
    for shot in section_screenshots(chromium, page, images, tmp):
        print(shot.relative_to(ROOT))


if __name__ == "__main__":
    main()
