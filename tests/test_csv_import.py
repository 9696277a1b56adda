"""CSV import and export of listings in the admin: a file is previewed, then imported all or
nothing; problems are listed by spreadsheet line; export takes the changelist's filters and
imports back unchanged; bad files get a message, never an error page."""

import csv
import io
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from groups.models import SupportGroup
from moderation.curators import CURATORS_GROUP
from resources import csv_io
from resources.csv_io import files
from resources.models import (
    Clinician,
    CommunityResource,
    Helpline,
    Listing,
    ListingStatus,
    SoberLivingHome,
    Term,
    TreatmentProgram,
)
from resources.vocabularies import Vocabulary
from tests import factories

pytestmark = pytest.mark.django_db

CSV_DIR = Path(__file__).parent / "data" / "csv"


def admin_url(model, view):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}")


def upload(client, model, content, name="listings.csv"):
    """The preview: what the curator sees after choosing a file and pressing Submit."""
    if isinstance(content, Path):
        name, content = content.name, content.read_bytes()
    if isinstance(content, str):
        content = content.encode()
    file = SimpleUploadedFile(name, content, content_type="text/csv")
    return client.post(admin_url(model, "import"), {"format": "0", "import_file": file})


def confirm(client, model, preview):
    """Pressing "Confirm import" on the preview."""
    form = preview.context["confirm_form"]
    data = {name: form.initial[name] for name in form.fields}
    return client.post(admin_url(model, "process_import"), data)


def import_file(client, model, content, name="listings.csv"):
    preview = upload(client, model, content, name)
    assert preview.status_code == 200
    assert preview.context.get("confirm_form") is not None, problems(preview)
    response = confirm(client, model, preview)
    assert response.status_code == 302
    return response


def problems(response):
    """{line: [(column, message)]} listed on the preview."""
    result = response.context["result"]
    if result is None:
        return {}
    found = {}
    for row in result.invalid_rows:
        for column, messages in row.error_dict.items():
            found.setdefault(row.number, []).extend((column, str(m)) for m in messages)
    return found


