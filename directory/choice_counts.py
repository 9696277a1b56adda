"""The option counts of the search page: how many results each choice of a filter would
give, counted in one query (see ``count_choices``)."""

from dataclasses import dataclass

from django.db import connections
from django.db.models.expressions import RawSQL

from resources.models import Listing, Term


@dataclass(frozen=True)
class Tally:
    total: int  # the results: listings that meet every filter (at most the cap, if any)
    options: dict  # {(filter, choice): listings with that choice that meet the other filters}
    more: bool = False  # more listings meet every filter than the cap: total is the cap


# The choice filters that are a column of the listing or of its kind, as count_choices reads
# them. Every other counted filter is a vocabulary, whose choices are the listing's terms.
COLUMN_FILTERS = {
    "kind": "kind",
    "role": "clinician__role",
    "fellowship": "supportgroup__fellowship__slug",
}


def count_choices(listings, counted, chosen, cap=None, results=None):
    """The ``Tally`` of ``listings`` (the other filters already applied) by the choices of
    the filters ``counted``, where ``chosen`` {filter: [choices]} are the counted filters
    in use.

    One query, whatever the number of filters: the listings are read once into a table
    that says, for each row, which of the chosen filters it meets; each count then reads
    that table, keeping the rows that meet every chosen filter but its own.

    With a ``cap``, only the first ``cap`` listings found (``ids_found_first``) are read into
    that table, and the ``results`` (``listings`` that meet the chosen filters too) are
    counted up to ``cap`` + 1, which says whether there are more than ``cap``.
    """
    connection = connections[listings.db]
    quote = connection.ops.quote_name
    # Only the columns counted or chosen: role and fellowship each join a kind's table.
    read = [name for name in COLUMN_FILTERS if name in counted or name in chosen]
    columns_of = [COLUMN_FILTERS[name] for name in read]
    found, cap = "", int(cap or 0)
    if cap:
        # The ids of the matches, found once; base reads the columns of the first cap.
        found_sql, found_params = _ids(listings)
        found = f"found (id) AS MATERIALIZED ({found_sql}), "
        listings = Listing.objects.filter(pk__in=RawSQL(f"SELECT id FROM found LIMIT {cap}", []))
    base_sql, base_params = (
        listings.order_by().values_list("pk", *columns_of).query.sql_with_params()
    )
    if cap:
        base_params = (*found_params, *base_params)
    meets, meets_params = {}, []
    for name, choices in chosen.items():
        marks = ", ".join(["%s"] * len(choices))
        if name in COLUMN_FILTERS:
            meets[name] = f"{name} IN ({marks})"
        else:
            meets[name] = (
                f"EXISTS (SELECT 1 FROM {quote(Listing.terms.through._meta.db_table)} lt "
                f"JOIN {quote(Term._meta.db_table)} t ON t.id = lt.term_id "
                f"WHERE lt.listing_id = base.id AND t.vocabulary = %s AND t.code IN ({marks}))"
            )
            meets_params.append(name)
        meets_params += [str(choice) for choice in choices]
    flags = ", ".join(f"({condition}) AS meets_{name}" for name, condition in meets.items())

    def others(*names):
        """The rows meeting every chosen filter except ``names``, as SQL."""
        return " AND ".join(f"meets_{name}" for name in meets if name not in names) or "1 = 1"

    parts, params = [f"SELECT 'total', '', COUNT(*) FROM flagged WHERE {others()}"], []
    matched = ""
    if cap:
        # The results up to one more than the cap, which says whether there are more: the
        # first of those found, or, with choices ticked, of the results found apart.
        counted_results = "found"
        if chosen:
            results_sql, results_params = _ids(results)
            matched, counted_results = f", matched (id) AS MATERIALIZED ({results_sql})", "matched"
            params += results_params
        parts[0] = (
            "SELECT 'total', '', COUNT(*) FROM "
            f"(SELECT id FROM {counted_results} LIMIT {cap + 1}) AS results"
        )
    for name in counted:
        if name in COLUMN_FILTERS:
            parts.append(
                f"SELECT %s, {name}, COUNT(*) FROM flagged "
                f"WHERE {name} IS NOT NULL AND {others(name)} GROUP BY {name}"
            )
            params.append(name)
    vocabularies = [name for name in counted if name not in COLUMN_FILTERS]
    if vocabularies:
        # A listing has each term once, so rows joined to their terms count listings. A
        # term's own vocabulary is the one filter its rows need not meet.
        own = [name for name in meets if name in vocabularies]
        parts.append(
            "SELECT t.vocabulary, t.code, COUNT(*) FROM flagged "
            f"JOIN {quote(Listing.terms.through._meta.db_table)} lt ON lt.listing_id = flagged.id "
            f"JOIN {quote(Term._meta.db_table)} t ON t.id = lt.term_id "
            f"WHERE t.vocabulary IN ({', '.join(['%s'] * len(vocabularies))}) "
            f"AND {others(*vocabularies)} "
            + "".join(f"AND (t.vocabulary = %s OR meets_{name}) " for name in own)
            + "GROUP BY t.vocabulary, t.code"
        )
        params += [*vocabularies, *own]
    sql = (
        f"WITH {found}base ({', '.join(['id', *read])}) AS ({base_sql}), "
        f"flagged AS (SELECT base.*{', ' + flags if flags else ''} FROM base){matched} "
        + " UNION ALL ".join(parts)
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*base_params, *meets_params, *params])
        counts = cursor.fetchall()
    options = {(facet, str(option)): n for facet, option, n in counts if facet != "total"}
    total = next(n for facet, _option, n in counts if facet == "total")
    if cap and total > cap:
        return Tally(total=cap, options=options, more=True)
    return Tally(total=total, options=options)


def _ids(listings):
    return listings.order_by().values("pk").query.sql_with_params()
