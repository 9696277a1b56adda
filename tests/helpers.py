"""What several test modules share: reading pages, the invented directory the search tests
search, an unreachable cache, what an admin change page and the suggest form post, and
running ``manage.py`` as a deployment would.

Test modules import these from here, never from each other.
"""

import os
import re
import subprocess
import sys
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from resources.models import Listing, ListingStatus
from resources.vocabularies import Vocabulary
from tests import factories

PROJECT_DIR = Path(__file__).resolve().parent.parent

# Reading pages ---------------------------------------------------------------------------


def text_of(html):
    """The page's text with tags removed and whitespace collapsed, for phrase checks."""
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    return unescape(re.sub(r" ([),.;:])", r"\1", text))


def problems(html):
    """The text of the search problems' summary ("There is a problem with this search…")."""
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.DOTALL)
    return text_of(summary[0]) if summary else ""


def link_query(html, text):
    """The query string of the link with this text, as {name: [values]}."""
    href = re.search(rf'<a href="([^"]*)">{re.escape(text)}</a>', html)[1]
    return parse_qs(urlsplit(unescape(href)).query)


def written_date(day):
    """A date as the pages write it: "October 1, 2026"."""
    return f"{day:%B} {day.day}, {day.year}"


def card_count(html, card_id):
    match = re.search(rf'id="{card_id}".*?<strong>([\d,]+)</strong>', html, re.DOTALL)
    return int(match.group(1).replace(",", ""))


class ResourceParser(HTMLParser):
    """Collects every URL the browser would fetch on its own (not links people follow)."""

    FETCHED = {
        "script": ["src"],
        "link": ["href"],
        "img": ["src", "srcset"],
        "source": ["src", "srcset"],
        "iframe": ["src"],
        "video": ["src", "poster"],
        "audio": ["src"],
        "embed": ["src"],
        "object": ["data"],
        "input": ["src"],
    }

    def __init__(self):
        super().__init__()
        self.urls = []
        self.scripts = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts.append(attrs)
        if tag == "link" and "alternate" in (attrs.get("rel") or "").split():
            return  # the page in another language or format: a link, never fetched by itself
        for name in self.FETCHED.get(tag, []):
            if attrs.get(name):
                self.urls.append(attrs[name])
        if "style" in attrs:
            self.urls += re.findall(r"url\(([^)]*)\)", attrs["style"])


# The invented directory the search tests search ----------------------------------------


