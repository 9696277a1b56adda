"""Read the demo data files (fixtures/demo/*.json), check every record and save it.

The file format is described in fixtures/demo/README.md. Records are matched on their
slug (places, which have no slug, on name and town), so loading twice changes nothing.
Everything happens in one transaction: one bad record and nothing at all is saved.

Every record created or changed gets a history row with the reason "Demo data": saves write
it as usual (the record and its terms in one row), and the opening hours, written in bulk,
get theirs from ``record_history``.
"""

import json
import re
from collections import Counter, defaultdict
from datetime import date, time, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction

from demo.spanish_texts import LISTING_TEXTS, spanish_meeting_notes
from groups.models import Fellowship, Meeting, MeetingText, Place, SupportGroup
from resources.models import (
    Clinician,
    CommunityResource,
    Helpline,
    ListingText,
    OpeningHours,
    Organization,
    SoberLivingHome,
    Term,
    TreatmentProgram,
    Weekday,
)
from resources.models.history import one_history_row, record_history
from resources.vocabularies import Vocabulary

DEFAULT_DATA_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"
KIND_MODELS = {
    model.KIND.value: model
    for model in (
        Clinician,
        TreatmentProgram,
        SoberLivingHome,
        Helpline,
        CommunityResource,
        SupportGroup,
    )
}
FILE_KEYS = {"about", "time_zone", "listing_defaults", "organizations", "places", "listings"}
# Keys of a record that are not plain model fields.
LISTING_EXTRAS = {"kind", "terms", "hours", "meetings"}
MEETING_EXTRAS = {"types"}
DAY_NAMES = {day.name.title(): day.value for day in Weekday}  # {"Sunday": 0, …}
DAY_ABBREVIATIONS = [name[:3] for name in DAY_NAMES]  # ["Sun", "Mon", …]
DAYS_AGO = re.compile(r"^(\d+) days? ago$|^today$")
HISTORY_REASON = "Demo data"
# Relations a record names by slug or short name; the loader looks them up.
REFERENCES = {"organization", "fellowship", "place"}


