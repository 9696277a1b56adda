"""Removing what the generator made: ``manage.py generate_demo --clear`` and before each run.

Generated listings are marked ``source = SOURCE``; ``remove_generated`` deletes them and
everything hanging from them (their children, terms, hours, meetings and the places and
organizations only they used), never a curated row.
"""

from django.apps import apps
from django.db import connections, models

from demo.invented import ORGANIZATION_SLUG_PREFIX, SOURCE
from groups.models import Meeting, Place
from resources.models import Listing, Organization


def remove_generated(using="default"):
    """Delete the generated listings and every row that hangs from them; return how many.

    Plain DELETE statements, children first, rather than the ORM's cascade, which would load
    each of hundreds of thousands of rows and send signals for it. Places and organizations
    are removed only when nothing else uses them.
    """
    connection = connections[using]
    quote = connection.ops.quote_name
    listings = f"SELECT id FROM {quote(Listing._meta.db_table)} WHERE source = %s"
    meeting_table, place_table = quote(Meeting._meta.db_table), quote(Place._meta.db_table)
    group_column = quote(Meeting._meta.get_field("group").column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({listings}) AS generated", [SOURCE])
        count = cursor.fetchone()[0]
        if not count:
            return 0
        # Places used by generated meetings, to drop afterwards if nothing else uses them.
        cursor.execute(
            f"CREATE TEMPORARY TABLE generated_places AS SELECT DISTINCT place_id AS id "
            f"FROM {meeting_table} WHERE place_id IS NOT NULL AND {group_column} IN ({listings})",
            [SOURCE],
        )
        tables = set(connection.introspection.table_names(cursor))
        _delete_with_dependents(cursor, Listing, f"IN ({listings})", [SOURCE], quote, tables)
        cursor.execute(
            f"DELETE FROM {place_table} WHERE id IN (SELECT id FROM generated_places) "
            f"AND NOT EXISTS (SELECT 1 FROM {meeting_table} m WHERE m.place_id = {place_table}.id)"
        )
        cursor.execute("DROP TABLE generated_places")
        organizations = quote(Organization._meta.db_table)
        cursor.execute(
            f"DELETE FROM {organizations} WHERE slug LIKE %s AND NOT EXISTS "
            f"(SELECT 1 FROM {quote(Listing._meta.db_table)} l "
            f"WHERE l.organization_id = {organizations}.id)",
            [f"{ORGANIZATION_SLUG_PREFIX}%"],
        )
    return count


def _delete_with_dependents(cursor, model, condition, params, quote, tables, depth=0):
    """DELETE the rows of ``model`` whose primary key is ``condition``, dependents first.

    Dependents are the rows of other tables (typed children, many-to-many rows, meetings…)
    pointing at them with a cascading or protecting foreign key, found from the models, so
    tables added later are covered. Keys that do not constrain the database (history tables)
    are left alone; keys that set null are set to null.
    """
    if depth > 5:
        raise RuntimeError(f"Foreign keys to {model.__name__} nest too deeply to delete.")
    table = quote(model._meta.db_table)
    pk = quote(model._meta.pk.column)
    for dependent, fk in _dependents(model, tables):
        column = quote(fk.column)
        dependent_table = quote(dependent._meta.db_table)
        where = f"{column} {condition}"
        if fk.remote_field.on_delete is models.SET_NULL:
            cursor.execute(f"UPDATE {dependent_table} SET {column} = NULL WHERE {where}", params)
            continue
        dependent_pk = quote(dependent._meta.pk.column)
        inner = f"IN (SELECT {dependent_pk} FROM {dependent_table} WHERE {where})"
        _delete_with_dependents(cursor, dependent, inner, params, quote, tables, depth + 1)
    cursor.execute(f"DELETE FROM {table} WHERE {pk} {condition}", params)


def _dependents(model, tables):
    """(model, foreign key) pairs pointing at ``model`` with a database constraint.

    Models whose table does not exist (an app not migrated yet) have no rows to delete.
    """
    found = []
    for candidate in apps.get_models(include_auto_created=True):
        if candidate._meta.db_table not in tables:
            continue
        for fk in candidate._meta.local_concrete_fields:
            if not fk.is_relation or fk.remote_field.model is not model:
                continue
            if not fk.db_constraint or fk.remote_field.on_delete is models.DO_NOTHING:
                continue
            found.append((candidate, fk))
    return found
