"""Importing schools from a GIAS extract: file-level rejection, row-level skips, idempotence and the command."""

import csv
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnership.core.errors import ApplicationError
from partnership.core.models import AuditEvent
from partnership.directory import gias
from partnership.directory.gias import gias_import, map_phase, parse_gias
from partnership.directory.models import School
from partnership.directory.tests.factories import SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "URN",
    "LA (code)",
    "LA (name)",
    "EstablishmentNumber",
    "EstablishmentName",
    "TypeOfEstablishment (name)",
    "EstablishmentStatus (name)",
    "PhaseOfEducation (name)",
    "Street",
    "Locality",
    "Address3",
    "Town",
    "County (name)",
    "Postcode",
    "SchoolWebsite",
    "TelephoneNum",
]


def gias_row(
    urn: str,
    la: str,
    estab: str,
    name: str,
    *,
    kind: str = "Community school",
    status: str = "Open",
    phase: str = "Primary",
    street: str = "School Lane",
    locality: str = "",
    town: str = "Ashford",
    postcode: str = "TW15 1AB",
    website: str = "",
) -> list[str]:
    return [
        urn,
        la,
        "Surrey",
        estab,
        name,
        kind,
        status,
        phase,
        street,
        locality,
        "",
        town,
        "Surrey",
        postcode,
        website,
        "",
    ]


def fixture_rows() -> list[list[str]]:
    """Rows 2-11 of a small, realistic extract: five good schools, five to skip."""
    return [
        gias_row("112233", "936", "2001", "Ashford Park Primary School", website="www.ashfordpark.surrey.sch.uk"),
        gias_row("112234", "936", "2002", "Riverside Infant School", postcode="TW15 2CD"),
        gias_row("112235", "936", "3003", "St Peter's C of E Junior School", kind="Voluntary aided school"),
        gias_row("12345", "936", "2003", "Five Digit Primary School"),  # row 5: bad URN
        gias_row("112236", "936", "2004", "Old Mill Primary School", status="Closed"),  # row 6
        gias_row("112237", "93", "2005", "Short LA Primary School"),  # row 7
        gias_row("112238", "936", "205", "Short Estab Primary School"),  # row 8
        gias_row("112239", "936", "2006", "   "),  # row 9: no name
        gias_row(
            " 140000 ",
            "936",
            "4001",
            "  Hillside Academy  ",
            kind="Academy converter",
            status="Open, but proposed to close",
            phase="Middle deemed primary",
            website="https://hillside.example.org/",
        ),
        gias_row(
            "145000", "936", "7001", "Brook Special School", kind="Community special school", phase="Not applicable"
        ),
    ]


def to_csv(rows: list[list[str]], header: list[str] = HEADER, encoding: str = "utf-8") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


EXPECTED_SKIPS = [
    (5, "URN", "must be 6 digits"),
    (6, "EstablishmentStatus (name)", "closed"),
    (7, "LA (code)", "must be 3 digits"),
    (8, "EstablishmentNumber", "must be 4 digits"),
    (9, "EstablishmentName", "missing"),
]


def test_import_creates_schools_and_reports_skipped_rows_with_reasons():
    report = gias_import(file=to_csv(fixture_rows()))

    assert (report.created, report.updated, report.unchanged) == (5, 0, 0)
    assert [tuple(s) for s in report.skipped] == EXPECTED_SKIPS
    assert report.summary() == "created 5, updated 0, unchanged 0, skipped 5"
    assert set(School.objects.values_list("urn", flat=True)) == {"112233", "112234", "112235", "140000", "145000"}

    ashford = School.objects.get(urn="112233")
    assert (ashford.la_code, ashford.establishment_number, ashford.laestab) == ("936", "2001", "9362001")
    assert ashford.slug == "ashford-park-primary-school"
    assert ashford.website == "https://www.ashfordpark.surrey.sch.uk"
    assert ashford.address == "School Lane, Ashford, TW15 1AB"
    hillside = School.objects.get(urn="140000")
    assert hillside.name == "Hillside Academy"  # trimmed
    assert hillside.establishment_type == "Academy converter"
    phases = dict(School.objects.values_list("urn", "phase"))
    assert phases == {
        "112233": "primary",
        "112234": "infant",
        "112235": "junior",
        "140000": "middle",
        "145000": "special",
    }


