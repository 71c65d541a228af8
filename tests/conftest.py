"""Shared fixtures: the good test package, defect overlays, and one real Pelican build of the demo."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "good"
DEFECTS = FIXTURES / "defects"
DEMO = ROOT / "data" / "519901"
BUILD_DAY = "2026-11-21"


def package_with_defect(defect: str, folder: Path) -> Path:
    """Copy the good package to folder and lay the defect's files over it."""
    shutil.copytree(GOOD, folder)
    for file in (DEFECTS / defect).iterdir():
        shutil.copy(file, folder / file.name)
    return folder


GOLDEN = Path(__file__).parent / "golden"


GOLDEN_FILES = ("*.html", "*/data/oc4ids-*.json")


def golden_pages(output: Path) -> dict[str, str]:
    """Return the generated data pages of a build (not theme files or prose pages) and its OC4IDS packages, by
    relative path."""
    return {str(p.relative_to(output)): p.read_text(encoding="utf-8") for pattern in GOLDEN_FILES
            for p in sorted(output.rglob(pattern)) if p.relative_to(output).parts[0] not in ("theme", "pages")}


def project_settings() -> dict:
    """Return GONGSHI as pelicanconf.py sets it."""
    from pelican.settings import read_settings

    return dict(read_settings(str(ROOT / "pelicanconf.py"))["GONGSHI"])


def build_site(data: Path, output: Path, pelican: dict | None = None, **extra) -> subprocess.CompletedProcess:
    """Run a real Pelican build of the site with the county packages in `data` (pelicanconf's GONGSHI + extra;
    `pelican` overrides other Pelican settings, such as THEME)."""
    gongshi = {**project_settings(), "data_path": str(data), "schemas_path": str(ROOT / "schemas"),
               "keys_path": str(ROOT / "keys"), "today": BUILD_DAY, "index_links": False,
               # PDFs take about a second each: the tests that need them render them (tests/test_print.py).
               "pdf": False, **extra}
    return subprocess.run(
        [sys.executable, "-m", "pelican", str(ROOT / "content"), "-s", str(ROOT / "pelicanconf.py"),
         "-o", str(output), "-e", f"GONGSHI={json.dumps(gongshi)}",
         *(f"{key}={json.dumps(value)}" for key, value in (pelican or {}).items())],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
        # As in a CI log: not a terminal, and rich's default width of 80 columns.
        env={k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")},
    )


# The TV soak (tests/tv_soak.py) takes minutes of waiting and almost no CPU: when its test is to run, it starts as
# soon as the demo site is built and runs beside the other tests; tests/test_tv_soak.py waits for it and judges.
SOAK_SECONDS = 180
SOAK: dict = {}


def pytest_collection_modifyitems(session, config, items):
    SOAK["wanted"] = any(getattr(item.module, "__name__", "") == "test_tv_soak" for item in items)


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Path:
    """Build the shipped demo data once, as the public site would (signatures required); return the output."""
    output = tmp_path_factory.mktemp("demo-site")
    result = build_site(ROOT / "data", output, allow_unsigned=False)
    assert result.returncode == 0, result.stdout + result.stderr
    if SOAK.get("wanted"):
        SOAK["out"] = tmp_path_factory.mktemp("tv-soak") / "soak.json"
        SOAK["process"] = subprocess.Popen(
            [sys.executable, str(Path(__file__).parent / "tv_soak.py"), str(output), "--seconds", str(SOAK_SECONDS),
             "--out", str(SOAK["out"])], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    yield output
    if SOAK.get("process") and SOAK["process"].poll() is None:
        SOAK["process"].kill()


# Debian's Chromium, headless, with nothing fetched from elsewhere.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@contextlib.contextmanager
def served(folder: Path):
    """Serve a built site on a free local port, quietly; yield its address."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()


@pytest.fixture(scope="module")
def server(demo_site):
    """The demo site served over HTTP, as a phone or a TV reaches it."""
    with served(demo_site) as url:
        yield url
