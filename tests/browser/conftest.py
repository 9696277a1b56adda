"""Browser tests: real Chromium driven by Playwright against pytest-django's ``live_server``.

One Chromium is shared by every browser test of a run; each test gets fresh browser contexts
(no cookies, no cache) from ``open_page``. When a test ends, every page it opened is checked
for the site's privacy promises: no request left the live server's host, no cookie was set,
no script error and no content security policy violation happened.

Chromium is Debian's ``/usr/bin/chromium`` (``CHROMIUM_PATH`` overrides it). With ``CI`` set
a missing browser fails the run; elsewhere it skips the browser tests with the reason.
"""

import os
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from tests.browser.helpers import PHONE, PageRecord

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Fail fast: a page of this site that takes longer than this to react is itself a bug.
TIMEOUT_MS = 5_000


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives real Chromium through Playwright")


def in_ci():
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes", "on"}


class Chromium:
    """One Playwright driver and one Chromium, started on first use and stopped on demand."""

    def __init__(self, path):
        self.path = path
        self.playwright = None
        self.browser = None
        self.env = pytest.MonkeyPatch()

    def launch(self):
        if self.browser is not None:
            return self.browser
        if not os.access(self.path, os.X_OK):
            reason = (
                f"Chromium not found at {self.path}: install Debian's chromium package "
                "(apt-get install chromium) or set CHROMIUM_PATH to a Chromium binary."
            )
            if in_ci():
                pytest.fail(f"CI needs a browser for the browser tests. {reason}", pytrace=False)
            pytest.skip(reason)
        # Playwright's sync API keeps an asyncio event loop marked as running in this thread
        # while the driver is up, so Django refuses ORM calls here (SynchronousOnlyOperation).
        # Allowing them is safe: the ORM still runs synchronously in the test thread, and the
        # loop only carries Playwright's messages to its driver, never Django code.
        self.env.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        try:
            self.playwright = sync_playwright().start()
            self.browser = self.playwright.chromium.launch(
                executable_path=self.path, headless=True, args=CHROMIUM_ARGS
            )
        except PlaywrightError as error:
            self.close()
            pytest.fail(f"Chromium at {self.path} did not start: {error}", pytrace=False)
        return self.browser

    def close(self):
        if self.browser is not None:
            self.browser.close()
            self.browser = None
        if self.playwright is not None:
            self.playwright.stop()
            self.playwright = None
        self.env.undo()


_chromium = Chromium(CHROMIUM_PATH)


@pytest.fixture(scope="session")
def chromium():
    """The shared browser manager; the browser itself starts with the first test that needs it."""
    yield _chromium
    _chromium.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    # Stop Chromium (and Playwright's event loop) as soon as the last browser test in a row has
    # torn down, so tests collected after this folder run without a loop in their thread.
    result = yield
    if nextitem is None or nextitem.get_closest_marker("browser") is None:
        _chromium.close()
    return result


@pytest.fixture
def browser(chromium):
    return chromium.launch()


@pytest.fixture
def open_page(browser, live_server):
    """Open a page in a new browser context: ``open_page(java_script_enabled=False, **PHONE)``.

    Relative URLs go to the live server: ``page.goto("/about/")``.
    """
    host = urlsplit(live_server.url).netloc
    records = []

    def open_page(**context_options):
        context = browser.new_context(base_url=live_server.url, **context_options)
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        records.append(PageRecord(page))
        return page

    yield open_page

    problems = []
    for record in records:
        context = record.page.context
        problems += record.problems(host)
        problems += [f"cookie set: {cookie['name']}" for cookie in context.cookies()]
        context.close()
    assert not problems, "The browser saw:\n" + "\n".join(problems)


@pytest.fixture
def page(open_page, request):
    """A desktop-sized page with JavaScript on, unless parametrised indirectly with context
    options: ``@pytest.mark.parametrize("page", [{"java_script_enabled": False}], indirect=True)``.
    """
    return open_page(**getattr(request, "param", {}))


@pytest.fixture
def page_without_js(open_page):
    """A desktop-sized page with JavaScript off: what the plain HTML alone must do."""
    return open_page(java_script_enabled=False)


@pytest.fixture
def phone_page(open_page):
    """A phone-sized page (390×844, touch) with JavaScript on."""
    return open_page(**PHONE)
