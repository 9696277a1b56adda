"""The benchmark suite: ``make bench``, or ``.venv/bin/python bench/run.py [options]``.

1. Creates the PostgreSQL database ``BENCH_DATABASE_URL`` if missing, migrates it, and fills
   it with ``generate_demo`` unless it already holds that many generated listings and
   meetings (then the data is reused).
2. In this process, with the production settings: SQL queries per request for each
   scenario, the database time of every query the search scenarios run (EXPLAIN ANALYZE,
   repeated), and the time of admin changelists for a logged-in curator.
3. Starts gunicorn with ``gunicorn.conf.py`` and ``DEBUG=false``, warms it up, and drives each
   scenario with wrk at 8 connections: requests/s and p50/p95/p99 latency.
4. Starts it again without worker recycling and reads the workers' memory (VmRSS) before and
   after 10,000 requests of every scenario.

Nothing is written to the site's own database. Options make quick runs possible:
``--duration 3 --scenarios home,listing-detail --skip-memory``.
"""

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/recovery_bench"
# Database 15 of the local Redis: one the site itself is not configured to use.
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/15"
SERVER_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "benchmark-only-secret-key-not-for-production",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_COOKIES": "false",
    "DJANGO_SETTINGS_MODULE": "bench.settings",
}
# (requests/s at least, p99 under ms), by scenario: pages served from the kept-page cache.
TARGETS = {
    "listing-detail": (1000, None),
    "meeting-detail": (1000, None),
    "home": (1000, None),
}
# (share of the floor's requests/s at least, p99 under ms), by scenario: the floor is a bare
# page doing the least a search near a place can (bench/floor.py), measured in the same run.
FLOOR = "floor"
RATIO_TARGETS = {
    "text-kind-radius": (0.75, None),
    "api-search": (1.0, None),
    "meeting-finder": (0.5, None),
    "search-text": (0.25, 1000),
}
SEARCH_SCENARIOS = (
    FLOOR,
    "search-text",
    "text-kind-radius",
    "browse-near",
    "meeting-finder",
    "api-search",
)
MAX_QUERIES = 5
ADMIN_TARGET_MS = 300
DB_TARGET_MS = 5


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    parser.add_argument("--listings", type=int, default=200_000)
    parser.add_argument("--meetings", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--zip", default="60614", help="the ZIP code searches are near")
    parser.add_argument("--duration", type=int, default=10, help="seconds of wrk per scenario")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of wrk before each")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py)")
    parser.add_argument("--worker-threads", type=int, help="threads per gunicorn worker")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--cache-url",
        default=os.environ.get("BENCH_CACHE_URL", DEFAULT_CACHE_URL),
        help="the server's CACHE_URL: a Redis shared by the workers, as in production "
        "(emptied before each scenario); locmem:// when that Redis cannot be reached",
    )
    parser.add_argument("--scenarios", help="comma-separated names (default: all)")
    parser.add_argument("--explain-runs", type=int, default=30)
    parser.add_argument("--memory-requests", type=int, default=10_000)
    parser.add_argument(
        "--memory-seconds", type=int, default=600, help="stop the memory run after this long"
    )
    parser.add_argument("--skip-load", action="store_true", help="no wrk runs")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--skip-admin", action="store_true")
    parser.add_argument("--skip-explain", action="store_true")
    parser.add_argument("--output", type=Path, help="also write the report to this file")
    return parser.parse_args()


# Setting up ------------------------------------------------------------------------------


def create_database(url):
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not exists.fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')
            print(f"Created database {name}.")


