"""Browser tests: the real server in a subprocess on a fresh demo database, driven by Chromium.

Uses Debian's Chromium through Playwright (a browser download of Playwright's own does not
work on our machines). Screenshots of failing tests are kept under test-artifacts/.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("FINSAM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    reason = None
    if os.environ.get("FINSAM_SKIP_E2E"):
        reason = "browser tests skipped: no Chromium (apt-get install -y chromium)"
    elif not Path(CHROMIUM).exists():
        reason = f"browser tests skipped: no Chromium at {CHROMIUM}"
    if reason:
        for item in items:
            if "e2e" in str(item.fspath):
                item.add_marker(pytest.mark.skip(reason=reason))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """`finsam demo` then `finsam serve` on a free port, in a data folder of its own."""
    data = tempfile.mkdtemp(prefix="finsam-e2e-")
    env = {
        **os.environ,
        "FINSAM_DATA_DIR": data,
        "FINSAM_DATABASE_URL": f"sqlite:///{data}/e2e.sqlite",
        "FINSAM_DB_POOL_SIZE": "10",
    }
    finsam = [sys.executable, "-m", "portfolio.shell.cli"]
    subprocess.run([*finsam, "demo"], env=env, check=True, capture_output=True)
    port = _free_port()
    log = open(Path(data) / "server.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [*finsam, "serve", "--port", str(port)], env=env, stdout=log, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise RuntimeError(
                "the server did not start: " + (Path(data) / "server.log").read_text()
            )
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture(scope="session")
def browser_instance() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser_instance: Any, server: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    # axe-core is laid into the page as an inline script, which our CSP forbids (rightly):
    # only the accessibility check runs with the CSP set aside.
    bypass = request.node.path.name == "test_accessibility.py"
    context = browser_instance.new_context(base_url=server, locale="sv-SE", bypass_csp=bypass)
    page = context.new_page()
    # Anything our Content-Security-Policy blocked is a page that does not work as written.
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert not refused, "the CSP refused: " + " | ".join(refused)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
