"""Change history of everything curators keep (django-simple-history), and the ways to write
it when objects are saved in bulk.

Every curated model declares ``history = CuratedHistory(...)``: each save writes a row to its
``Historical…`` table with the whole object as it now is, who saved it (``history_user``, taken
from the admin or from the request by ``HistoryRequestMiddleware``), when, and why
(``history_change_reason``, from ``obj._change_reason``). Vocabulary terms and meeting types
are kept with each row as a snapshot (simple-history's ``m2m_fields``).

Listings are stored with multi-table inheritance: a Clinician is a Listing row plus a
Clinician row, and saving it sends ``post_save`` as Clinician only. So the history lives on
each typed kind, whose historical table holds the inherited fields too; the bare Listing has
no history of its own (it cannot be saved without a kind, see ``Listing.listing_kind``).

``terms`` is declared once on Listing and inherited by six kinds. simple-history assumes an
m2m field belongs to one model: it names the snapshot table after the field's through table,
keeps the snapshot models in one dict keyed by the field, and connects ``m2m_changed`` for the
through table once per model. ``CuratedHistory`` fixes the three: one snapshot table per kind
(``HistoricalClinician_terms``…), snapshot models kept per kind, and a change of terms is
recorded only by the history of the listing's own kind.

``bulk_create``, ``bulk_update``, ``QuerySet.update()`` and the bulk writer (``resources.bulk``)
skip the signals that write history; code that writes that way calls ``record_history()``
afterwards.
"""

from contextlib import contextmanager

from django.dispatch import receiver
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_record

from resources.bulk import in_chunks, insert_rows

__all__ = [
    "CuratedHistory",
    "record_history",
    "one_history_row",
]


class CuratedHistory(HistoricalRecords):
    """HistoricalRecords that also works for an m2m field inherited by several models."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The base class keeps one dict on the class, keyed by field: the six kinds of
        # listing share Listing.terms and would overwrite each other's snapshot model.
        self.m2m_models = {}

    def get_history_model_name(self, model):
        if model is self.cls or model._meta.auto_created is False:
            return super().get_history_model_name(model)
        # A through table: name its snapshot after the model owning this history,
        # "HistoricalClinician_terms", not after the through table "Listing_terms".
        field_name = model._meta.object_name.split("_", 1)[1]
        return f"Historical{self.cls._meta.object_name}_{field_name}"

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if sender is self.cls:
            # record_history() and one_history_row() write rows through this object.
            sender._curated_history = self
            history_model = getattr(sender, self.manager_name).model
            history_model.m2m_snapshot_models = {
                field.name: model for field, model in self.m2m_models.items()
            }

    def m2m_changed(self, instance, action, attr, pk_set, reverse, **kwargs):
        if reverse:
            # A term gained or lost listings (term.listings.add…): record each listing.
            if action not in ("post_add", "post_remove") or not pk_set:
                return
            for obj in self.cls.objects.filter(pk__in=pk_set):
                self.create_historical_record(obj, "~")
            return
        if type(instance) is not self.cls:
            if hasattr(instance, "skip_history_when_saving"):
                return
            kind = getattr(self.cls, "KIND", None)
            # Terms changed through a bare Listing: record them on its typed kind.
            if kind is None or getattr(instance, "kind", None) != kind:
                return
            if action in ("post_add", "post_remove", "post_clear"):
                self.create_historical_record(self.cls.objects.get(pk=instance.pk), "~")
            return
        super().m2m_changed(instance, action, attr, pk_set, reverse, **kwargs)


@receiver(post_create_historical_record)
def remember_history_row(sender, instance, history_instance, **kwargs):
    # one_history_row() adds the m2m changes that follow a save to the row that save wrote.
    instance._last_history_row = history_instance


def _m2m_state(instance, history):
    return {
        field.name: set(getattr(instance, field.name).values_list("pk", flat=True))
        for field in history.get_m2m_fields_from_model(type(instance))
    }


@contextmanager
def one_history_row(instance):
    """Record m2m changes made in the block (``obj.terms.set(…)``) in one history row.

    A form saves the object (one history row) and then its terms, each add and remove of
    which would write a row of its own. Inside this block they write none; afterwards the row
    the save just wrote gets the new terms, or, when nothing was saved first, one new row
    records the change. Nothing is written when the terms did not change.
    """
    history = getattr(type(instance), "_curated_history", None)
    if history is None or instance.pk is None:
        yield
        return
    saved_row = instance.__dict__.pop("_last_history_row", None)
    before = _m2m_state(instance, history)
    instance.skip_history_when_saving = True
    try:
        yield
    finally:
        del instance.skip_history_when_saving
    if _m2m_state(instance, history) == before:
        return  # the row the save wrote, if any, already holds these terms
    if saved_row is None:
        history.create_historical_record(instance, "~")
        return
    for model in type(saved_row).m2m_snapshot_models.values():
        model.objects.filter(history=saved_row).delete()
    history.create_historical_record_m2ms(saved_row, instance)
    instance._last_history_row = saved_row


def record_history(objs, history_type, reason, *, user=None, when=None):
    """Write one history row per object in ``objs`` (saved objects of one model), in bulk.

    For objects written by ``bulk_create``, ``bulk_update``, ``update()`` or COPY, which send
    no signals. ``history_type`` is "+" (created), "~" (changed) or "-" (deleted). Each row
    records the object as it is in memory, and its m2m fields as they are in the database.
    """
    objs = list(objs)
    if not objs:
        return 0
    model = type(objs[0])
    history_model = model.history.model
    signed = {
        "history_date": when or timezone.now(),
        "history_type": history_type,
        "history_change_reason": reason,
        "history_user_id": getattr(user, "pk", None),
    }
    tracked = [field.attname for field in history_model.tracked_fields]
    rows = [{**signed, **{name: getattr(obj, name) for name in tracked}} for obj in objs]
    history_ids = insert_rows(history_model, rows, returning_pks=True)
    pk_name = model._meta.pk.attname
    history_id_of = {getattr(obj, pk_name): pk for obj, pk in zip(objs, history_ids, strict=True)}
    for name, snapshot_model in history_model.m2m_snapshot_models.items():
        _record_m2m(model, name, snapshot_model, history_id_of)
    return len(rows)


def _record_m2m(model, name, snapshot_model, history_id_of):
    field = model._meta.get_field(name)
    through = field.remote_field.through
    source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
    snapshots = []
    for chunk in in_chunks(history_id_of):
        links = through.objects.filter(**{f"{source}__in": chunk}).values_list("pk", source, target)
        snapshots += [
            {"history_id": history_id_of[owner], "id": pk, source: owner, target: other}
            for pk, owner, other in links
        ]
    insert_rows(snapshot_model, snapshots)