def setup_django(database_url):
    os.environ.update(SERVER_ENV, DATABASE_URL=database_url)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare_data(args):
    from django.core.management import call_command
    from django.db import connection

    from demo.generate import generated_counts

    call_command("migrate", verbosity=0)
    found = generated_counts()
    if found == (args.listings, args.meetings):
        print(f"Reusing {found[0]:,} generated listings and {found[1]:,} meetings.")
        # The import benchmark that ends each run writes support groups and rolls them back,
        # which leaves entries in the text index's pending list; PostgreSQL then prices that
        # index higher and may search a city's box without it (the floor's queries went from
        # 1.6 to 15 ms). Autovacuum clears them in production; each run starts vacuumed.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")
    else:
        print(f"Generating {args.listings:,} listings and {args.meetings:,} meetings…")
        call_command(
            "generate_demo",
            listings=args.listings,
            meetings=args.meetings,
            seed=args.seed,
            force=True,
        )
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    call_command("collectstatic", interactive=False, verbosity=0)


def machine():
    from django.db import connection

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    memory_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1])
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory": f"{memory_kb / 1024 / 1024:.0f} GiB",
        "postgresql": postgres,
        "python": platform.python_version(),
    }


# Scenarios -------------------------------------------------------------------------------


def scenarios(args):
    """{name: [paths]}: real URLs of this site, with data from the benchmark database."""
    import zipcodes
    from django.urls import reverse

    from groups.models import Meeting
    from resources.models import Listing

    city = zipcodes.matching(args.zip)[0]["city"]
    listings = Listing.objects.searchable().order_by("pk").values_list("slug", flat=True)
    meetings = Meeting.objects.public().order_by("pk").values_list("slug", flat=True)

    def url(name, query=None, **kwargs):
        path = reverse(name, kwargs=kwargs or None)
        return f"{path}?{urlencode(query)}" if query else path

    every = {
        FLOOR: [
            url(
                "bench-floor",
                {"q": "suboxone", "kind": "clinician", "near": args.zip, "radius": 25},
            )
        ],
        "home": [url("directory:home")],
        "search-text": [url("directory:search", {"q": "suboxone"})],
        "text-kind-radius": [
            url(
                "directory:search",
                {"q": "suboxone", "kind": "clinician", "near": args.zip, "radius": 25},
            )
        ],
        "browse-near": [
            url(
                "directory:browse",
                {"near": args.zip, "sort": "distance"},
                category="treatment-programs",
            )
        ],
        "meeting-finder": [url("directory:meeting_finder", {"day": "today", "near": args.zip})],
        "listing-detail": [
            url("directory:listing_detail", slug=slug) for slug in listings[:1000:5]
        ],
        "meeting-detail": [
            url("directory:meeting_detail", slug=slug) for slug in meetings[:1000:5]
        ],
        "api-search": [url("api:listing-list", {"q": "suboxone", "near": args.zip})],
        "feed-region": [url("exchange:meeting_guide_feed", {"region": city})],
    }
    if args.scenarios:
        wanted = args.scenarios.split(",")
        unknown = set(wanted) - set(every)
        if unknown:
            sys.exit(f"Unknown scenarios {sorted(unknown)}; choose from {list(every)}")
        every = {name: paths for name, paths in every.items() if name in wanted}
    return every


# In-process measurements -------------------------------------------------------------------


def captured_queries(path, client=None):
    """(status, [SQL]) of one request, run in this process, on every database it reads
    (the primary, and the replicas when DATABASE_REPLICA_URLS names some)."""
    from contextlib import ExitStack

    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = client or Client()
    with ExitStack() as stack:
        captured = [stack.enter_context(CaptureQueriesContext(c)) for c in connections.all()]
        response = client.get(path)
    return response.status_code, [q["sql"] for each in captured for q in each.captured_queries]


def queries_per_request(every):
    """{scenario: (status, most queries over up to 5 of its paths)}."""
    counts = {}
    for name, paths in every.items():
        runs = [captured_queries(path) for path in paths[:5]]
        counts[name] = (runs[0][0], max(len(sqls) for _status, sqls in runs))
    return counts