def test_each_created_school_is_audited_once_by_the_importer():
    gias_import(file=to_csv(fixture_rows()))
    events = AuditEvent.objects.filter(object_type="directory.school")
    assert events.count() == 5
    assert set(events.values_list("verb", flat=True)) == {"create"}
    assert set(events.values_list("actor_label", flat=True)) == {"import_gias"}
    event = events.get(object_id=str(School.objects.get(urn="112234").pk))
    assert event.detail["urn"] == "112234" and event.detail["row"] == 3
    assert event.school_id == School.objects.get(urn="112234").pk


def test_a_signed_in_actor_is_recorded():
    actor = UserFactory()
    gias_import(file=to_csv(fixture_rows()[:1]), actor=actor)
    event = AuditEvent.objects.get(object_type="directory.school")
    assert event.actor == actor and event.actor_label == actor.email


def test_rerunning_the_same_file_changes_nothing():
    data = to_csv(fixture_rows())
    gias_import(file=data)
    stamps = dict(School.objects.values_list("urn", "updated_at"))
    events = AuditEvent.objects.count()

    again = gias_import(file=io.BytesIO(data))

    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert [tuple(s) for s in again.skipped] == EXPECTED_SKIPS
    assert dict(School.objects.values_list("urn", "updated_at")) == stamps
    assert AuditEvent.objects.count() == events


def test_a_corrected_file_updates_in_place_and_creates_the_fixed_rows():
    gias_import(file=to_csv(fixture_rows()))
    riverside = School.objects.get(urn="112234")
    rows = fixture_rows()
    rows[1] = gias_row("112234", "936", "2002", "Riverside Infant and Nursery School", postcode="TW15 9ZZ")
    rows[3] = gias_row("112240", "936", "2003", "Five Digit Primary School")  # URN fixed

    report = gias_import(file=to_csv(rows))

    assert (report.created, report.updated, report.unchanged) == (1, 1, 4)
    assert [s.row for s in report.skipped] == [6, 7, 8, 9]
    riverside.refresh_from_db()
    assert riverside.name == "Riverside Infant and Nursery School"
    assert riverside.postcode == "TW15 9ZZ"
    assert riverside.slug == "riverside-infant-school"  # the slug stays put: links keep working
    assert School.objects.filter(urn="112234").count() == 1
    update = AuditEvent.objects.get(verb="update", object_id=str(riverside.pk))
    assert update.detail["changes"] == {
        "name": ["Riverside Infant School", "Riverside Infant and Nursery School"],
        "postcode": ["TW15 2CD", "TW15 9ZZ"],
    }


def test_dry_run_reports_but_saves_nothing():
    report = gias_import(file=to_csv(fixture_rows()), dry_run=True)
    assert report.summary() == "created 5, updated 0, unchanged 0, skipped 5"
    assert report.dry_run
    assert School.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_columns_the_file_does_not_have_are_left_alone():
    SchoolFactory(urn="112233", la_code="936", establishment_number="2001", name="Ashford Park Primary School")
    School.objects.filter(urn="112233").update(town="Ashford", website="https://kept.example.org/", postcode="TW15 1AB")
    header = ["URN", "LA (code)", "EstablishmentNumber", "EstablishmentName", "TypeOfEstablishment (name)"]
    header += ["PhaseOfEducation (name)", "Postcode"]
    data = to_csv([["112233", "936", "2001", "Ashford Park Primary School", "", "Primary", "TW15 1AB"]], header)

    report = gias_import(file=data)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 1)
    school = School.objects.get(urn="112233")
    assert (school.town, school.website) == ("Ashford", "https://kept.example.org/")


def test_laestab_used_by_a_different_urn_is_skipped():
    SchoolFactory(urn="100001", la_code="936", establishment_number="2001", name="Existing School")
    report = gias_import(file=to_csv(fixture_rows()[:2]))
    assert report.created == 1
    assert [tuple(s) for s in report.skipped] == [
        (2, "EstablishmentNumber", "LAESTAB 9362001 is already used by URN 100001")
    ]
    assert not School.objects.filter(urn="112233").exists()


