"""What an import changed, meeting by meeting: the detail of its report (``ImportReport.changes``).

The writer notes each meeting it creates, updates (with each changed field before → after)
and deactivates. A sync run keeps this as its change report (``SyncRun.changes``). A huge
feed must not make a huge report: only the first ``limit`` meetings of each kind are kept in
detail; the report's counts stay exact, so the difference says how many were left out.

Values are kept as people read them (a day's name, "19:30"); a group or a place is kept by
its id, which the admin turns into a name.
"""

from dataclasses import dataclass, field
from datetime import datetime, time

from groups.models import Meeting

DETAIL_LIMIT = 200


def shown(name, value):
    """``value`` of the meeting field ``name``, as the change report keeps it."""
    if value is None:
        return ""
    if isinstance(value, time | datetime):
        return value.isoformat(timespec="minutes").replace("T", " ")
    if isinstance(value, list):  # regions, feedback e-mail addresses
        return ", ".join(str(each) for each in value)
    model_field = Meeting._meta.get_field(name)
    if model_field.is_relation:
        return value
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    return str(value)


def _summary(meeting):
    return {
        "id": meeting.pk,
        "slug": meeting.slug,
        "name": meeting.name,
        "when": (
            "By appointment"
            if meeting.weekday is None
            else f"{shown('weekday', meeting.weekday)} {shown('start_time', meeting.start_time)}"
        ),
    }


@dataclass
class Changes:
    limit: int = DETAIL_LIMIT
    created: list = field(default_factory=list)
    updated: dict = field(default_factory=dict)  # {meeting pk: entry}
    deactivated: list = field(default_factory=list)

    def note_created(self, meetings):
        self.created += [
            _summary(meeting) for meeting in meetings[: self.limit - len(self.created)]
        ]

    def note_deactivated(self, meetings):
        room = self.limit - len(self.deactivated)
        self.deactivated += [_summary(meeting) for meeting in meetings[:room]]

    def note_updated(self, meeting, values):
        """Note the fields of ``meeting`` that ``values`` change; call before setting them."""
        if len(self.updated) >= self.limit:
            return  # the report keeps its counts; no need to compare further
        fields = {
            name: [shown(name, getattr(meeting, name)), shown(name, value)]
            for name, value in values.items()
            if getattr(meeting, name) != value
        }
        self._note_fields(meeting, fields)

    def note_types(self, meetings, have, wanted, codes):
        """Note the meeting types before → after; ``have`` and ``wanted`` hold term ids (by
        meeting pk and by source slug), ``codes`` the code of each term id."""
        for meeting in meetings:
            before = ", ".join(sorted(codes.get(pk, "?") for pk in have[meeting.pk]))
            after = ", ".join(sorted(codes.get(pk, "?") for pk in wanted[meeting.source_slug]))
            self._note_fields(meeting, {"types": [before, after]})

    def _note_fields(self, meeting, fields):
        entry = self.updated.get(meeting.pk)
        if entry is None:
            if len(self.updated) >= self.limit:
                return
            entry = {"id": meeting.pk, "slug": meeting.slug, "name": meeting.name, "fields": {}}
            self.updated[meeting.pk] = entry
        entry["fields"].update(fields)

    def as_json(self):
        return {
            "created": self.created,
            "updated": list(self.updated.values()),
            "deactivated": self.deactivated,
        }