def export(client, model, query=""):
    response = client.get(admin_url(model, "export") + query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return response.content


def rows_of(content):
    text = content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def codes(listing):
    return set(listing.terms.values_list("vocabulary", "code"))


def page_messages(response):
    return [str(message) for message in response.wsgi_request._messages]


# A good file -------------------------------------------------------------------------


def test_a_good_file_previews_without_saving_then_imports_on_confirm(admin_client, admin_user):
    factories.make_organization(slug="lakeview-health", name="Lakeview Health")

    preview = upload(admin_client, Clinician, CSV_DIR / "clinicians.csv")

    assert preview.status_code == 200
    assert "3 new, 0 changed, 0 unchanged" in preview.content.decode()
    assert "Maria Ramirez, LCSW" in preview.content.decode()
    # The preview wrote nothing: no listing, no history, no admin log entry.
    assert not Clinician.objects.exists()
    assert not Clinician.history.exists()
    assert not LogEntry.objects.exists()

    response = confirm(admin_client, Clinician, preview)

    assert response.status_code == 302
    assert response["Location"] == admin_url(Clinician, "changelist")
    assert "Import finished: 3 new, 0 changed, 0 unchanged." in page_messages(response)
    assert LogEntry.objects.filter(action_flag=ADDITION, user=admin_user).count() == 3
    maria = Clinician.objects.get(slug="maria-ramirez-lcsw")
    assert maria.name == "Maria Ramirez, LCSW"
    assert maria.status == ListingStatus.PUBLISHED
    assert maria.organization.slug == "lakeview-health"
    assert (maria.latitude, maria.longitude) == (Decimal("41.924800"), Decimal("-87.641400"))
    assert maria.time_zone == "America/Chicago"  # from the ZIP code, as in the admin
    assert (maria.offers_in_person, maria.offers_online, maria.offers_phone) == (True, True, False)
    assert maria.last_verified_on == date(2026, 10, 1)
    assert codes(maria) == {
        ("language", "en"),
        ("language", "es"),
        ("payment", "medicaid"),
        ("payment", "sliding-scale"),
        ("therapy_approach", "cbt"),
        ("therapy_approach", "motivational-interviewing"),
    }
    okafor = Clinician.objects.get(slug="dr-samuel-okafor")
    assert okafor.organization.slug == "lakeview-health"  # named by its name
    assert okafor.role == "addiction_medicine"
    assert okafor.accepting_new_clients is False
    assert okafor.last_verified_on == date(2026, 10, 15)  # written 10/15/2026
    jordan = Clinician.objects.get(slug="jordan-lee-cadc")
    assert jordan.role == "therapist"  # written as its label
    assert jordan.organization is None
    assert jordan.kind == "clinician"


def test_imported_listings_are_found_by_search_at_once(admin_client):
    factories.make_organization(slug="lakeview-health", name="Lakeview Health")

    import_file(admin_client, Clinician, CSV_DIR / "clinicians.csv")

    found = Listing.objects.published().search("spanish therapist")
    assert [listing.slug for listing in found] == ["maria-ramirez-lcsw"]
    assert "buprenorphine" in Listing.objects.get(slug="dr-samuel-okafor").search_document
    page = admin_client.get("/search/", {"q": "Okafor"})
    assert "Dr. Samuel Okafor" in page.content.decode()


def test_an_import_writes_one_history_row_per_listing_with_the_curator(admin_client, admin_user):
    factories.make_organization(slug="lakeview-health", name="Lakeview Health")
    existing = factories.make_clinician(slug="maria-ramirez-lcsw", name="Maria Ramirez")
    history_before = existing.history.count()

    import_file(admin_client, Clinician, CSV_DIR / "clinicians.csv")

    created = Clinician.objects.get(slug="dr-samuel-okafor")
    [record] = created.history.all()
    assert record.history_type == "+"
    assert record.history_user == admin_user
    assert record.history_change_reason == "CSV import (clinicians.csv)"
    changes = existing.history.all()[: existing.history.count() - history_before]
    assert {r.history_change_reason for r in changes} == {"CSV import (clinicians.csv)"}
    assert {r.history_user for r in changes} == {admin_user}
    assert changes[0].name == "Maria Ramirez, LCSW"


def test_every_kind_of_listing_can_be_imported(admin_client):
    files = {
        TreatmentProgram: (
            "slug,name,status,offers_in_person,level_of_care,accreditation,"
            "is_opioid_treatment_program,license_number\n"
            "north-clinic,North Clinic,draft,yes,outpatient|detox,carf,yes,IL-123\n"
        ),
        SoberLivingHome: (
            "slug,name,serves,beds_total,beds_available,beds_updated_on,certification,"
            "allows_medication,weekly_cost,location_precision\n"
            "elm-house,Elm House,women,8,2,2026-11-01,narr_2,yes,$175.50,approximate\n"
        ),
        Helpline: (
            "slug,name,status,phone,offers_in_person,offers_phone,helpline_type,scope\n"
            "warm-line,Warm Line,published,800-555-0100,no,yes,hotline,national\n"
        ),
        CommunityResource: (
            "slug,name,resource_type,population\njobs-now,Jobs Now,vocational,veterans\n"
        ),
        SupportGroup: (
            "slug,name,fellowship,language\n"
            "tuesday-hope,Tuesday Hope,NA,es\n"
            "sunday-smart,Sunday SMART,smart recovery,en\n"
        ),
    }
    for model, content in files.items():
        import_file(admin_client, model, content)

    program = TreatmentProgram.objects.get(slug="north-clinic")
    assert program.is_opioid_treatment_program
    assert codes(program) == {
        ("level_of_care", "outpatient"),
        ("level_of_care", "detox"),
        ("accreditation", "carf"),
    }
    home = SoberLivingHome.objects.get(slug="elm-house")
    assert (home.beds_total, home.beds_available, home.weekly_cost) == (8, 2, Decimal("175.50"))
    assert home.certification == "narr_2"
    assert Helpline.objects.get(slug="warm-line").status == ListingStatus.PUBLISHED
    assert CommunityResource.objects.get(slug="jobs-now").resource_type == "vocational"
    assert SupportGroup.objects.get(slug="tuesday-hope").fellowship.short_name == "NA"
    assert SupportGroup.objects.get(slug="sunday-smart").fellowship.short_name == "SMART"


# Updating --------------------------------------------------------------------------


def test_a_known_slug_updates_that_listing_and_leaves_other_columns_alone(admin_client):
    listing = factories.make_clinician(
        slug="maria-ramirez",
        name="Maria Ramirez",
        credentials="LCSW",
        terms={Vocabulary.LANGUAGE: ["en"], Vocabulary.PAYMENT: ["medicaid"]},
    )
    other = factories.make_clinician(slug="someone-else", phone="312-555-0199")

    preview = upload(
        admin_client, Clinician, "slug,phone,language\nmaria-ramirez,312-555-0177,en|es\n"
    )

    assert "0 new, 1 changed, 0 unchanged" in preview.content.decode()
    confirm(admin_client, Clinician, preview)
    listing.refresh_from_db()
    assert listing.phone == "312-555-0177"
    assert (listing.name, listing.credentials) == ("Maria Ramirez", "LCSW")
    # Languages replaced; payment, not in the file, kept.
    assert codes(listing) == {("language", "en"), ("language", "es"), ("payment", "medicaid")}
    other.refresh_from_db()
    assert other.phone == "312-555-0199"
    assert Clinician.objects.count() == 2


def test_a_slug_of_another_kind_is_a_row_error_not_a_second_listing(admin_client):
    factories.make_treatment_program(slug="north-clinic")

    preview = upload(admin_client, Clinician, "slug,name,role\nnorth-clinic,North,therapist\n")

    [(column, message)] = problems(preview)[2]
    assert column == "slug"
    assert "another kind (Treatment program)" in message
    assert not Clinician.objects.exists()


# Bad rows ---------------------------------------------------------------------------


def test_bad_rows_change_nothing_and_are_listed_by_spreadsheet_line(admin_client):
    existing = factories.make_clinician(
        slug="good-row-clinician", name="Before", status=ListingStatus.DRAFT
    )

    preview = upload(admin_client, Clinician, CSV_DIR / "clinicians_bad_rows.csv")

    assert preview.status_code == 200
    assert preview.context.get("confirm_form") is None
    found = problems(preview)
    # Line 2's description spans two lines of text but is one spreadsheet row; line 5 is blank.
    assert sorted(found) == [3, 4, 6, 7]
    [(column, message)] = found[3]
    assert column == "language"
    assert "“sp”, “xx”" in message
    assert "en, es, zh" in message  # the allowed codes
    assert found[4][0][0] == "status"
    assert "draft, pending_review, published, archived" in found[4][0][1]
    assert found[6] == [
        (
            "latitude",
            "A published in-person listing needs its street address, or its latitude and "
            "longitude.",
        )
    ]
    assert {column for column, _message in found[7]} == {"latitude", "offers_in_person", "role"}
    page = preview.content.decode()
    assert "Nothing was imported: 4 rows have problems" in page
    assert "“forty-one” is not a number." in page
    existing.refresh_from_db()
    assert existing.name == "Before"
    assert Clinician.objects.count() == 1


def test_model_rules_and_database_constraints_become_row_errors(admin_client):
    content = (
        "slug,name,serves,beds_total,beds_available,beds_updated_on,weekly_cost,email,country\n"
        "too-many-beds,Too Many Beds,men,4,6,2026-11-01,,,US\n"
        "no-date,No Date,men,4,2,,,,US\n"
        "bad-email,Bad Email,all,,,,,not-an-email,USA\n"
        "unnamed,,all,,,,,,\n"
        "negative-cost,Negative Cost,all,,,,-5,,US\n"
        "huge-cost,Huge Cost,all,,,,1e40,,US\n"
    )

    preview = upload(admin_client, SoberLivingHome, content)

    found = problems(preview)
    assert found[2] == [("beds_available", "Available beds cannot be more than the beds in total.")]
    assert found[3] == [("beds_updated_on", "Say when the number of available beds was checked.")]
    assert {column for column, _message in found[4]} == {"email", "country"}
    assert found[5] == [("name", "This field cannot be blank.")]
    # Caught by the database's check constraint, in the preview already.
    assert found[6] == [
        ("__all__", "Constraint “sober_home_weekly_cost_not_negative” is violated.")
    ]
    assert found[7] == [("weekly_cost", "“1e40” is too large.")]
    assert not SoberLivingHome.objects.exists()


def test_unknown_and_retired_terms_and_organizations_are_named(admin_client):
    Term.objects.filter(vocabulary=Vocabulary.PAYMENT, code="va").update(is_active=False)
    keeps_retired = factories.make_clinician(slug="keeps", terms={Vocabulary.PAYMENT: ["va"]})
    content = (
        "slug,name,role,payment,organization\n"
        "adds-retired,Adds Retired,therapist,va,\n"
        "keeps,Keeps,therapist,va|medicaid,\n"
        "unknown-org,Unknown Org,therapist,,Nowhere Health\n"
    )

    found = problems(upload(admin_client, Clinician, content))

    assert found[2] == [
        ("payment", "Retired, so only kept on listings that already have it: “va”.")
    ]
    assert 3 not in found
    assert found[4] == [
        (
            "organization",
            "No organization “Nowhere Health”: add it in the admin first, or check the spelling.",
        )
    ]
    assert codes(keeps_retired) == {("payment", "va")}


def test_a_slug_twice_in_one_file_is_an_error_on_the_second_line(admin_client):
    content = "slug,name,role\nsame,First,therapist\nsame,Second,therapist\n"

    found = problems(upload(admin_client, Clinician, content))

    assert found == {3: [("slug", "“same” is on an earlier line of this file too.")]}


def test_a_row_that_turns_bad_after_the_preview_stops_the_whole_import(admin_client):
    preview = upload(admin_client, Clinician, CSV_DIR / "clinicians_bad_rows.csv")
    good = "slug,name,role\nfirst-one,First One,therapist\nsecond-one,Second One,therapist\n"
    preview = upload(admin_client, Clinician, good)
    # Someone else takes the second slug for a program before the curator confirms.
    factories.make_treatment_program(slug="second-one")

    response = confirm(admin_client, Clinician, preview)

    assert response.status_code == 302
    assert response["Location"] == admin_url(Clinician, "import")
    [message] = page_messages(response)
    assert message.startswith("Nothing was imported. line 3:")
    assert not Clinician.objects.exists()


def test_confirming_twice_does_not_import_twice(admin_client):
    preview = upload(admin_client, Clinician, "slug,name,role\nonce,Once,therapist\n")
    confirm(admin_client, Clinician, preview)

    again = confirm(admin_client, Clinician, preview)

    assert again.status_code == 302
    assert "no longer here" in page_messages(again)[-1]
    assert Clinician.objects.filter(slug="once").count() == 1


# Bad files --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("file_name", "message"),
    [
        ("not_utf8.csv", "The file is not UTF-8 text."),
        ("empty.csv", "The submitted file is empty."),
        ("header_only.csv", "The file has a header line but no listings under it."),
        ("workbook.xlsx", "This is a spreadsheet workbook, not a CSV file."),
        ("picture.png", "This is not a text file."),
        ("too_many_cells.csv", "Line 2 has more cells than the header has columns"),
    ],
)
def test_a_file_that_cannot_be_read_gets_a_message(admin_client, file_name, message):
    response = upload(admin_client, Clinician, CSV_DIR / file_name)

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["import_file"])
    assert response.context.get("confirm_form") is None
    assert not Clinician.objects.exists()


