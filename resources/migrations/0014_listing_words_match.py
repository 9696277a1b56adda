"""``listing_words_match(vector, query)``: ``vector @@ query`` with its true cost, PostgreSQL only.

PostgreSQL guesses that a box on a map holds 0.1% of the listings whatever its size (the
fixed estimate of the ``<@`` operator), and that testing a listing's stored words costs
next to nothing. For words with synonyms ("suboxone" is five words) near a dense city it
then reads every listing in the box and tests the words on each, unpacking about 1 KB of
search text a listing: 4,569 table pages and 17 ms near Chicago on the benchmark's data,
where combining the text index with the box's index reads 229 pages in 3.5 ms. A search
near a place adds this function's test to the plain ``@@`` (which the text index answers):
declared as costly as it is, it makes PostgreSQL combine the two indexes and run the
function only on the few listings both find. Its cost is set with a wide margin: the text
index's estimated cost grows with the entries waiting in its pending list after bulk writes
(an import of meetings' groups), and at COST 1000 that was enough to tip PostgreSQL back to
the box alone. See docs/performance.md.
"""

from django.db import migrations

from resources.migration_operations import RunSQLOnPostgreSQL


class Migration(migrations.Migration):
    dependencies = [
        ("resources", "0013_spanish_search"),
    ]

    operations = [
        RunSQLOnPostgreSQL(
            # PL/pgSQL, so that PostgreSQL keeps the function (and its cost) instead of
            # inlining it into a bare @@.
            sql="""
                CREATE FUNCTION listing_words_match(vector tsvector, query tsquery)
                RETURNS boolean LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 5000
                AS $$ BEGIN RETURN vector @@ query; END $$
            """,
            reverse_sql="DROP FUNCTION listing_words_match(tsvector, tsquery)",
        ),
    ]
