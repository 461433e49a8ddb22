"""End-to-end tests: Debian's chromium driven by Playwright against a live test server.

Never downloads a browser: without /usr/bin/chromium these tests are skipped with a reason
(.ci/run installs chromium first, so in CI they run). A failing test leaves a screenshot and
the page's HTML in test-artifacts/.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from projects.demo import DEMO_PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
BROWSER_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(items):
    if not Path(CHROMIUM).exists():
        skip = pytest.mark.skip(
            reason="Debian's chromium ontbreekt (apt-get install chromium); .ci/run installeert het"
        )
        for item in items:
            if "e2e" in str(item.fspath):
                item.add_marker(skip)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        page = item.funcargs.get("page")
        if page is not None:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"{item.name}.png"), full_page=True)
            (ARTIFACTS / f"{item.name}.html").write_text(page.content(), encoding="utf-8")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread, which makes Django refuse ORM
    # calls here (TECHNOTES). Allowed only while the browser tests run, never elsewhere:
    # `check --deploy` rightly fails when this variable is set.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_FLAGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def demo_live_server(live_server):
    # live_server tests are transactional: the database is emptied after each one, so the
    # demo deal is loaded again for every journey.
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return live_server


def _open_page(browser, base_url: str, *, bypass_csp: bool):
    context = browser.new_context(base_url=base_url, accept_downloads=True, bypass_csp=bypass_csp, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


@pytest.fixture
def page(browser, demo_live_server):
    # The portal's pages run under the real Content-Security-Policy: a script the CSP blocks
    # breaks the journey here exactly as it would for a user.
    context, page = _open_page(browser, demo_live_server.url, bypass_csp=False)
    yield page
    context.close()


@pytest.fixture
def axe_page(browser, demo_live_server):
    # Only the accessibility scan bypasses the CSP: axe-core is injected as a script tag.
    context, page = _open_page(browser, demo_live_server.url, bypass_csp=True)
    yield page
    context.close()


def _login_on(page):
    def do_login(username: str):
        page.context.clear_cookies()
        page.goto("/inloggen/")
        page.get_by_label("Gebruikersnaam").fill(username)
        page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_url("**/")
        return page

    return do_login


@pytest.fixture
def login(page):
    return _login_on(page)


@pytest.fixture
def axe_login(axe_page):
    return _login_on(axe_page)