def test_missing_and_unknown_columns_are_named(admin_client):
    response = upload(admin_client, Clinician, CSV_DIR / "no_slug.csv")

    page = response.content.decode()
    assert "The file was not imported" in page
    assert "The file needs a “slug” column" in page
    assert "Unknown columns: phon." in page
    assert response.context.get("confirm_form") is None
    assert "Traceback" not in page


def test_headers_are_read_as_people_type_them(admin_client):
    content = "Slug,Name ,ROLE,Last verified on,\nspaced,Spaced,therapist,2026-01-02,\n,,,,\n"

    import_file(admin_client, Clinician, content)

    assert Clinician.objects.get(slug="spaced").last_verified_on == date(2026, 1, 2)


def test_files_over_the_size_or_row_limit_are_refused(admin_client, monkeypatch):
    monkeypatch.setattr(files, "MAX_UPLOAD_BYTES", 100)
    monkeypatch.setattr(files, "MAX_ROWS", 2)
    big = "slug,name,role\n" + "x" * 200 + ",Big,therapist\n"
    many = "slug,name,role\na,A,therapist\nb,B,therapist\nc,C,therapist\n"

    too_big = upload(admin_client, Clinician, big)
    too_many = upload(admin_client, Clinician, many)

    assert "upload at most 0 MB" in too_big.context["form"].errors["import_file"][0]
    assert (
        "The file has 3 listings; import at most 2 at a time."
        in (too_many.context["form"].errors["import_file"][0])
    )