def explain(every, runs):
    """{scenario: [(label, p50 ms, p95 ms, planning p50 ms)]} of each query the page runs.

    The p50 and p95 are of the execution time; planning is shown apart, as PostgreSQL
    plans every query again (the site uses no prepared statements).
    """
    from django.db import connection

    timings = {}
    for name in SEARCH_SCENARIOS:
        if name not in every:
            continue
        _status, sqls = captured_queries(every[name][0])
        rows = []
        for number, sql in enumerate(sqls, start=1):
            if not sql.lstrip("( ").upper().startswith(("SELECT", "WITH")):
                continue
            times, planning = [], []
            with connection.cursor() as cursor:
                for _ in range(runs):
                    cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
                    plan = cursor.fetchone()[0]
                    plan = json.loads(plan) if isinstance(plan, str) else plan
                    times.append(plan[0]["Execution Time"])
                    planning.append(plan[0]["Planning Time"])
            label = f"#{number} {describe(sql)}"
            rows.append((label, median(times), percentile(times, 95), median(planning)))
        timings[name] = rows
    return timings


def describe(sql):
    """A few words on what a query is for, from its SQL."""
    table = re.search(r'FROM "(\w+)"', sql)
    what = table[1] if table else "?"
    text = sql.lstrip("( ")
    if text.startswith("WITH base"):
        return "results and choices counted"
    if text.startswith("SELECT 1 AS") and "LIMIT 1" in sql:
        return f"any exact match? ({what})"
    if text.startswith("SELECT COUNT(*)"):
        return f"count ({what})"
    if "time_zone" in sql and ("DISTINCT" in sql or "RECURSIVE" in sql):
        return "time zones in use"
    if re.search(r'"\w+_id" IN \(', sql) and "LIMIT" not in sql:
        return f"prefetch ({what})"
    if text.startswith(f'SELECT "{what}"."id"') and "LIMIT" in sql and "created_at" not in sql:
        return f"the page's ids ({what})"
    if re.search(r'"id" IN \(', sql) and "LIMIT" not in sql:
        return f"the page's rows ({what})"
    return f"results ({what})"


def admin_timings():
    """[(path, status, queries, first ms, median ms)] for a logged-in superuser."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    user, _created = get_user_model().objects.get_or_create(
        username="benchmark-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    rows = []
    for path in (
        "/admin/resources/listing/",
        "/admin/resources/clinician/",
        "/admin/groups/meeting/",
        "/admin/resources/listing/?q=lakeside",
    ):
        times = []
        for _ in range(6):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        rows.append((path, response.status_code, len(captured), times[0], median(times[1:])))
    return rows


# The server ----------------------------------------------------------------------------------


class Server:
    """gunicorn with the project's gunicorn.conf.py, in production mode, on a local port."""

    def __init__(self, args, recycle=True):
        self.args, self.recycle = args, recycle
        self.process = None

    def __enter__(self):
        env = {
            **os.environ,
            **SERVER_ENV,
            "DATABASE_URL": self.args.database_url,
            "CACHE_URL": self.args.cache_url,
            "HOST": "127.0.0.1",
            "PORT": str(self.args.port),
        }
        if self.args.workers:
            env["WEB_CONCURRENCY"] = str(self.args.workers)
        if self.args.worker_threads:
            env["WEB_THREADS"] = str(self.args.worker_threads)
        if not self.recycle:
            env["GUNICORN_CMD_ARGS"] = "--max-requests 0"
        empty_cache(self.args.cache_url)
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [str(gunicorn), "recovery_site.wsgi", "-c", "gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url("/about/"), timeout=5).read()
                return self
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.3)
        self.log.seek(0)
        self.__exit__()
        sys.exit(f"gunicorn did not start:\n{self.log.read().decode()[-3000:]}")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=40)

    def url(self, path=""):
        return f"http://127.0.0.1:{self.args.port}{path}"

    def workers(self):
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]


def usable_cache_url(url):
    """``url`` if it is a Redis that answers (or not a Redis at all), else ``locmem://``."""
    if not url.startswith(("redis://", "rediss://")):
        return url
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        print(f"No Redis at {url} ({error}): each gunicorn worker keeps its own cache.")
        return "locmem://"
    return url