def test_duplicates_within_the_file_are_skipped():
    rows = [
        gias_row("112233", "936", "2001", "Ashford Park Primary School"),
        gias_row("112233", "936", "2009", "Ashford Park Primary School (again)"),
        gias_row("112299", "936", "2001", "Same LAESTAB Primary School"),
    ]
    report = gias_import(file=to_csv(rows))
    assert report.created == 1
    assert [tuple(s) for s in report.skipped] == [
        (3, "URN", "appears more than once in the file (first at row 2)"),
        (4, "EstablishmentNumber", "LAESTAB 9362001 is already used by URN 112233"),
    ]


def test_a_school_can_move_to_a_new_laestab():
    gias_import(file=to_csv(fixture_rows()[:1]))
    report = gias_import(file=to_csv([gias_row("112233", "936", "2999", "Ashford Park Primary School")]))
    assert report.updated == 1
    assert School.objects.get(urn="112233").establishment_number == "2999"
    report = gias_import(file=to_csv([gias_row("112300", "936", "2001", "New School on the Old Number")]))
    assert report.created == 1


def test_overlong_required_values_skip_the_row():
    rows = [
        gias_row("112234", "936", "2002", "A" * 201),
        gias_row("112235", "936", "2003", "Postcode Primary", postcode="TW15 1AB EXTRA"),
    ]
    report = gias_import(file=to_csv(rows))
    assert report.created == 0
    assert [tuple(s) for s in report.skipped] == [
        (2, "EstablishmentName", "longer than 200 characters"),
        (3, "Postcode", "longer than 10 characters"),
    ]
    assert report.warnings == []


def test_a_malformed_optional_value_imports_the_school_and_warns():
    rows = [
        gias_row("112233", "936", "2001", "Ashford Park Primary School", website="not a website"),
        gias_row("112234", "936", "2002", "Riverside Infant School", street="S" * 201, website="www.riverside.sch.uk"),
    ]
    report = gias_import(file=to_csv(rows))

    assert (report.created, report.skipped) == (2, [])
    assert [tuple(w) for w in report.warnings] == [
        (2, "SchoolWebsite", "not a valid web address; the school is imported without it"),
        (3, "Street", "longer than 200 characters; the school is imported without it"),
    ]
    ashford, riverside = School.objects.get(urn="112233"), School.objects.get(urn="112234")
    assert (ashford.name, ashford.website) == ("Ashford Park Primary School", "")
    assert (riverside.street, riverside.website) == ("", "https://www.riverside.sch.uk")


def test_a_malformed_optional_value_keeps_what_the_school_has():
    SchoolFactory(urn="112233", la_code="936", establishment_number="2001", website="https://kept.example.org/")
    rows = [gias_row("112233", "936", "2001", "Ashford Park Primary School", website="01234 567890")]
    report = gias_import(file=to_csv(rows))
    assert report.updated == 1 and len(report.warnings) == 1
    school = School.objects.get(urn="112233")
    assert (school.name, school.website) == ("Ashford Park Primary School", "https://kept.example.org/")


def test_the_command_prints_the_warnings(tmp_path):
    path = tmp_path / "gias.csv"
    path.write_bytes(to_csv([gias_row("112233", "936", "2001", "Ashford Park Primary School", website="n/a")]))
    out = io.StringIO()
    call_command("import_gias", str(path), stdout=out)
    assert out.getvalue().splitlines() == [
        "warning: row 2, SchoolWebsite: not a valid web address; the school is imported without it",
        "created 1, updated 0, unchanged 0, skipped 0",
    ]


def test_windows_1252_file_with_curly_apostrophe_and_accents():
    rows = [
        gias_row("112233", "936", "2001", "St Mary’s Catholic Primary School"),
        gias_row("112234", "202", "6001", "École Française Jacques Prévert", kind="Other independent school"),
    ]
    data = to_csv(rows, encoding="cp1252")
    assert b"\x92" in data and b"\xc9" in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")

    report = gias_import(file=data)

    assert report.created == 2
    st_marys = School.objects.get(urn="112233")
    assert st_marys.name == "St Mary’s Catholic Primary School"
    assert st_marys.slug == "st-marys-catholic-primary-school"
    ecole = School.objects.get(urn="112234")
    assert ecole.name == "École Française Jacques Prévert"
    assert ecole.slug == "ecole-francaise-jacques-prevert"
    assert gias_import(file=data).unchanged == 2


