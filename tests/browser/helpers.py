"""What the browser tests share: the page recorder, axe-core runs and URL reading."""

from urllib.parse import parse_qs, urlsplit

from axe_playwright_python.sync_playwright import Axe

# A phone-sized browser context, for open_page(**PHONE).
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}

# URL schemes that never reach the network.
LOCAL_SCHEMES = {"data", "blob", "about"}

# WCAG 2.2 level AA, plus axe's best practices (landmarks, one h1, heading order …).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]

_axe = Axe()


class PageRecord:
    """What one page did on the network and in its console, for the checks after the test."""

    def __init__(self, page):
        self.page = page
        self.requests = []
        self.errors = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("pageerror", lambda error: self.errors.append(f"uncaught error: {error}"))
        page.on("console", self.on_console)

    def on_console(self, message):
        if "Content Security Policy" in message.text:
            self.errors.append(f"CSP violation: {message.text}")

    def problems(self, host):
        found = [
            f"request to another host: {url}"
            for url in self.requests
            if urlsplit(url).scheme not in LOCAL_SCHEMES and urlsplit(url).netloc != host
        ]
        return found + self.errors


def axe_violations(page, tags=AXE_TAGS):
    """The axe-core violations on the page as it is now, limited to rules with these tags."""
    options = {"runOnly": {"type": "tag", "values": tags}, "resultTypes": ["violations"]}
    return _axe.run(page, options=options).response["violations"]


def describe_violations(violations):
    """One readable paragraph per violated rule: id, impact, help, and each element."""
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']}"
            f"\n  {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"  - {target}\n    {node['html']}\n    {node.get('failureSummary', '')}")
    return "\n".join(lines)


def assert_no_axe_violations(page):
    violations = axe_violations(page)
    assert not violations, (
        f"axe-core found {len(violations)} violated rule(s) on {page.url}:\n"
        + describe_violations(violations)
    )


def query_of(url):
    """The query string of ``url`` as {name: [values]}."""
    return parse_qs(urlsplit(url).query)