def empty_cache(url):
    """Every scenario starts with an empty cache, filled by its own warm-up."""
    if url.startswith(("redis://", "rediss://")):
        import redis

        redis.Redis.from_url(url).flushdb()


def rss_kib(pid):
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmRSS:\s+(\d+)", status)[1])


def wrk(server, paths, seconds, args):
    """wrk's figures for ``paths`` (cycled): requests, rps, p50/p95/p99 ms, errors."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as listing:
        listing.write("\n".join(paths) + "\n")
        listing.flush()
        command = [
            "wrk",
            f"-t{args.threads}",
            f"-c{args.connections}",
            f"-d{seconds}s",
            # Slow pages are measured, not dropped as timeouts (wrk's default is 2 s).
            "--timeout",
            "10s",
            "--latency",
            "-s",
            str(ROOT / "bench" / "wrk.lua"),
            server.url(),
            "--",
            listing.name,
        ]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    result = json.loads(output.split("RESULT ", 1)[1].splitlines()[0])
    seconds = result["duration_us"] / 1e6
    return {
        "requests": result["requests"],
        "rps": result["requests"] / seconds,
        "p50": result["p50"] / 1000,
        "p95": result["p95"] / 1000,
        "p99": result["p99"] / 1000,
        "errors": result["socket_errors"] + result["http_errors"],
    }


def load(every, args):
    # A fresh server per scenario: requests wrk gave up on stay queued in gunicorn, and a
    # slow scenario would otherwise be measured again as the next one's latency.
    results = {}
    for name, paths in every.items():
        with Server(args) as server:
            if not results:
                print(f"gunicorn: {len(server.workers())} workers")
            if args.warmup:
                wrk(server, paths, args.warmup, args)
            results[name] = wrk(server, paths, args.duration, args)
        figures = results[name]
        print(
            f"  {name}: {figures['rps']:.0f} req/s, p99 {figures['p99']:.1f} ms",
            flush=True,
        )
    return results


def memory(every, args):
    """[(pid, KiB before, KiB after)] of each worker around ``memory_requests`` requests."""
    # The pages people open most; the national text search and the whole-city feed are
    # slow enough that 10,000 of them would take most of an hour.
    paths = [
        path
        for name, all_paths in every.items()
        if name not in ("search-text", "feed-region")
        for path in all_paths[:20]
    ]
    with Server(args, recycle=False) as server:
        wrk(server, paths, max(2, args.warmup), args)
        before = {pid: rss_kib(pid) for pid in server.workers()}
        done, deadline = 0, time.monotonic() + args.memory_seconds
        while done < args.memory_requests and time.monotonic() < deadline:
            done += wrk(server, paths, 3, args)["requests"]
        after = {pid: rss_kib(pid) for pid in server.workers()}
    return done, [(pid, before[pid], after.get(pid, 0)) for pid in sorted(before)]


# Figures -----------------------------------------------------------------------------------------


def median(values):
    return statistics.median(values)


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share / 100 * (len(ordered) - 1)))]


def report(info, args, queries, loads, timings, admin, mem):
    lines = [
        f"Benchmark of {info['date']}",
        f"Machine: {info['cores']} cores ({info['cpu']}), {info['memory']} memory; "
        f"PostgreSQL {info['postgresql']}; Python {info['python']}",
        f"Data: {args.listings:,} generated listings, {args.meetings:,} meetings (seed "
        f"{args.seed}); wrk -t{args.threads} -c{args.connections} -d{args.duration}s --latency",
        f"Cache: {args.cache_url}",
        "",
        "| scenario | req/s | ratio to the floor | p50 ms | p95 ms | p99 ms | errors "
        "| SQL queries | target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    floor_rps = loads[FLOOR]["rps"] if FLOOR in loads else None
    for name, (status, count) in queries.items():
        figures = loads.get(name)
        ratio = figures["rps"] / floor_rps if figures and floor_rps else None
        verdict = ""
        if figures and name in TARGETS:
            rps, p99 = TARGETS[name]
            met = figures["rps"] >= rps and (p99 is None or figures["p99"] < p99)
            wanted = f"≥{rps} req/s" + (f", p99 <{p99} ms" if p99 else "")
            verdict = f"{wanted}: {'met' if met else 'NOT MET'}"
        if ratio is not None and name in RATIO_TARGETS:
            share, p99 = RATIO_TARGETS[name]
            met = ratio >= share and (p99 is None or figures["p99"] < p99)
            wanted = f"≥{share:.2f}× the floor" + (f", p99 <{p99} ms" if p99 else "")
            short = "" if met else f" (short by {share / ratio:.1f}×)"
            verdict = f"{wanted}: {'met' if met else 'NOT MET'}{short}"
        ratio_note = f"{ratio:.2f}" if ratio is not None else ""
        queries_note = f"{count}" + ("" if count <= MAX_QUERIES else " (over 5)")
        if status != 200:
            queries_note += f" (HTTP {status})"
        if figures:
            lines.append(
                f"| {name} | {figures['rps']:.0f} | {ratio_note} | {figures['p50']:.1f}"
                f" | {figures['p95']:.1f} | {figures['p99']:.1f} | {figures['errors']}"
                f" | {queries_note} | {verdict} |"
            )
        else:
            lines.append(f"| {name} | | | | | | | {queries_note} | |")
    if timings:
        lines += [
            "",
            f"Database time of each query (EXPLAIN ANALYZE, {args.explain_runs} runs; target "
            f"p95 < {DB_TARGET_MS} ms):",
            "",
            "| scenario | query | p50 ms | p95 ms | planning p50 ms |",
            "| --- | --- | ---: | ---: | ---: |",
        ]
        for name, rows in timings.items():
            for label, p50, p95, planned in rows:
                flag = "" if p95 < DB_TARGET_MS else " (over)"
                lines.append(f"| {name} | {label} | {p50:.2f} | {p95:.2f}{flag} | {planned:.2f} |")
    if mem:
        done, workers = mem
        lines += ["", f"gunicorn worker memory (VmRSS) around {done:,} requests:", ""]
        lines += [
            "| worker | before MiB | after MiB | change MiB |",
            "| --- | ---: | ---: | ---: |",
        ]
        for pid, before, after in workers:
            change = (after - before) / 1024
            lines.append(f"| {pid} | {before / 1024:.1f} | {after / 1024:.1f} | {change:+.1f} |")
    if admin:
        lines += [
            "",
            f"Admin changelists, logged in (target < {ADMIN_TARGET_MS} ms):",
            "",
            "| page | status | SQL queries | first ms | median ms |",
            "| --- | ---: | ---: | ---: | ---: |",
        ]
        for path, status, count, first, typical in admin:
            lines.append(f"| {path} | {status} | {count} | {first:.0f} | {typical:.0f} |")
    return "\n".join(lines)


def main():
    args = parse_args()
    args.cache_url = usable_cache_url(args.cache_url)
    if not args.skip_load and not shutil.which("wrk"):
        sys.exit("The benchmark drives load with wrk: install it with `sudo apt-get install wrk`.")
    create_database(args.database_url)
    setup_django(args.database_url)
    prepare_data(args)
    info = machine()
    every = scenarios(args)
    print("Counting queries…", flush=True)
    queries = queries_per_request(every)
    timings = {} if args.skip_explain else explain(every, args.explain_runs)
    admin = [] if args.skip_admin else admin_timings()
    from django.db import connections

    connections.close_all()
    loads = {} if args.skip_load else load(every, args)
    mem = None if args.skip_memory or args.skip_load else memory(every, args)
    text = report(info, args, queries, loads, timings, admin, mem)
    print()
    print(text)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text + "\n", encoding="utf-8")
        print(f"\nWritten to {args.output}")


if __name__ == "__main__":
    main()
