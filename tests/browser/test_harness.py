"""The browser checks themselves: they must be able to fail, or their passing means nothing."""

from urllib.parse import urlsplit

import pytest

from tests.browser.helpers import PageRecord, axe_violations, describe_violations

pytestmark = pytest.mark.browser


def test_axe_reports_a_control_without_a_label(page):
    page.goto("/about/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML("
        "'beforeend', '<input type=\"text\" id=\"nameless\">')"
    )

    violations = axe_violations(page)

    assert "label" in [violation["id"] for violation in violations]
    report = describe_violations(violations)
    assert "label (critical): Form elements must have labels" in report
    assert "#nameless" in report


def test_every_request_is_recorded_and_other_hosts_are_flagged(page, live_server):
    record = PageRecord(page)
    page.goto("/")
    host = urlsplit(live_server.url).netloc

    assert f"{live_server.url}/" in record.requests
    assert any(url.endswith("/site.css") for url in record.requests)
    assert record.problems(host) == []

    record.requests.append("https://tracker.example.com/pixel.gif")
    assert record.problems(host) == [
        "request to another host: https://tracker.example.com/pixel.gif"
    ]


def test_content_from_another_host_is_refused_and_reported(browser, live_server):
    # A context of its own: open_page's checks would (rightly) fail this test at teardown.
    context = browser.new_context(base_url=live_server.url)
    try:
        page = context.new_page()
        record = PageRecord(page)
        page.goto("/about/")
        with page.expect_console_message(timeout=5_000):
            page.evaluate(
                "document.querySelector('main').insertAdjacentHTML("
                "'beforeend', '<img alt=\"\" src=\"https://tracker.example.com/pixel.gif\">')"
            )

        problems = record.problems(urlsplit(live_server.url).netloc)
    finally:
        context.close()

    # The attempt is reported even though the content security policy stops it.
    assert problems[0] == "request to another host: https://tracker.example.com/pixel.gif"
    assert problems[1].startswith("CSP violation: ")
    assert "tracker.example.com" in problems[1]
    assert len(problems) == 2
