"""HSDS 3.0 tables (``tables.py``: a tabular package or an API's pages) → organizations and
services as format-neutral rows (``rows.py``), every problem reported by its position.

What a service becomes (see the README, "Importing from a 211 (HSDS)"):
- its kind and vocabulary terms: its attributes' taxonomy terms, matched by ``mapping.py``;
  a service no term gives a kind to takes the import's default kind, as a draft;
- its phones ("voice" → phone, "text"/"sms" → text number), its first physical location and
  that location's address, its weekly schedules (``byday`` + ``opens_at``/``closes_at``) as
  opening hours, its languages and cost options (→ payment terms, or a sober home's weekly
  rent), its fees description as cost notes, its assured date as last verified.

A row that cannot be a listing (no id, no name, a time that cannot be read, an id used
twice) is a problem: the import stops, unless told to skip such rows. Values that cannot be
kept (a latitude of 100, a schedule that is not weekly) are left out with a warning; terms,
languages and cost options nothing here matches are reported by row.
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal, InvalidOperation

from exchange.hsds import builders
from exchange.hsds.rows import HoursRow, OrganizationRow, ServiceRow
from exchange.models import LISTING_KIND_TARGET
from exchange.reading import coordinate, country_code, email_address, web_address
from resources.models import Listing, Organization

DAYS = {day: number for number, day in enumerate(builders.RRULE_DAYS)}
ZONE_NOTE = re.compile(r"Times are local time in (\S+?)\.")
END_OF_DAY = (time(23, 59), time(0, 0))
TOWN_ONLY = re.compile(r"Only the town is public \((.*)\); the point is rounded to the area\.")
# Tables of the official package nothing here holds.
NOT_READ = (
    "program", "contact", "funding", "service_area", "required_document", "accessibility",
    "metadata", "meta_table_description", "organization_identifier",
)  # fmt: skip
SERVICE_FIELDS_READ = {
    "id", "organization_id", "name", "description", "url", "email", "status",
    "fees_description", "fees", "assured_date", "last_modified", "program_id",
}  # fmt: skip
# What else an attribute may describe (our export's meeting types describe schedules).
OTHER_ENTITIES = ("schedule", "location", "organization", "service_at_location")
LENGTHS = {
    name: Listing._meta.get_field(name).max_length
    for name in ("name", "phone", "cost_notes", "hours_notes", "address_line1", "address_line2",
                 "city", "region", "postal_code")
}  # fmt: skip
ORGANIZATION_NAME_LENGTH = Organization._meta.get_field("name").max_length


@dataclass
class Reading:
    """What reading found wrong: problems (a row that cannot be used), warnings (kind,
    detail) and what nothing here matches ({what: [positions]})."""

    default_kind: tuple = ("community_resource", "wellness")
    problems: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    unmatched: dict = field(default_factory=dict)
    skipped_ids: set = field(default_factory=set)  # services whose listings stay as they are
    inactive_ids: set = field(default_factory=set)  # services the source says have ended

    def warn(self, kind, position, detail):
        self.warnings.append((kind, f"{position}: {detail}"))

    def not_matched(self, what, position):
        self.unmatched.setdefault(what, []).append(position)


def _by(rows, key):
    grouped = {}
    for position, row in rows:
        grouped.setdefault(row.get(key, ""), []).append((position, row))
    return grouped


def _cut(value, name, position, reading):
    limit = LENGTHS[name]
    if len(value) > limit:
        reading.warn("long values shortened", position, f"{name} cut to {limit} characters")
        return value[: limit - 1] + "…"
    return value


def read_organizations(tables, reading):
    organizations = {}
    for position, row in tables.get("organization", []):
        ident, name = row.get("id", ""), row.get("name", "")
        if not ident or not name or ident in organizations:
            if not ident or not name:
                reading.warn("organizations left out", position, "no id or no name")
            continue
        if _is_our_stand_in(row):
            continue  # our export's organization for a listing without one
        organizations[ident] = OrganizationRow(
            position=position,
            external_id=ident,
            name=name[:ORGANIZATION_NAME_LENGTH],
            website=web_address(row.get("website", ""), f"{position} website", reading.warnings),
            description=row.get("description", ""),
        )
    return organizations


def _is_our_stand_in(row):
    return row.get("description") == (
        f"The provider of “{row.get('name', '')}”, listed without an organization."
    )


def read_services(tables, matcher, reading):
    """[ServiceRow] of the active services; problems and warnings go to ``reading``."""
    context = {
        table: _by(tables.get(table, []), key)
        for table, key in (
            ("phone", "service_id"),
            ("schedule", "service_id"),
            ("language", "service_id"),
            ("cost_option", "service_id"),
            ("attribute", "link_id"),
            ("service_at_location", "service_id"),
            ("address", "location_id"),
        )
    }
    context["schedule_at"] = _by(tables.get("schedule", []), "service_at_location_id")
    context["location"] = {row.get("id"): (p, row) for p, row in tables.get("location", [])}
    context["term"] = {row.get("id"): row for _p, row in tables.get("taxonomy_term", [])}
    context["taxonomy"] = {row.get("id"): row for _p, row in tables.get("taxonomy", [])}
    service_ids = {row.get("id") for _p, row in tables.get("service", [])}
    for position, row in tables.get("attribute", []):
        linked = row.get("link_id") in service_ids
        if not linked and row.get("link_entity") not in OTHER_ENTITIES:
            reading.warn(
                "attributes left out", position, f"links to {row.get('link_id')!r}, no service"
            )
    _not_read(tables, reading)
    services, seen = [], set()
    for position, row in tables.get("service", []):
        ident = row.get("id", "")
        if ident in seen:
            reading.problems.append(f"{position}: the service id {ident!r} is used twice")
            reading.skipped_ids.add(ident)
            continue
        seen.add(ident)
        problems = []
        service = _service(position, row, context, matcher, reading, problems)
        if problems:
            reading.problems.append(
                f"{position} ({row.get('name') or 'no name'}): " + "; ".join(problems)
            )
            reading.skipped_ids.add(ident)
        elif service is not None:
            services.append(service)
    return services


def _not_read(tables, reading):
    """Say once what the source holds that nothing here keeps: whole tables, and the
    service fields with a value in some row."""
    for table in NOT_READ:
        if tables.get(table):
            reading.warn("tables not read", table, f"not read ({_rows(len(tables[table]))})")
    unread = Counter(
        name
        for _position, row in tables.get("service", [])
        for name, value in row.items()
        if value and name not in SERVICE_FIELDS_READ
    )
    for name, count in sorted(unread.items()):
        reading.warn("service fields not read", f"service {name}", f"not read ({_rows(count)})")


def _rows(count):
    return f"{count} row" if count == 1 else f"{count} rows"


def _service(position, row, context, matcher, reading, problems):
    ident, name = row.get("id", ""), row.get("name", "")
    if not ident:
        problems.append("no id")
    if not name:
        problems.append("no name")
    elif len(name) > LENGTHS["name"]:
        problems.append(f"name is longer than {LENGTHS['name']} characters")
    status = row.get("status", "active") or "active"
    if status != "active":
        reading.warn("services not active left out", position, f"status {status!r}")
        reading.inactive_ids.add(ident)
        return None
    terms, kinds = _terms(ident, context, matcher, reading)
    hours, open_24_7, notes = _hours(ident, context, reading, problems)
    if problems:
        return None
    kind_matched = bool(kinds)
    kind, _colon, detail = (kinds[0] if kinds else ":".join(reading.default_kind)).partition(":")
    if len(set(kinds)) > 1:
        reading.warn(
            "services with several kinds", position, f"kinds {sorted(set(kinds))}, {kind} kept"
        )
    if not kind_matched:
        reading.not_matched("kind of listing (no term says; imported as a draft)", position)
    service = ServiceRow(
        position=position,
        external_id=ident,
        name=name,
        kind=kind,
        kind_detail=detail,
        kind_matched=kind_matched,
        organization_id=row.get("organization_id", ""),
        description=row.get("description", ""),
        website=web_address(row.get("url", ""), f"{position} url", reading.warnings),
        email=email_address(row.get("email", ""), f"{position} email", reading.warnings),
        cost_notes=_cut(
            row.get("fees_description") or row.get("fees", ""), "cost_notes", position, reading
        ),
        last_verified_on=_date(row.get("assured_date", "")),
        hours=hours,
        open_24_7=open_24_7,
        terms=tuple(sorted(set(terms))),
    )
    zone = ZONE_NOTE.search(notes)
    service.time_zone = zone.group(1) if zone else ""
    service.hours_notes = _cut(ZONE_NOTE.sub("", notes).strip(), "hours_notes", position, reading)
    _phones(service, context, reading)
    _place(service, context, reading)
    _languages_and_costs(service, context, matcher, reading)
    service.offers_phone = bool(service.phone or service.sms)
    return service


def _date(value):
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _terms(service_id, context, matcher, reading):
    terms, kinds = [], []
    for position, attribute in context["attribute"].get(service_id, []):
        term = context["term"].get(attribute.get("taxonomy_term_id"), {})
        taxonomy = context["taxonomy"].get(term.get("taxonomy_id"), {}).get("name") or term.get(
            "taxonomy", ""
        )
        target = matcher.match(
            attribute.get("taxonomy_term_id"), term.get("code"), term.get("name"), taxonomy
        )
        if target is None:
            label = term.get("name") or term.get("code") or attribute.get("taxonomy_term_id", "")
            reading.not_matched(f"taxonomy term {label!r} ({taxonomy or 'no taxonomy'})", position)
        elif target[0] == LISTING_KIND_TARGET:
            kinds.append(target[1])
        else:
            terms.append(target)
    return terms, kinds


def _time(value):
    match = re.fullmatch(r"(\d{1,2}):(\d{2})(?::(\d{2}))?", value or "")
    if not match:
        raise ValueError(value)
    hour, minute = int(match.group(1)), int(match.group(2))
    return time(0, 0) if hour == 24 and minute == 0 else time(hour, minute)


def _hours(service_id, context, reading, problems):
    """(sorted HoursRows, open 24/7, the schedules' first notes) of the service's weekly
    schedules, its own and its locations'."""
    rows = list(context["schedule"].get(service_id, []))
    for _p, at_location in context["service_at_location"].get(service_id, []):
        rows += context["schedule_at"].get(at_location.get("id"), [])
    periods, notes = set(), ""
    # A schedule may name both the service and one of its locations: read it once.
    rows = list({position: (position, row) for position, row in rows}.values())
    for position, row in rows:
        notes = notes or row.get("notes", "")
        days = [day for day in (row.get("byday") or "").split(",") if day.strip()]
        if not days or (row.get("freq") or "WEEKLY").upper() != "WEEKLY":
            reading.warn(
                "schedules that are not weekly left out", position, row.get("description", "")[:80]
            )
            continue
        if any(row.get(name) for name in ("byweekno", "bymonthday", "byyearday")):
            reading.warn("schedule fields not used", position, "byweekno, bymonthday and byyearday")
        try:
            opens, closes = _time(row.get("opens_at")), _time(row.get("closes_at"))
        except ValueError as error:
            problems.append(f"{position}: the time {str(error)!r} cannot be read (HH:MM:SS)")
            continue
        for day in days:
            weekday = DAYS.get(day.strip().upper())
            if weekday is None:
                reading.warn("schedules that are not weekly left out", position, f"byday {day!r}")
                continue
            if closes > opens:
                periods.add(HoursRow(weekday, opens, closes))
            elif closes in END_OF_DAY and opens == time(0):
                periods.add(HoursRow(weekday, opens, time(23, 59)))
            else:  # past midnight: split, as OpeningHours asks
                periods.add(HoursRow(weekday, opens, time(23, 59)))
                if closes != time(0):
                    periods.add(HoursRow((weekday + 1) % 7, time(0), closes))
    hours = tuple(sorted(periods, key=lambda p: (p.weekday, p.opens)))
    all_day = {HoursRow(day, time(0), time(23, 59)) for day in range(7)}
    if all_day <= periods:
        return (), True, notes
    return hours, False, notes


def _phones(service, context, reading):
    for position, row in context["phone"].get(service.external_id, []):
        number = row.get("number", "").strip().strip('"').strip()
        if row.get("extension"):
            number = f"{number} ext. {row['extension']}"
        if len(number) > LENGTHS["phone"]:
            reading.warn("phones left out", position, f"{number[:50]!r} is too long")
            continue
        phone_type = (row.get("type") or "voice").lower()
        if phone_type in ("text", "sms") and not service.sms:
            service.sms = number
        elif phone_type in ("voice", "hotline", "cell") and not service.phone:
            service.phone = number
        else:
            reading.warn(
                "phones left out",
                position,
                f"{phone_type} {number!r}: one phone and one text number are kept",
            )


def _place(service, context, reading):
    physical = []
    for _p, at_location in context["service_at_location"].get(service.external_id, []):
        position, location = context["location"].get(at_location.get("location_id"), (None, None))
        if location is None:
            continue
        if (location.get("location_type") or "physical") == "virtual":
            service.offers_online = True
        else:
            physical.append((position, location))
    if not physical:
        service.offers_online = service.offers_online or bool(service.website)
        return
    if len(physical) > 1:
        reading.warn(
            "locations left out",
            service.position,
            f"{len(physical) - 1} more: a listing has one address",
        )
    position, location = physical[0]
    latitude = coordinate(location.get("latitude"), f"{position} latitude", 90, reading.warnings)
    longitude = coordinate(
        location.get("longitude"), f"{position} longitude", 180, reading.warnings
    )
    if latitude is None or longitude is None:
        latitude = longitude = None
    address = {"latitude": latitude, "longitude": longitude}
    streets = context["address"].get(location.get("id"), [])
    streets.sort(key=lambda item: item[1].get("address_type") != "physical")
    if streets:
        at, street = streets[0]
        address |= {
            "address_line1": _cut(street.get("address_1", ""), "address_line1", at, reading),
            "address_line2": _cut(street.get("address_2", ""), "address_line2", at, reading),
            "city": _cut(street.get("city", ""), "city", at, reading),
            "region": _cut(
                street.get("state_province") or street.get("region", ""), "region", at, reading
            ),
            "postal_code": _cut(street.get("postal_code", ""), "postal_code", at, reading),
            "country": country_code(street.get("country", ""), f"{at} country", reading.warnings),
        }
    town = TOWN_ONLY.fullmatch(location.get("description", ""))
    if not streets and town:
        # Our own export of a listing whose street is private: only its town is public.
        city, _comma, region = town.group(1).rpartition(", ")
        address |= {"city": city or region, "region": region if city else ""}
        address["location_precision"] = "approximate"
    service.address = address
    service.offers_in_person = bool(address.get("address_line1") or latitude is not None)


def _languages_and_costs(service, context, matcher, reading):
    terms = set(service.terms)
    for position, row in context["language"].get(service.external_id, []):
        code = matcher.languages.get((row.get("code") or "").casefold()) or matcher.languages.get(
            (row.get("name") or "").casefold()
        )
        if code:
            terms.add(("language", code))
        else:
            reading.not_matched(f"language {row.get('name') or row.get('code')!r}", position)
    for position, row in context["cost_option"].get(service.external_id, []):
        option = row.get("option") or ""
        code = matcher.payments.get(option.casefold())
        target = matcher.match(None, option, option, "")
        if code:
            terms.add(("payment", code))
        elif target and target[0] == "payment":
            terms.add(target)
        elif option == "Rent" and row.get("amount_description") == "per week":
            try:
                service.weekly_cost = Decimal(row.get("amount", ""))
            except InvalidOperation:
                reading.warn("cost options left out", position, f"amount {row.get('amount')!r}")
        else:
            reading.not_matched(f"cost option {option!r}", position)
    service.terms = tuple(sorted(terms))