def test_utf8_file_with_bom():
    data = to_csv([gias_row("112233", "936", "2001", "École Saint-Benoît")], encoding="utf-8-sig")
    assert data.startswith(b"\xef\xbb\xbf")
    report = gias_import(file=data)
    assert report.created == 1
    assert School.objects.get(urn="112233").name == "École Saint-Benoît"
    # The same school saved as Windows-1252 is the same school: nothing to change.
    assert (
        gias_import(file=to_csv([gias_row("112233", "936", "2001", "École Saint-Benoît")], encoding="cp1252")).unchanged
        == 1
    )


def test_formula_prefixes_are_stored_as_text_and_nul_bytes_stripped():
    rows = [
        gias_row("112233", "936", "2001", '=HYPERLINK("http://x","Oak\x00 Tree")', locality="+44 lane", town="@Town")
    ]
    gias_import(file=to_csv(rows))
    school = School.objects.get(urn="112233")
    assert school.name == '=HYPERLINK("http://x","Oak Tree")'
    assert (school.locality, school.town) == ("+44 lane", "@Town")


def test_header_names_are_matched_loosely_and_blank_lines_ignored():
    header = [" urn ", "la (CODE)", "EstablishmentNumber", "Establishment Name", "TypeOfEstablishment (name)"]
    header += ["PhaseOfEducation (name)", "Postcode"]
    text = (
        ",".join(header)
        + "\r\n\r\n112233,936,2001,Ashford Park Primary School,,Primary,TW15 1AB\r\n,,,,,,\r\n12,936,2002,X,,,\r\n"
    )
    with pytest.raises(ApplicationError, match="EstablishmentName"):
        gias_import(file=text.encode())
    text = text.replace("Establishment Name", "establishmentname")
    report = gias_import(file=text.encode())
    assert report.created == 1
    assert [tuple(s) for s in report.skipped] == [(5, "URN", "must be 6 digits")]


@pytest.mark.parametrize(
    ("phase", "name", "kind", "expected"),
    [
        ("Primary", "Ashford Park Primary School", "", "primary"),
        ("Primary", "Riverside Infants' School", "", "infant"),
        ("Primary", "Hilltop Junior School", "", "junior"),
        ("Primary", "Greenfield First School", "", "first"),
        ("Primary", "Oakwood Infant and Junior School", "", "primary"),
        ("Secondary", "First Avenue Junior School", "", "secondary"),
        ("Nursery", "Little Acorns Nursery School", "", "nursery"),
        ("Middle deemed primary", "Hillside Middle School", "", "middle"),
        ("Middle deemed secondary", "Valley Middle School", "", "middle"),
        ("All-through", "Northgate Academy", "", "all_through"),
        ("16 plus", "Sixth Form College", "", "other"),
        ("Not applicable", "Brook School", "Community special school", "special"),
        ("Not applicable", "Pupil Referral Unit", "Pupil referral unit", "other"),
        ("  PRIMARY ", "St Anne's", "", "primary"),
        ("Something new", "School", "", "other"),
        ("", "School", "", "other"),
    ],
)
def test_phase_mapping(phase, name, kind, expected):
    assert map_phase(phase, name, kind) == expected


# File-level problems reject the whole file and save nothing.


