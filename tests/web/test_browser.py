"""A facilitator and three parties, each in its own browser context of a real headless
chromium (Debian's, driven by Playwright), from invitation to agreement through the pages;
no page logs a console error."""

from __future__ import annotations

import itertools
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from accord.web import create_app

from .conftest import PASSWORD, PREFERENCES, SCENARIO, free_port, migrated, web_config

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def server(sqlite_url: str) -> Iterator[str]:
    """The app under uvicorn in a thread, on a free loopback port."""
    import uvicorn

    app = create_app(web_config(sqlite_url), database=migrated(sqlite_url))
    app.state.service.create_facilitator("boss@example.org", PASSWORD)
    port = free_port()
    runner = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=runner.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not runner.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        runner.should_exit = True
        thread.join(timeout=30)


def _point_value(points: list[list[float]], x: float) -> float:
    """The piecewise-linear value at x (what the form asks for at each shown point)."""
    for (x0, v0), (x1, v1) in itertools.pairwise(points):
        if x0 <= x <= x1:
            return v0 + (v1 - v0) * (x - x0) / (x1 - x0)
    return points[0][1] if x < points[0][0] else points[-1][1]


def _fill_preferences(page: Any, prefs: dict[str, Any]) -> None:
    for issue, weight in prefs["weights"].items():
        page.locator(f'[data-role=weight][data-issue="{issue}"]').fill(str(weight))
    for issue, values in prefs["values"].items():
        if "points" in values:
            for field in page.locator(f'[data-role=point][data-issue="{issue}"]').all():
                x = float(field.get_attribute("data-x"))
                field.fill(str(round(_point_value(values["points"], x))))
        else:
            for option, value in values.items():
                page.locator(f'[data-role=value][data-issue="{issue}"][data-option="{option}"]').fill(
                    str(value)
                )
    for line in prefs["red_lines"]:
        ((issue, option),) = line["when"].items()
        page.locator(f'[data-role=red-line][data-issue="{issue}"][data-option="{option}"]').check()
    page.locator("[data-role=walk-away]").fill(str(round(prefs["reservation_value"] * 100)))


def test_from_invitation_to_agreement_in_a_real_browser(server: str, tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.skip("chromium is missing (apt-get install -y chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is part of the 'dev' extra")
    problems: list[str] = []

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)

        def open_page(name: str) -> Any:
            page = browser.new_context().new_page()
            page.set_default_timeout(30_000)
            page.on("console", lambda m: problems.append(f"{name}: {m.text}") if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(f"{name}: {e}"))
            return page

        boss = open_page("facilitator")
        boss.goto(server + "/")
        boss.fill("input[name=email]", "boss@example.org")
        boss.fill("input[name=password]", PASSWORD)
        boss.click("#login button")
        boss.wait_for_url(server + "/cases")
        boss.fill("#scenario", SCENARIO)
        boss.click("#new-case button")
        boss.wait_for_url(f"{server}/cases/*")
        case_url = boss.url

        parties = {}
        for party in PREFERENCES:
            row = boss.locator(f'tr[data-party="{party}"]')
            row.locator("input[type=email]").fill(f"{party}@example.org")
            row.locator("form.invite button").click()
            link = row.locator("output.token")
            link.wait_for()
            page = open_page(party)
            page.goto(link.text_content())
            page.fill("input[name=password]", PASSWORD)
            page.click("#join button")
            page.wait_for_url(server + "/cases")
            page.click("ul.cases a")
            page.click("#to-preferences")
            _fill_preferences(page, PREFERENCES[party])
            page.click("#preferences button[type=submit]")
            page.wait_for_url(case_url)
            parties[party] = page

        boss.reload()
        assert boss.locator("td.submitted").all_text_contents() == ["yes", "yes", "yes"]
        boss.click("#start-round button")
        expect = sync_api.expect
        expect(boss.locator("#phase")).to_have_text("suggestions")  # the page reloads

        for party, page in parties.items():
            page.goto(case_url + "/suggestions")
            first = page.locator("section.suggestion").first
            assert 0 <= float(first.locator(".score").text_content()) <= 100
            if party == "alder":
                shot = Path(os.environ.get("ACCORD_WEB_SCREENSHOT_DIR", tmp_path)) / "web-suggestions.png"
                page.screenshot(path=str(shot), full_page=True)
            first.locator("form.accept button").click()
            if party != "cedar":
                first.locator(".answer", has_text="accepted").wait_for()
            else:  # the last acceptance makes the package the baseline
                sync_api.expect(page.locator("#phase")).to_have_text("baseline")

        boss.reload()
        assert boss.locator("#phase").text_content() == "baseline"
        boss.click("#start-round button")
        expect(boss.locator("#phase")).to_have_text("agreed")
        assert boss.locator("h2", has_text="The agreement").count() == 1
        for page in parties.values():
            page.goto(case_url)
            assert page.locator("#phase").text_content() == "agreed"
        browser.close()

    assert not problems, problems