# Export -----------------------------------------------------------------------------


def test_export_then_import_changes_nothing(admin_client):
    organization = factories.make_organization(slug="lakeview-health")
    factories.make_clinician(
        name="Maria Ramirez, LCSW",
        organization=organization,
        description="Line one.\nLine two, with “quotes”.",
        terms={Vocabulary.LANGUAGE: ["es", "en"], Vocabulary.MEDICATION: ["buprenorphine"]},
    )
    factories.make_treatment_program(terms={Vocabulary.LEVEL_OF_CARE: ["outpatient"]})
    factories.make_sober_living_home(
        beds_total=6, beds_available=1, beds_updated_on=date(2026, 11, 1)
    )
    factories.make_helpline(sms="741741", scope="national")
    factories.make_community_resource(terms={Vocabulary.POPULATION: ["veterans"]})
    factories.make_support_group(fellowship=factories.fellowship("NA"))
    models = [
        Clinician,
        TreatmentProgram,
        SoberLivingHome,
        Helpline,
        CommunityResource,
        SupportGroup,
    ]
    before = {
        listing.pk: (listing.updated_at, sorted(codes(listing)))
        for listing in Listing.objects.all()
    }

    for model in models:
        content = export(admin_client, model)
        assert content.startswith(b"\xef\xbb\xbf")  # a BOM, so that Excel reads UTF-8
        assert len(rows_of(content)) == 1
        preview = upload(admin_client, model, content, name="export.csv")
        assert "0 new, 0 changed, 1 unchanged" in preview.content.decode(), problems(preview)
        confirm(admin_client, model, preview)

    after = {
        listing.pk: (listing.updated_at, sorted(codes(listing)))
        for listing in Listing.objects.all()
    }
    assert after == before


