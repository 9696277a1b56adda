"""Benchmark: import a synthetic 10,000-meeting Meeting Guide feed: new, unchanged, changed.

Run from the project root against any migrated database (``manage.py migrate``),
PostgreSQL for the figure that counts (target: first import under 10 s):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/recovery DEBUG=true \\
        .venv/bin/python bench/import_meeting_guide.py [--meetings 10000]

Everything runs inside one transaction that is rolled back at the end, so the database is
left as it was. The feed is deterministic (seeded) and invented: eight cities in four time
zones, about five meetings per group, a fifth online-only and a tenth hybrid, some places
published only to the town.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "recovery_site.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402

from exchange.meeting_guide.importer import import_feed  # noqa: E402
from groups.models import Meeting, Place, SupportGroup  # noqa: E402
from resources.models import Term  # noqa: E402
from resources.vocabularies import Vocabulary  # noqa: E402

CITIES = [
    ("Chicago", "IL", "60614", 41.92, -87.64, "America/Chicago"),
    ("Evanston", "IL", "60201", 42.05, -87.69, "America/Chicago"),
    ("Denver", "CO", "80202", 39.75, -104.99, "America/Denver"),
    ("Boulder", "CO", "80302", 40.02, -105.27, "America/Denver"),
    ("Portland", "OR", "97205", 45.52, -122.68, "America/Los_Angeles"),
    ("Eugene", "OR", "97401", 44.05, -123.09, "America/Los_Angeles"),
    ("Boston", "MA", "02108", 42.36, -71.06, "America/New_York"),
    ("Worcester", "MA", "01608", 42.26, -71.80, "America/New_York"),
]
WORDS = ["Serenity", "Hope", "Daybreak", "Lakeside", "Keep It Simple", "Courage", "Harbor"]
NAMES = ["Beginners", "Big Book", "Step Study", "Speaker", "Discussion", "Lunch Bunch"]


def synthetic_feed(count, codes, seed=2026):
    rng = random.Random(seed)
    codes = sorted(codes)
    rows = []
    for number in range(count):
        group_number = number // 5
        city, state, zip_code, lat, lng, zone = CITIES[group_number % len(CITIES)]
        group_rng = random.Random(seed + group_number)
        row = {
            "name": f"{rng.choice(WORDS)} {rng.choice(NAMES)}",
            "slug": f"bench-{number:05d}",
            "day": rng.randrange(7),
            "time": f"{rng.randrange(6, 22):02d}:{rng.choice(['00', '15', '30']):s}",
            "timezone": zone,
            "types": rng.sample(codes, rng.randrange(1, 5)),
            "group": f"{group_rng.choice(WORDS)} Group {group_number}",
            "notes": "Invented for the benchmark.",
        }
        row["end_time"] = f"{int(row['time'][:2]) + 1:02d}:{row['time'][3:]}"
        kind = rng.random()
        if kind >= 0.2:  # somewhere: one place per group
            row.update(
                location=f"Hall {group_number}",
                address=f"{100 + group_number} Example St",
                city=city,
                state=state,
                postal_code=zip_code,
                latitude=round(lat + group_rng.uniform(-0.1, 0.1), 6),
                longitude=round(lng + group_rng.uniform(-0.1, 0.1), 6),
                approximate="yes" if group_number % 17 == 0 else "no",
            )
        if kind < 0.3:  # online, or hybrid
            row["conference_url"] = f"https://zoom.example.org/j/{number}"
            row["conference_url_notes"] = "Passcode in the group's email."
        rows.append(row)
    return rows


def timed(feed, label):
    start = time.perf_counter()
    report = import_feed(feed, fellowship="AA", source="Meeting Guide benchmark")
    seconds = time.perf_counter() - start
    print(f"{label}: {seconds:.2f} s — {report.lines()[0]} {report.lines()[1]}")
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--meetings", type=int, default=10_000)
    args = parser.parse_args()
    codes = Term.objects.filter(vocabulary=Vocabulary.MEETING_TYPE).values_list("code", flat=True)
    feed = synthetic_feed(args.meetings, codes)
    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"Feed: {len(feed)} meetings, {len({row['group'] for row in feed})} groups")
    with transaction.atomic():
        first = timed(feed, "First import")
        second = timed(feed, "Second import (same feed)")
        changed = [
            {**row, "time": "21:45", "end_time": "22:45"} if number % 10 == 0 else row
            for number, row in enumerate(feed)
            if number % 20 != 1
        ]
        timed(changed, "Third import (1 in 10 moved, 1 in 20 gone)")
        assert Meeting.objects.filter(slug__startswith="bench-").count() == args.meetings
        assert Meeting.objects.filter(slug__startswith="bench-").active().count() == len(changed)
        # Every import writes history in bulk; the figures above include it.
        written = {
            model.__name__: model.history.count() for model in (Meeting, SupportGroup, Place)
        }
        print("History rows written:", ", ".join(f"{n} {name}" for name, n in written.items()))
        transaction.set_rollback(True)
    print("Rolled back: the database is as it was.")
    if first > 10:
        print("Slower than the 10 s target.")
    return first, second


if __name__ == "__main__":
    main()