def assert_rejected(data, match: str) -> None:
    with pytest.raises(ApplicationError, match=match):
        gias_import(file=data)
    assert School.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_missing_columns_reject_the_file_and_name_them():
    header = [c for c in HEADER if c not in ("LA (code)", "Postcode")]
    rows = [[v for c, v in zip(HEADER, row, strict=True) if c in header] for row in fixture_rows()]
    with pytest.raises(ApplicationError) as excinfo:
        gias_import(file=to_csv(rows, header))
    assert excinfo.value.message == "The file is missing required columns: LA (code), Postcode."
    assert School.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_oversize_file_is_rejected(monkeypatch):
    data = to_csv(fixture_rows())
    monkeypatch.setattr(gias, "MAX_BYTES", len(data) - 1)
    assert_rejected(data, "larger than")
    assert_rejected(io.BytesIO(data), "larger than")
    monkeypatch.setattr(gias, "MAX_BYTES", len(data))
    assert gias_import(file=io.BytesIO(data)).created == 5


def test_too_many_rows_is_rejected_even_when_the_first_rows_are_good(monkeypatch):
    monkeypatch.setattr(gias, "MAX_ROWS", 4)
    assert_rejected(to_csv(fixture_rows()), "more than 4 rows")
    monkeypatch.setattr(gias, "MAX_ROWS", 10)
    assert gias_import(file=to_csv(fixture_rows())).created == 5


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"", "empty"),
        (b"\xef\xbb\xbf \r\n", "empty"),
        (
            b"URN,LA (code),EstablishmentNumber,EstablishmentName,TypeOfEstablishment (name),"
            b"PhaseOfEducation (name),Postcode\r\n",
            "no rows",
        ),
        (b"PK\x03\x04\x14\x00\x06\x00", "Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Excel"),
        ("URN,LA (code)\r\n".encode("utf-16"), "UTF-16"),
        (b"%PDF-1.7\n", "PDF"),
        (b"\x00\x01\x02\x00\x00\x00binary", "binary"),
        (b"URN,LA (code),Name\r\n\x81\x8d\xff,\xc3\x28\r\n", "not UTF-8 or Windows-1252"),
        (b"\xef\xbb\xbfURN,Name\r\n\xe9cole\r\n", "UTF-8 marker"),
        (b"Dear colleague,\n\nPlease find the list attached.\n", "missing required columns"),
        (b"just some text\nwith no commas\n", "does not look like a CSV"),
        (b"URN;LA (code);EstablishmentNumber\n", "does not look like a CSV"),
        (b"URN,URN,LA (code)\r\n", "appears more than once"),
    ],
)
def test_files_that_are_not_gias_csvs_are_rejected(data, match):
    assert_rejected(data, match)


def test_a_field_too_large_for_csv_is_rejected():
    data = to_csv([gias_row("112233", "936", "2001", "Ashford"), gias_row("112234", "936", "2002", "x" * 200_000)])
    assert_rejected(data, "row 3 could not be read")


# Properties: anything at all is either imported or rejected with an ApplicationError, never half-saved.

GIAS_COLUMNS = list(gias.REQUIRED_COLUMNS) + list(gias.OPTIONAL_COLUMNS) + [gias.STATUS_COLUMN]
anything = st.one_of(st.text(max_size=30), st.text(alphabet=st.characters(codec="cp1252"), max_size=30))
CELLS = {
    "URN": st.one_of(st.sampled_from(["112233", "112234", "112235", " 140000 "]), st.from_regex(r"\A[0-9]{5,7}\Z")),
    "LA (code)": st.sampled_from(["936", "202", "93", "9360", ""]),
    "EstablishmentNumber": st.sampled_from(["2001", "2002", "2003", "205", "x"]),
    "EstablishmentName": st.one_of(st.sampled_from(["Riverside Infant School", "=1+1", "", "St Mary’s"]), anything),
    "EstablishmentStatus (name)": st.sampled_from(["Open", "Closed", "Proposed to open", ""]),
    "PhaseOfEducation (name)": st.one_of(st.sampled_from(["Primary", "Not applicable", "16 plus"]), anything),
    "SchoolWebsite": st.one_of(st.sampled_from(["", "www.school.sch.uk", "http://x.org/a", "not a url"]), anything),
}