def test_exported_columns_are_readable_and_complete(admin_client):
    maria = factories.make_clinician(
        slug="maria",
        organization=factories.make_organization(slug="lakeview-health"),
        terms={Vocabulary.LANGUAGE: ["es", "en"]},
    )

    [row] = rows_of(export(admin_client, Clinician))

    assert list(row) == list(csv_io.columns_of(Clinician))
    assert row["slug"] == "maria"
    assert row["organization"] == "lakeview-health"
    assert row["language"] == "en|es"  # in the vocabulary's order
    assert row["offers_in_person"] == "yes"
    assert row["latitude"] == "41.924800"
    assert row["last_verified_on"] == maria.last_verified_on.isoformat()  # YYYY-MM-DD
    assert row["role"] == "therapist"


def test_export_takes_the_changelist_filters_and_search(admin_client):
    factories.make_clinician(slug="lake-published", name="Lakeview Therapy")
    factories.make_clinician(slug="lake-draft", name="Lakeview Draft", status=ListingStatus.DRAFT)
    factories.make_clinician(slug="river-published", name="Riverside Therapy")

    changelist = admin_client.get(
        admin_url(Clinician, "changelist"), {"status__exact": "published", "q": "lakeview"}
    )
    export_link = admin_url(Clinician, "export") + "?q=lakeview&status__exact=published"
    assert export_link.replace("&", "&amp;") in changelist.content.decode()

    rows = rows_of(export(admin_client, Clinician, "?status__exact=published&q=lakeview"))
    assert [row["slug"] for row in rows] == ["lake-published"]
    everything = rows_of(export(admin_client, Clinician))
    assert {row["slug"] for row in everything} == {
        "lake-published",
        "lake-draft",
        "river-published",
    }