class DemoDataError(Exception):
    """The data files hold mistakes; ``problems`` says where and what, one line each."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(problems))


class RecordError(Exception):
    """One record cannot be saved as written."""


def describe(error):
    """A ValidationError as one line: "phone: Enter a valid value; beds_total: …"."""
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(messages)}" if field != "__all__" else " ".join(messages)
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)


def read_files(data_dir):
    data_dir = Path(data_dir)
    paths = sorted(data_dir.glob("*.json"))
    if not paths:
        raise DemoDataError([f"{data_dir}: no *.json demo data files found."])
    files, problems = [], []
    for path in paths:
        try:
            document = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)
        except json.JSONDecodeError as error:
            problems.append(f"{path.name}: not valid JSON: {error}")
            continue
        unknown = set(document) - FILE_KEYS if isinstance(document, dict) else {"(not an object)"}
        if unknown:
            problems.append(f"{path.name}: unknown top-level keys {sorted(unknown)}")
            continue
        files.append((path.name, document))
    if problems:
        raise DemoDataError(problems)
    return files


def load_demo_data(data_dir=DEFAULT_DATA_DIR, today=None, log=None):
    """Load every file of ``data_dir``; return {model name: Counter(created=…, updated=…)}."""
    files = read_files(data_dir)
    loader = Loader(today or date.today(), log)
    with transaction.atomic():
        loader.load(files)
        if loader.problems:
            raise DemoDataError(loader.problems)  # leaving the block rolls everything back
    return loader.stats


class Loader:
    def __init__(self, today, log=None):
        self.today, self.log = today, log or (lambda message: None)
        self.problems = []
        self.stats = defaultdict(Counter)
        self.terms = {(term.vocabulary, term.code): term for term in Term.objects.all()}
        self.fellowships = {f.short_name: f for f in Fellowship.objects.all()}
        self.organizations, self.places = {}, {}
        self.listings, self.spanish_notes = {}, {}

    def load(self, files):
        self.check_unique(files)
        if self.problems:
            return
        for section, load_record in (
            ("organizations", self.load_organization),
            ("places", self.load_place),
            ("listings", self.load_listing),
        ):
            for file_name, document in files:
                for number, record in enumerate(document.get(section, []), 1):
                    key = "key" if section == "places" else "slug"
                    where = f"{file_name}: {section[:-1]} #{number} ({key} {record.get(key)!r})"
                    self.attempt(where, load_record, record, document, where)
                self.log(f"{file_name}: {len(document.get(section, []))} {section} read")
        self.load_spanish_texts()

    def attempt(self, where, load_record, *args):
        try:
            with transaction.atomic():  # a failed record leaves no half-saved rows behind
                return load_record(*args)
        except RecordError as error:
            self.problems.append(f"{where}: {error}")
        except ValidationError as error:
            self.problems.append(f"{where}: {describe(error)}")
        except (AttributeError, TypeError, ValueError) as error:
            self.problems.append(f"{where}: malformed record ({error})")

    def check_unique(self, files):
        """Slugs and place keys must be unique across all files, or one would overwrite another."""
        seen = {}
        for file_name, document in files:
            identities = []  # (what, value) pairs that must not repeat
            for kind, key in (("organization", "slug"), ("place", "key"), ("listing", "slug")):
                records = document.get(f"{kind}s", [])
                identities += [(f"{kind} {key}", self.identity(r, key)) for r in records]
            for place in document.get("places", []):  # places are matched on name and town
                town = tuple(self.identity(place, k) for k in ("name", "city", "region"))
                identities.append(("place name and town", town))
            for listing in document.get("listings", []):
                meetings = listing.get("meetings", []) if isinstance(listing, dict) else []
                identities += [("meeting slug", self.identity(m, "slug")) for m in meetings]
            for what, value in identities:
                if not value:
                    self.problems.append(f"{file_name}: a record without a {what}")
                elif (what, value) in seen:
                    where = seen[what, value]
                    self.problems.append(f"{file_name}: {what} {value!r} is also used in {where}")
                seen.setdefault((what, value), file_name)

    @staticmethod
    def identity(record, key):
        return record.get(key) if isinstance(record, dict) else None

    # --- one record of each section -------------------------------------------------

    def load_organization(self, record, document, where):
        fields = self.convert(Organization, record)
        self.organizations[record["slug"]] = self.save(Organization, "slug", fields)

    def load_place(self, record, document, where):
        fields = self.convert(Place, {k: v for k, v in record.items() if k != "key"})
        self.places[record["key"]] = self.save(Place, ("name", "city", "region"), fields)

    def load_listing(self, record, document, where):
        model = KIND_MODELS.get(record.get("kind"))
        if model is None:
            raise RecordError(f"kind must be one of {sorted(KIND_MODELS)}")
        if "meetings" in record and model is not SupportGroup:
            raise RecordError("only support groups have meetings")
        defaults = dict(document.get("listing_defaults", {}))
        if any(field.name == "time_zone" for field in model._meta.concrete_fields):
            defaults.setdefault("time_zone", document.get("time_zone", ""))  # the metro's zone
        plain = {k: v for k, v in record.items() if k not in LISTING_EXTRAS}
        fields = self.convert(model, {**defaults, **plain})
        fields["kind"] = model.KIND
        terms = self.listing_terms(model, record.get("terms", {}))
        listing = self.save(model, "slug", fields, terms=terms)
        self.listings[listing.slug] = listing
        self.save_hours(listing, self.parse_hours(record.get("hours", {})))
        for number, meeting in enumerate(record.get("meetings", []), 1):
            self.attempt(
                f"{where}, meeting #{number} (slug {meeting.get('slug')!r})",
                self.load_meeting,
                meeting,
                listing,
                document,
            )

    def load_meeting(self, record, group, document):
        plain = {k: v for k, v in record.items() if k not in MEETING_EXTRAS}
        plain.setdefault("time_zone", document.get("time_zone", ""))
        if isinstance(plain.get("weekday"), str):
            if plain["weekday"] not in DAY_NAMES:
                raise RecordError(f"weekday must be one of {list(DAY_NAMES)}")
            plain["weekday"] = DAY_NAMES[plain["weekday"]]
        fields = {**self.convert(Meeting, plain), "group": group}
        types = [self.term(Vocabulary.MEETING_TYPE, code) for code in record.get("types", [])]
        meeting = self.save(Meeting, "slug", fields, terms=types, m2m="types")
        notes = spanish_meeting_notes(record.get("types", []))
        if notes:
            self.spanish_notes[meeting] = notes

    def load_spanish_texts(self):
        """Spanish texts of the listings and meetings loaded (demo/spanish_texts.py)."""
        for slug, text in LISTING_TEXTS.items():
            if slug in self.listings:
                fields = {"listing": self.listings[slug], "language": "es", **text}
                self.save(ListingText, ("listing", "language"), fields)
        for meeting, notes in self.spanish_notes.items():
            fields = {"meeting": meeting, "language": "es", "notes": notes}
            self.save(MeetingText, ("meeting", "language"), fields)

    # --- helpers --------------------------------------------------------------------

    @staticmethod
    def settable(field):
        return (
            field.concrete
            and field.editable
            and not field.primary_key
            and (not field.is_relation or field.name in REFERENCES)
        )

    def convert(self, model, record):
        """Every settable field: the record's value as a Python value, else the model default.

        Leaving a key out of the file therefore resets the field: the file is the truth.
        """
        for name in record:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                raise RecordError(f"{model.__name__} has no field {name!r}") from None
            if not self.settable(field):
                raise RecordError(f"{name!r} cannot be set from the data file")
        fields, errors = {}, {}
        for field in model._meta.concrete_fields:
            if not self.settable(field):
                continue
            if field.name not in record:
                fields[field.name] = field.get_default()
                continue
            try:
                fields[field.name] = self.convert_value(field, record[field.name])
            except ValidationError as error:
                errors[field.name] = error.messages
        if errors:
            raise ValidationError(errors)
        return fields

    def convert_value(self, field, value):
        if field.name == "organization":
            if value not in self.organizations:
                raise ValidationError(f"no organization with slug {value!r} in the data files")
            return self.organizations[value]
        if field.name == "fellowship":
            if value not in self.fellowships:
                raise ValidationError(f"no fellowship with short name {value!r}")
            return self.fellowships[value]
        if field.name == "place":
            if value is not None and value not in self.places:
                raise ValidationError(f"no place with key {value!r} in the data files")
            return self.places.get(value)
        if isinstance(field, models.DateField) and (match := DAYS_AGO.match(str(value))):
            return self.today - timedelta(days=int(match.group(1) or 0))
        return field.to_python(value)

    def term(self, vocabulary, code):
        try:
            return self.terms[vocabulary, code]
        except KeyError:
            raise RecordError(f"{code!r} is not a {vocabulary} term") from None

    def listing_terms(self, model, terms_by_vocabulary):
        terms = []
        for vocabulary, codes in terms_by_vocabulary.items():
            if vocabulary not in model.vocabularies:
                raise RecordError(
                    f"a {model.__name__} takes terms of {[str(v) for v in model.vocabularies]}, "
                    f"not {vocabulary!r}"
                )
            terms += [self.term(vocabulary, code) for code in codes]
        return terms

    def save(self, model, lookup, fields, terms=None, m2m="terms"):
        """Create or update one object; count whether it was created, updated or unchanged."""
        keys = (lookup,) if isinstance(lookup, str) else lookup
        obj = model.objects.filter(**{key: fields.get(key, "") for key in keys}).first()
        created = obj is None
        obj = obj or model()
        obj._change_reason = HISTORY_REASON
        changed = created
        for name, value in fields.items():
            field = model._meta.get_field(name)
            current = getattr(obj, field.attname)
            wanted = value.pk if field.is_relation and value is not None else value
            if current != wanted:
                setattr(obj, name, value)
                changed = True
        if changed:
            obj.full_clean()
            obj.save()
        if terms is not None:
            wanted_ids = {term.pk for term in terms}
            related = getattr(obj, m2m)
            if created or set(related.values_list("pk", flat=True)) != wanted_ids:
                with one_history_row(obj):
                    related.set(terms)
                changed = True
        outcome = "created" if created else "updated" if changed else "unchanged"
        self.stats[model.__name__][outcome] += 1
        return obj

    def parse_hours(self, hours):
        """{"Mon-Fri": "09:00-17:00", "Sat": "10:00-12:00, 13:00-15:00"} as sorted rows."""
        rows = []
        for days, periods in hours.items():
            for period in periods.split(","):
                try:
                    opens, closes = (time.fromisoformat(t.strip()) for t in period.split("-"))
                except ValueError:
                    raise RecordError(f"hours {days!r}: write periods as 09:00-17:00") from None
                if closes <= opens:
                    raise RecordError(f"hours {days!r}: {period.strip()} closes before it opens")
                rows += [(day, opens, closes) for day in self.parse_days(days)]
        return sorted(rows)

    def parse_days(self, spec):
        if spec == "Daily":
            return list(range(7))
        days = []
        for part in spec.split(","):
            first, _, last = part.strip().partition("-")
            try:
                start = DAY_ABBREVIATIONS.index(first)
                end = DAY_ABBREVIATIONS.index(last or first)
            except ValueError:
                raise RecordError(f"hours: {spec!r} is not a day range like Mon-Fri") from None
            days += [(start + i) % 7 for i in range((end - start) % 7 + 1)]
        return days

    def save_hours(self, listing, rows):
        existing = sorted(listing.opening_hours.values_list("weekday", "opens", "closes"))
        if existing == rows:
            return
        for old in listing.opening_hours.all():
            old._change_reason = HISTORY_REASON  # its history row says why it went
            old.delete()
            self.stats["OpeningHours"]["removed"] += 1
        hours = [OpeningHours(listing=listing, weekday=d, opens=o, closes=c) for d, o, c in rows]
        for row in hours:
            row.full_clean()
        OpeningHours.objects.bulk_create(hours)
        record_history(hours, "+", HISTORY_REASON)
        self.stats["OpeningHours"]["created"] += len(hours)
