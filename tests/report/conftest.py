"""Reports of every bundled scenario, built once per session, and a headless chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

import accord
from accord.report import Report, build_report  # needs the 'report' extra, part of 'dev'
from accord.uncertainty import robustness, uncertain_inputs

BUNDLED = sorted(accord.bundled_scenarios())


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: loads a report in a real headless chromium")


def report_of(name: str, *, samples: int = 2_000) -> Report:
    """The report of a bundled scenario, with its robustness when it has uncertain inputs."""
    scenario = accord.load(name)
    rob = robustness(scenario, samples=samples, seed=0) if uncertain_inputs(scenario) else None
    return build_report(accord.analyze(scenario), robustness=rob)


@pytest.fixture(scope="session")
def bundled_html(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each bundled scenario's HTML report, written once."""
    folder = tmp_path_factory.mktemp("reports")
    return {name: report_of(name).write_html(folder / f"{name}.html") for name in BUNDLED}


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium: installed with apt-get when missing and the tests run as root."""
    found = find_chromium()
    if found is None and hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        try:
            subprocess.run(["apt-get", "update"], env=env, capture_output=True, timeout=120, check=False)
            subprocess.run(
                ["apt-get", "install", "-y", "chromium"],
                env=env,
                capture_output=True,
                timeout=300,
                check=False,
            )
        except subprocess.TimeoutExpired:
            pass  # reported below as a skip, with the reason
        found = find_chromium()
    if found is None:
        pytest.skip(
            "chromium is missing and cannot be installed here (installing needs root and "
            "apt-get: `apt-get install -y chromium`)"
        )
    return found