def test_selected_rows_can_be_exported_with_an_action(admin_client):
    chosen = factories.make_clinician(slug="chosen")
    factories.make_clinician(slug="not-chosen")

    response = admin_client.post(
        admin_url(Clinician, "changelist"),
        {"action": "export_selected_csv", "_selected_action": [chosen.pk]},
    )

    assert response.status_code == 200
    assert [row["slug"] for row in rows_of(response.content)] == ["chosen"]


# Who may --------------------------------------------------------------------------


def staff_with(django_user_model, *codenames):
    user = django_user_model.objects.create_user("curator", password="x", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def test_a_curator_may_import(client, django_user_model):
    curator = django_user_model.objects.create_user("curator", password="x", is_staff=True)
    curator.groups.add(Group.objects.get(name=CURATORS_GROUP))
    client.force_login(curator)

    assert (
        admin_url(Clinician, "import")
        in client.get(admin_url(Clinician, "changelist")).content.decode()
    )
    import_file(client, Clinician, "slug,name,role\nby-curator,By Curator,therapist\n")

    assert Clinician.objects.filter(slug="by-curator").exists()


def test_staff_who_may_only_view_can_export_but_not_import(client, django_user_model):
    client.force_login(staff_with(django_user_model, "view_clinician"))
    factories.make_clinician(slug="visible")

    page = client.get(admin_url(Clinician, "changelist")).content.decode()

    assert admin_url(Clinician, "import") not in page
    assert client.get(admin_url(Clinician, "import")).status_code == 403
    assert upload(client, Clinician, "slug,name,role\nx,X,therapist\n").status_code == 403
    assert [row["slug"] for row in rows_of(export(client, Clinician))] == ["visible"]
    assert not Clinician.objects.filter(slug="x").exists()


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    for url in (admin_url(Clinician, "import"), admin_url(Clinician, "export")):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


# Cost -----------------------------------------------------------------------------


def clinician_rows(count, start=0):
    lines = ["slug,name,status,phone,latitude,longitude,language,payment,role,organization"]
    for number in range(start, start + count):
        lines.append(
            f"bulk-{number},Bulk Clinician {number},published,312-555-{number:04d},"
            f"41.92,-87.64,en|es,medicaid,therapist,lakeview-health"
        )
    return "\n".join(lines) + "\n"


def timed_import(client, content):
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        import_file(client, Clinician, content)
        seconds = time.perf_counter() - started
    return len(queries), seconds


def test_queries_grow_linearly_with_the_rows(admin_client):
    factories.make_organization(slug="lakeview-health")

    small, _seconds = timed_import(admin_client, clinician_rows(20))
    large, seconds = timed_import(admin_client, clinician_rows(200, start=100))

    print(f"\n200-row import (preview and confirm): {large} queries, {seconds:.1f} s")
    assert Clinician.objects.count() == 220
    # Each row is validated, saved, indexed for search and logged in the history: a fixed
    # number of queries per row on each of the two passes, none for the other rows.
    assert large <= 10 * small
    assert large / 200 < 80


def test_export_with_filters_the_list_does_not_have_goes_back_to_the_list(admin_client):
    response = admin_client.get(admin_url(Clinician, "export") + "?nonsense=1")

    assert response.status_code == 302
    assert response["Location"] == admin_url(Clinician, "changelist") + "?e=1"
    assert page_messages(response) == ["The list's filters in the address are not valid."]


def test_a_confirmation_naming_another_file_is_refused(admin_client):
    preview = upload(admin_client, Clinician, "slug,name,role\nonce,Once,therapist\n")
    form = preview.context["confirm_form"]
    data = {name: form.initial[name] for name in form.fields}
    data["import_file_name"] = "../etc/passwd"

    response = admin_client.post(admin_url(Clinician, "process_import"), data)

    assert response.status_code == 200
    assert "Upload the file again." in response.content.decode()
    assert not Clinician.objects.exists()
