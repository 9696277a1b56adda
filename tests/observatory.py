"""The Mozilla HTTP Observatory's scoring, applied to the site's answers in tests.

Sources: MDN's "HTTP Observatory: Tests & Scoring"
(https://developer.mozilla.org/en-US/observatory/docs/tests_and_scoring) and the scanner's
code, github.com/mdn/mdn-http-observatory: the modifiers in ``src/grader/charts.js``
(``SCORE_TABLE``; the Cross-Origin-Resource-Policy ones are taken from there, the newest
rules), each test in ``src/analyzer/tests/``.

A score starts at 100. Every test gives one result; the penalties (negative modifiers) are
taken first, and only if the score is still 90 (an A) or more are the bonuses added.

Left out, as they need the live site on the internet: the HSTS preload list ("hsts-preloaded",
+5: this site is on no such list) and certificate checks. Like the scanner, this looks at
one page and its redirect from plain HTTP.
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit

MODIFIERS = {
    # Content Security Policy
    "csp-implemented-with-no-unsafe-default-src-none": 10,
    "csp-implemented-with-no-unsafe": 5,
    "csp-implemented-with-unsafe-inline-in-style-src-only": 0,
    "csp-implemented-with-insecure-scheme-in-passive-content-only": -10,
    "csp-implemented-with-unsafe-eval": -10,
    "csp-implemented-with-unsafe-inline": -20,
    "csp-implemented-with-insecure-scheme": -20,
    "csp-header-invalid": -25,
    "csp-not-implemented": -25,
    # Cookies
    "cookies-secure-with-httponly-sessions-and-samesite": 5,
    "cookies-not-found": 0,
    "cookies-secure-with-httponly-sessions": 0,
    "cookies-without-secure-flag-but-protected-by-hsts": -5,
    "cookies-session-without-secure-flag-but-protected-by-hsts": -10,
    "cookies-without-secure-flag": -20,
    "cookies-samesite-flag-invalid": -20,
    "cookies-anticsrf-without-samesite-flag": -20,
    "cookies-session-without-httponly-flag": -30,
    "cookies-session-without-secure-flag": -40,
    # Cross-origin resource sharing
    "cross-origin-resource-sharing-not-implemented": 0,
    "cross-origin-resource-sharing-implemented-with-public-access": 0,
    "cross-origin-resource-sharing-implemented-with-restricted-access": 0,
    "cross-origin-resource-sharing-implemented-with-universal-access": -50,
    # Redirection from plain HTTP
    "redirection-to-https": 0,
    "redirection-off-host-from-http": -5,
    "redirection-not-to-https-on-initial-redirection": -10,
    "redirection-missing": -20,
    "redirection-not-to-https": -20,
    # Referrer-Policy
    "referrer-policy-private": 5,
    "referrer-policy-not-implemented": 0,
    "referrer-policy-unsafe": -5,
    "referrer-policy-header-invalid": -5,
    # Strict-Transport-Security
    "hsts-preloaded": 5,
    "hsts-implemented-max-age-at-least-six-months": 0,
    "hsts-implemented-max-age-less-than-six-months": -10,
    "hsts-not-implemented": -20,
    "hsts-header-invalid": -20,
    # Subresource Integrity
    "sri-implemented-and-all-scripts-loaded-securely": 5,
    "sri-implemented-and-external-scripts-loaded-securely": 5,
    "sri-not-implemented-response-not-html": 0,
    "sri-not-implemented-but-no-scripts-loaded": 0,
    "sri-not-implemented-but-all-scripts-loaded-from-secure-origin": 0,
    "sri-not-implemented-but-external-scripts-loaded-securely": -5,
    "sri-implemented-but-external-scripts-not-loaded-securely": -20,
    "sri-not-implemented-and-external-scripts-not-loaded-securely": -50,
    # X-Content-Type-Options
    "x-content-type-options-nosniff": 0,
    "x-content-type-options-not-implemented": -5,
    "x-content-type-options-header-invalid": -5,
    # X-Frame-Options
    "x-frame-options-implemented-via-csp": 5,
    "x-frame-options-sameorigin-or-deny": 0,
    "x-frame-options-allow-from-origin": 0,
    "x-frame-options-not-implemented": -20,
    "x-frame-options-header-invalid": -20,
    # Cross-Origin-Resource-Policy
    "corp-implemented-with-same-origin": 10,
    "corp-implemented-with-same-site": 10,
    "corp-implemented-with-cross-origin": 0,
    "corp-not-implemented": 0,
    "corp-header-invalid": -5,
}

# The origin the scanner sends to see what CORS allows.
OBSERVATORY_ORIGIN = "https://http-observatory.security.mozilla.org"
SIX_MONTHS = 15768000
BROAD_SOURCES = {
    "*",
    "http:",
    "https:",
    "ftp:",
    "http://*",
    "http://*.*",
    "https://*",
    "https://*.*",
}
INLINE_SOURCES = {"'unsafe-inline'", "data:"}
PASSIVE_DIRECTIVES = {"img-src", "media-src"}


def parse_csp(header):
    """{directive: {sources}}; None if the header cannot be read."""
    policy = {}
    for directive in header.split(";"):
        words = directive.strip().lower().split()
        if not words:
            continue
        name, *sources = words
        if name in policy:  # a repeated directive is ignored by browsers, and flagged
            return None
        policy[name] = set(sources)
    return policy or None


def content_security_policy(response):
    header = response.headers.get("Content-Security-Policy")
    if not header:
        return "csp-not-implemented"
    policy = parse_csp(header)
    if policy is None:
        return "csp-header-invalid"
    default = policy.get("default-src")
    script = policy.get("script-src") or default or {"*"}
    objects = policy.get("object-src") or default or {"*"}
    style = policy.get("style-src") or default or {"*"}
    active = [
        src for name, srcs in policy.items() if name not in PASSIVE_DIRECTIVES for src in srcs
    ]
    passive = [src for name in PASSIVE_DIRECTIVES for src in policy.get(name) or default or ()]
    if script & (BROAD_SOURCES | INLINE_SOURCES) or objects & BROAD_SOURCES:
        return "csp-implemented-with-unsafe-inline"
    if any(src.startswith(("http:", "ftp:")) for src in active):
        return "csp-implemented-with-insecure-scheme"
    if "'unsafe-eval'" in script | style:
        return "csp-implemented-with-unsafe-eval"
    if any(src.startswith(("http:", "ftp:")) for src in passive):
        return "csp-implemented-with-insecure-scheme-in-passive-content-only"
    if style & (BROAD_SOURCES | INLINE_SOURCES):
        return "csp-implemented-with-unsafe-inline-in-style-src-only"
    if default == {"'none'"}:
        return "csp-implemented-with-no-unsafe-default-src-none"
    return "csp-implemented-with-no-unsafe"


def cookies(responses, hsts_result):
    """Every cookie the scan was given; the worst finding wins."""
    protected_by_hsts = hsts_result in {
        "hsts-preloaded",
        "hsts-implemented-max-age-at-least-six-months",
    }
    found = [morsel for response in responses for morsel in response.cookies.values()]
    if not found:
        return "cookies-not-found"
    problems = set()
    for morsel in found:
        name = morsel.key.lower()
        session = "login" in name or "sess" in name
        samesite = morsel["samesite"].lower()
        if samesite and samesite not in {"strict", "lax", "none"}:
            problems.add("cookies-samesite-flag-invalid")
        if samesite == "none" and not morsel["secure"]:
            problems.add("cookies-samesite-flag-invalid")
        if not morsel["secure"]:
            problems.add(
                (
                    "cookies-session-without-secure-flag"
                    if session
                    else "cookies-without-secure-flag"
                )
                + ("-but-protected-by-hsts" if protected_by_hsts else "")
            )
        if "csrf" in name and not samesite:
            problems.add("cookies-anticsrf-without-samesite-flag")
        if session and not morsel["httponly"]:
            problems.add("cookies-session-without-httponly-flag")
    if problems:
        return min(problems, key=MODIFIERS.__getitem__)
    if all(morsel["samesite"] for morsel in found):
        return "cookies-secure-with-httponly-sessions-and-samesite"
    return "cookies-secure-with-httponly-sessions"


def cross_origin_resource_sharing(response):
    allowed = response.headers.get("Access-Control-Allow-Origin", "").strip()
    credentials = response.headers.get("Access-Control-Allow-Credentials", "").lower() == "true"
    if not allowed:
        return "cross-origin-resource-sharing-not-implemented"
    if allowed == "*":
        return "cross-origin-resource-sharing-implemented-with-public-access"
    if allowed == OBSERVATORY_ORIGIN and credentials:
        return "cross-origin-resource-sharing-implemented-with-universal-access"
    return "cross-origin-resource-sharing-implemented-with-restricted-access"


def redirection(plain_http_response, host):
    if plain_http_response.status_code not in {301, 302, 303, 307, 308}:
        return "redirection-missing"
    location = urlsplit(plain_http_response.headers["Location"])
    if location.scheme != "https":
        return "redirection-not-to-https"
    if location.hostname != host:
        return "redirection-off-host-from-http"
    return "redirection-to-https"


PRIVATE_REFERRER = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}
UNSAFE_REFERRER = {"origin", "origin-when-cross-origin", "unsafe-url", "no-referrer-when-downgrade"}


def referrer_policy(response):
    header = response.headers.get("Referrer-Policy")
    if header is None:
        return "referrer-policy-not-implemented"
    # Browsers use the last value they know.
    known = [
        word
        for word in (part.strip().lower() for part in header.split(","))
        if word in PRIVATE_REFERRER | UNSAFE_REFERRER
    ]
    if not known:
        return "referrer-policy-header-invalid"
    return "referrer-policy-private" if known[-1] in PRIVATE_REFERRER else "referrer-policy-unsafe"


def strict_transport_security(response):
    header = response.headers.get("Strict-Transport-Security")
    if header is None:
        return "hsts-not-implemented"
    directives = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        directives[name.lower()] = value.strip('"')
    if not directives.get("max-age", "").isdigit():
        return "hsts-header-invalid"
    if int(directives["max-age"]) >= SIX_MONTHS:
        return "hsts-implemented-max-age-at-least-six-months"
    return "hsts-implemented-max-age-less-than-six-months"


class ScriptTags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and attributes.get("src"):
            self.scripts.append(attributes)


def subresource_integrity(response, host):
    if "text/html" not in response.headers.get("Content-Type", ""):
        return "sri-not-implemented-response-not-html"
    parser = ScriptTags()
    parser.feed(response.content.decode())
    if not parser.scripts:
        return "sri-not-implemented-but-no-scripts-loaded"
    with_integrity = all(script.get("integrity") for script in parser.scripts)
    external = []
    for script in parser.scripts:
        url = urlsplit(script["src"])
        if url.netloc and url.hostname != host:
            external.append(url)
    # A protocol-relative //host/x.js counts as not secure, as in the scanner.
    external_secure = all(url.scheme == "https" for url in external)
    if with_integrity:
        if not external:
            return "sri-implemented-and-all-scripts-loaded-securely"
        if external_secure:
            return "sri-implemented-and-external-scripts-loaded-securely"
        return "sri-implemented-but-external-scripts-not-loaded-securely"
    if not external:
        return "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"
    if external_secure:
        return "sri-not-implemented-but-external-scripts-loaded-securely"
    return "sri-not-implemented-and-external-scripts-not-loaded-securely"


def x_content_type_options(response):
    header = response.headers.get("X-Content-Type-Options")
    if header is None:
        return "x-content-type-options-not-implemented"
    if header.strip().lower() == "nosniff":
        return "x-content-type-options-nosniff"
    return "x-content-type-options-header-invalid"


def x_frame_options(response):
    policy = parse_csp(response.headers.get("Content-Security-Policy", "")) or {}
    ancestors = policy.get("frame-ancestors")
    if ancestors and not ancestors & BROAD_SOURCES:
        return "x-frame-options-implemented-via-csp"
    header = response.headers.get("X-Frame-Options")
    if header is None:
        return "x-frame-options-not-implemented"
    value = header.strip().lower()
    if value in {"deny", "sameorigin"}:
        return "x-frame-options-sameorigin-or-deny"
    if value.startswith("allow-from "):
        return "x-frame-options-allow-from-origin"
    return "x-frame-options-header-invalid"


def cross_origin_resource_policy(response):
    header = response.headers.get("Cross-Origin-Resource-Policy")
    if header is None:
        return "corp-not-implemented"
    value = header.strip().lower()
    if value in {"same-origin", "same-site", "cross-origin"}:
        return f"corp-implemented-with-{value}"
    return "corp-header-invalid"


def observatory_score(client, path, *, host):
    """Scan ``path`` on ``host`` with Django's test client: (score, {test: result})."""
    page = client.get(path, secure=True, headers={"host": host})
    plain_http = client.get(path, headers={"host": host})
    with_origin = client.get(
        path, secure=True, headers={"host": host, "origin": OBSERVATORY_ORIGIN}
    )
    assert page.status_code == 200, page

    hsts = strict_transport_security(page)
    results = {
        "content-security-policy": content_security_policy(page),
        "cookies": cookies([plain_http, page], hsts),
        "cross-origin-resource-sharing": cross_origin_resource_sharing(with_origin),
        "redirection": redirection(plain_http, host),
        "referrer-policy": referrer_policy(page),
        "strict-transport-security": hsts,
        "subresource-integrity": subresource_integrity(page, host),
        "x-content-type-options": x_content_type_options(page),
        "x-frame-options": x_frame_options(page),
        "cross-origin-resource-policy": cross_origin_resource_policy(page),
    }
    modifiers = [MODIFIERS[result] for result in results.values()]
    score = 100 + sum(modifier for modifier in modifiers if modifier < 0)
    if score >= 90:
        score += sum(modifier for modifier in modifiers if modifier > 0)
    return max(score, 0), results