def build_directory():
    """About 25 invented listings in and around Chicago, by name.

    The data set of test_search.py, test_search_postgres.py and test_fuzz_public.py,
    built with the shared factories.
    """
    f = factories
    V = Vocabulary
    listings = [
        # Clinicians.
        f.make_clinician(
            name="Dr. Amara Okafor",
            role="addiction_medicine",
            credentials="MD",
            summary="Office-based addiction medicine for adults.",
            offers_online=True,
            terms={V.MEDICATION: ["buprenorphine", "naltrexone"], V.LANGUAGE: ["en"]},
        ),
        f.make_clinician(
            name="Lucía Herrera, LCSW",
            role="therapist",
            summary="Bilingual counseling for adults and couples.",
            terms={V.LANGUAGE: ["es", "en"], V.THERAPY_APPROACH: ["cbt"]},
        ),
        f.make_clinician(
            name="Tom Becker, LCPC",
            role="therapist",
            summary="Individual sessions for people cutting down on drinking.",
            terms={V.LANGUAGE: ["en"], V.THERAPY_APPROACH: ["family-therapy"]},
        ),
        f.make_clinician(
            name="Dr. Raúl Méndez",
            role="psychiatrist",
            summary="Medication management for co-occurring depression and anxiety.",
            terms={V.LANGUAGE: ["es"]},
        ),
        f.make_clinician(
            name="Dr. Helen Park",
            role="addiction_medicine",
            summary="Alcohol use disorder care in primary care.",
            terms={V.MEDICATION: ["naltrexone", "disulfiram"]},
        ),
        # Treatment programs.
        f.make_treatment_program(
            name="Lakeshore Recovery Center",
            summary="Thirty-day program with a family week.",
            terms={V.LEVEL_OF_CARE: ["residential", "detox"]},
        ),
        f.make_treatment_program(
            name="Prairie House",
            summary="Long-term care in a farmhouse west of the city.",
            terms={V.LEVEL_OF_CARE: ["residential"], V.POPULATION: ["men"]},
        ),
        f.make_treatment_program(
            name="Halsted Medication Clinic",
            summary="Daily dosing and counseling.",
            is_opioid_treatment_program=True,
            terms={V.MEDICATION: ["methadone", "buprenorphine"]},
        ),
        f.make_treatment_program(
            name="Harbor Outpatient Services",
            summary="Evening groups for working people.",
            description=(
                "Partial scholarships are available. We coordinate care after any "
                "hospitalization and refer to other programs when needed."
            ),
            terms={
                V.LEVEL_OF_CARE: ["outpatient", "intensive-outpatient"],
                V.THERAPY_APPROACH: ["group-therapy"],
                V.POPULATION: ["families"],
            },
        ),
        f.make_treatment_program(
            name="Evanston Withdrawal Clinic",
            summary="Medically supervised, three to seven days.",
            city="Evanston",
            postal_code="60201",
            terms={V.LEVEL_OF_CARE: ["detox"]},
        ),
        f.make_treatment_program(
            name="Bridgeview Day Program",
            summary="Six hours a day, home at night.",
            terms={V.LEVEL_OF_CARE: ["partial-hospitalization"]},
        ),
        # Sober living homes.
        f.make_sober_living_home(
            name="Addison Street House",
            summary="Twelve beds, house meetings on Sundays.",
            serves="men",
        ),
        f.make_sober_living_home(
            name="Hope Cottage",
            summary="A quiet home two blocks from the lakeshore.",
            serves="women",
            allows_medication=True,
        ),
        # Helplines.
        f.make_helpline(
            name="Illinois Opioid and Substance Helpline",
            summary="Free, confidential, every hour of every day.",
            scope="state",
            region="IL",
            open_24_7=True,
        ),
        f.make_helpline(
            name="Overdose Kit Finder",
            summary="Where to get free Narcan near you.",
            helpline_type="website",
            offers_phone=False,
            offers_online=True,
        ),
        # Community resources.
        f.make_community_resource(
            name="Second Chance Jobs",
            summary="Job training for people in recovery.",
            resource_type="vocational",
        ),
        f.make_community_resource(
            name="Naperville National Wellness Studio",
            summary="Yoga and meditation, narrated classes for beginners.",
            resource_type="wellness",
            city="Naperville",
        ),
        f.make_community_resource(
            name="Family Circle",
            summary="Support for families, with a parents' evening.",
            resource_type="family_support",
            description="Members often also attend Al-Anon meetings nearby.",
        ),
        # Support groups.
        f.make_support_group(
            name="Lincoln Park Sunrise Group",
            summary="Early morning discussion meeting.",
            fellowship=f.fellowship("AA"),
        ),
        f.make_support_group(
            name="Clean and Free Tuesday Group",
            summary="Basic Text study, newcomers welcome.",
            fellowship=f.fellowship("NA"),
        ),
        f.make_support_group(
            name="Serenity Circle",
            summary="For anyone who loves someone who drinks.",
            fellowship=f.fellowship("Al-Anon"),
        ),
        f.make_support_group(
            name="Parents Together",
            summary="For parents of children who use drugs.",
            fellowship=f.fellowship("Nar-Anon"),
        ),
        f.make_support_group(
            name="Grupo Esperanza",
            summary="Reunión en español los sábados.",
            fellowship=f.fellowship("AA"),
            terms={V.LANGUAGE: ["es"]},
        ),
        f.make_support_group(
            name="Boystown Tuesday Night",
            summary="A meeting for people recovering from crystal.",
            fellowship=f.fellowship("CMA"),
            terms={V.POPULATION: ["lgbtq"]},
        ),
        f.make_support_group(
            name="Northside SMART Recovery",
            summary="Tools for changing addictive behaviour.",
            fellowship=f.fellowship("SMART"),
        ),
        # Not published: never in public results.
        f.make_clinician(
            name="Dr. Draft Suboxone",
            status=ListingStatus.DRAFT,
            terms={V.MEDICATION: ["buprenorphine"]},
        ),
    ]
    return {listing.name: listing for listing in listings}


def found(text, queryset=None):
    """Names of published listings matching ``text``, best first."""
    queryset = Listing.objects.published() if queryset is None else queryset
    return list(queryset.search(text).order_by("-rank", "name").values_list("name", flat=True))


# The cache --------------------------------------------------------------------------------

UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        # Port 1 is never a Redis: the connection is refused at once.
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}


# The admin --------------------------------------------------------------------------------


def form_values(form):
    """What an admin form would post back untouched."""
    data = {}
    for bound in form:
        value = bound.value()
        if isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, (list, tuple)):
            data[bound.html_name] = [str(item) for item in value]
        elif value is not None:
            data[bound.html_name] = str(value)
    return data


def change_page_data(response):
    """The change page's form and inline formsets, as the browser would post them."""
    data = form_values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        data.update(form_values(inline.formset.management_form))
        for form in inline.formset.forms:
            data.update(form_values(form))
    return data


def suggestion_data(**overrides):
    """What the suggest form posts for a suggestion it accepts, with ``overrides``."""
    data = {
        "listing_kind": "treatment_program",
        "fellowship": "",
        "name": "Lakeside Recovery Clinic",
        "phone": "312-555-0142",
        "website": "https://lakeside.example.org/",
        "email": "intake@lakeside.example.org",
        "address_line1": "100 N Lake St",
        "city": "Chicago",
        "region": "il",
        "postal_code": "60601",
        "offers": "Outpatient treatment and buprenorphine.",
        "details": "I was a patient there in 2025.",
        "contact_email": "me@example.net",
        "homepage": "",
    }
    data.update(overrides)
    return data


# Starting the project ---------------------------------------------------------------------


def run_manage_check(**environment):
    """Start the project for real with the given environment, as a deployment would."""
    return run_manage("check", **environment)


def run_manage(*args, **environment):
    """``manage.py`` with only the given settings, as in a shell where nothing else is set."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "TIME_ZONE", "ALLOWED_HOSTS"}
    }
    env.update(environment)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
