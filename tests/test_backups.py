"""The backup procedure in the README works: a ``pg_dump --format=custom`` of a database
holding rows of every app, restored with ``pg_restore`` into a fresh database, gives back
every table row for row, and the site can add rows to the copy.

It runs on a PostgreSQL cluster of its own (``tests/pg_cluster.py``), with the programs
of that cluster's version, exactly as the README spells them.
"""

import time
from pathlib import Path

import pytest

from tests.pg_cluster import Cluster, owned_cluster

pytestmark = pytest.mark.postgresql

SOURCE = "recovery_h5_backup_source"
RESTORED = "recovery_h5_backup_restored"

# What load_demo leaves out: the moderation queue and a curator.
SEED = """
from resources.models import Listing
from tests.factories import make_curator, make_report, make_suggestion
make_curator()
make_report(listing=Listing.objects.order_by("pk").first())
make_suggestion()
"""
# Every app's main tables must hold rows, or comparing them proves little.
MAIN_TABLES = [
    "auth_user",
    "auth_group",
    "resources_listing",
    "resources_organization",
    "resources_term",
    "resources_historicalclinician",
    "groups_fellowship",
    "groups_supportgroup",
    "groups_meeting",
    "groups_place",
    "moderation_submission",
    "django_migrations",
]


def tables(cluster, database):
    return [row[0] for row in cluster.sql(TABLES, database)]


TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"


def contents(cluster, database):
    """{table: (row count, checksum of its rows in any order)} for every table."""
    parts = [
        f"SELECT '{table}', count(*), "
        f"md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{table}\" t"
        for table in tables(cluster, database)
    ]
    rows = cluster.sql(" UNION ALL ".join(parts), database)
    return {table: (int(count), checksum) for table, count, checksum in rows}


# Each sequence with the column it numbers (identity and serial columns alike).
SEQUENCES = """
SELECT seq.relname, tbl.relname, col.attname
FROM pg_class seq
JOIN pg_depend dep ON dep.objid = seq.oid AND dep.classid = 'pg_class'::regclass
    AND dep.refclassid = 'pg_class'::regclass
JOIN pg_class tbl ON tbl.oid = dep.refobjid
JOIN pg_attribute col ON col.attrelid = tbl.oid AND col.attnum = dep.refobjsubid
WHERE seq.relkind = 'S'
ORDER BY seq.relname
"""


@pytest.fixture(scope="module")
def backed_up(tmp_path_factory):
    """The cluster, after the README's dump and restore of a database of demo data."""
    dump = tmp_path_factory.mktemp("backups") / "recovery.dump"
    with owned_cluster() as cluster:
        cluster.create_database(SOURCE)
        cluster.django(SOURCE, "migrate", "--no-input")
        cluster.django(SOURCE, "load_demo")
        cluster.django(SOURCE, "shell", "--no-imports", "-c", SEED)

        # The README's nightly backup and its restore into a fresh database.
        cluster.tool("pg_dump", "--format=custom", f"--file={dump}", cluster.url(SOURCE))
        cluster.tool("createdb", f"--maintenance-db={cluster.url('postgres')}", RESTORED)
        cluster.tool(
            "pg_restore", "--no-owner", "--exit-on-error", f"--dbname={cluster.url(RESTORED)}", dump
        )
        yield cluster


def test_a_restored_backup_holds_every_table_row_for_row(backed_up):
    source = contents(backed_up, SOURCE)
    restored = contents(backed_up, RESTORED)

    assert sorted(restored) == sorted(source)
    assert not [table for table in MAIN_TABLES if source[table][0] == 0]
    assert source["resources_listing"][0] > 200  # the demo data, not just the seed
    different = [table for table in source if restored[table] != source[table]]
    assert not different, different


def test_new_rows_in_a_restored_database_get_ids_past_the_restored_ones(backed_up):
    sequences = backed_up.sql(SEQUENCES, RESTORED)
    assert len(sequences) > 20
    behind = []
    for sequence, table, column in sequences:
        [[next_id, largest]] = backed_up.sql(
            f'SELECT nextval(\'"{sequence}"\'), coalesce(max("{column}"), 0) FROM "{table}"',
            RESTORED,
        )
        if int(next_id) <= int(largest):
            behind.append((table, column, next_id, largest))
    assert not behind

    # And the site itself can add a listing there.
    [[largest]] = backed_up.sql("SELECT max(id) FROM resources_listing", RESTORED)
    added = backed_up.django(
        RESTORED,
        "shell",
        "--no-imports",
        "-c",
        "from tests.factories import make_clinician; print(make_clinician().pk)",
    )
    assert int(added.stdout.split()[-1]) > int(largest)


def wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.2)


def test_a_base_backup_and_the_wal_archive_bring_back_changes_made_after_it():
    # The README's continuous archiving, on a cluster of its own: a plain table is enough.
    with owned_cluster() as primary:
        wal = primary.directory / "wal"
        primary.as_server_user("mkdir", wal)
        primary.configure(
            {
                "archive_mode": "on",
                "archive_command": f"'test ! -f {wal}/%f && cp %p {wal}/%f'",
            }
        )
        primary.stop()
        primary.start()
        primary.sql("CREATE TABLE changes (id int PRIMARY KEY, note text)")
        primary.sql("INSERT INTO changes SELECT n, 'before' FROM generate_series(1, 100) n")

        base = primary.directory / "base"
        primary.server_program(
            "pg_basebackup", f"--pgdata={base}", "--format=tar", "--gzip",
            "--checkpoint=fast", f"--dbname={primary.url('postgres')}",
        )  # fmt: skip
        primary.sql("INSERT INTO changes SELECT n, 'after' FROM generate_series(101, 150) n")
        [[segment]] = primary.sql("SELECT pg_walfile_name(pg_switch_wal())")
        wait_for(lambda: (wal / segment).exists())

        restored = Cluster.from_base_backup(
            primary.bin_dir, base, {"restore_command": f"'cp {wal}/%f %p'"}
        )
        try:
            restored.as_server_user("touch", restored.data_dir / "recovery.signal")
            restored.start()
            wait_for(lambda: restored.sql("SELECT pg_is_in_recovery()") == [["f"]])
            counts = restored.sql("SELECT note, count(*) FROM changes GROUP BY note ORDER BY 1")
        finally:
            restored.remove()

    assert counts == [["after", "50"], ["before", "100"]]


def test_the_readme_gives_the_commands_tested_here():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    section = readme[readme.index("### Backups and restoring") :]
    for command in (
        "pg_dump --format=custom --file=",
        "createdb recovery_restored",
        "pg_restore --no-owner --exit-on-error --dbname=recovery_restored",
        "pg_basebackup --pgdata=",
        "--format=tar --gzip --checkpoint=fast",
        "archive_command = 'test ! -f /var/backups/recovery/wal/%f && cp %p",
        "restore_command = 'cp /var/backups/recovery/wal/%f %p'",
        "recovery.signal",
    ):
        assert command in section, command