@st.composite
def csvish_files(draw) -> bytes:
    """CSV text that often gets past the headings, so rows are checked and written too."""
    if draw(st.integers(0, 4)) == 0:  # now and then, headings that are not GIAS's at all
        header = draw(st.lists(st.one_of(st.sampled_from(GIAS_COLUMNS), st.text(max_size=10)), max_size=14))
        rows = draw(st.lists(st.lists(anything, max_size=len(header) + 2), max_size=8))
    else:
        columns = list(gias.REQUIRED_COLUMNS) + draw(
            st.lists(st.sampled_from([*gias.OPTIONAL_COLUMNS, gias.STATUS_COLUMN]), unique=True)
        )
        header = draw(st.permutations(columns + ["LA (name)", "TelephoneNum"]))
        rows = []
        for _ in range(draw(st.integers(0, 8))):
            row = [draw(CELLS.get(column, anything)) for column in header]
            rows.append(row[: draw(st.integers(0, len(row)))] if draw(st.integers(0, 9)) == 0 else row)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator=draw(st.sampled_from(["\r\n", "\n", "\r"])))
    writer.writerow(header)
    writer.writerows(rows)
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    return out.getvalue().encode(encoding, errors="replace")


any_file = st.one_of(
    st.binary(max_size=500),
    st.text(max_size=500).map(lambda t: t.encode("utf-8", errors="surrogatepass")),
    st.text(alphabet=st.characters(codec="cp1252"), max_size=500).map(lambda t: t.encode("cp1252")),
    csvish_files(),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=any_file, dry_run=st.booleans())
def test_any_input_is_imported_or_rejected_cleanly(data, dry_run):
    with transaction.atomic():
        SchoolFactory(urn="112233", la_code="936", establishment_number="2001", name="Existing Primary School")
        schools, events = School.objects.count(), AuditEvent.objects.count()
        try:
            report = gias_import(file=data, dry_run=dry_run)
        except ApplicationError as exc:
            assert exc.message
            assert School.objects.count() == schools
            assert AuditEvent.objects.count() == events
        else:
            saved = 0 if dry_run else report.created
            assert School.objects.count() == schools + saved
            assert AuditEvent.objects.count() == events + (0 if dry_run else report.created + report.updated)
            assert all(s.row >= 2 for s in report.skipped)
            for school in School.objects.all():
                school.full_clean()
        transaction.set_rollback(True)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=any_file)
def test_parsing_is_pure_and_deterministic(data):
    try:
        first = parse_gias(data)
    except ApplicationError as exc:
        with pytest.raises(ApplicationError, match=re.escape(exc.message)):
            parse_gias(data)
    else:
        assert parse_gias(data) == first


# The command.


def test_command_prints_skipped_rows_and_a_summary(tmp_path):
    path = tmp_path / "edubasealldata20250101.csv"
    path.write_bytes(to_csv(fixture_rows(), encoding="cp1252"))
    out = io.StringIO()

    call_command("import_gias", str(path), stdout=out)

    lines = out.getvalue().splitlines()
    assert lines == [
        "row 5, URN: must be 6 digits",
        "row 6, EstablishmentStatus (name): closed",
        "row 7, LA (code): must be 3 digits",
        "row 8, EstablishmentNumber: must be 4 digits",
        "row 9, EstablishmentName: missing",
        "created 5, updated 0, unchanged 0, skipped 5",
    ]
    out = io.StringIO()
    call_command("import_gias", str(path), stdout=out)
    assert out.getvalue().splitlines()[-1] == "created 0, updated 0, unchanged 5, skipped 5"


def test_command_dry_run_saves_nothing(tmp_path):
    path = tmp_path / "gias.csv"
    path.write_bytes(to_csv(fixture_rows()))
    out = io.StringIO()
    call_command("import_gias", str(path), "--dry-run", stdout=out)
    assert out.getvalue().splitlines()[-2:] == [
        "Dry run: nothing was saved.",
        "created 5, updated 0, unchanged 0, skipped 5",
    ]
    assert School.objects.count() == 0


def test_command_fails_with_the_message_for_a_rejected_file(tmp_path):
    path = tmp_path / "gias.csv"
    path.write_bytes(to_csv([["112233"]], ["URN"]))
    with pytest.raises(CommandError, match="missing required columns: LA \\(code\\)"):
        call_command("import_gias", str(path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="Cannot open"):
        call_command("import_gias", str(tmp_path / "nope.csv"), stdout=io.StringIO())
    assert School.objects.count() == 0
