"""Files as DfE's services and MIS suppliers write them, and a preview and finish a data lead can trust:
a CTF with no BasicDetails (the multiplication tables check service's), the year group from the date of
birth, the partial-cohort warning, the preview's pupil list (own-school staff only, audited, flat query
count), the finish page in words, and the CSV template's guide and example rows."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnership.core.models import AuditEvent
from partnership.core.schoolyear import year_group_for
from partnership.directory.tests.factories import SchoolFactory
from partnership.outcomes import views_import
from partnership.outcomes.imports import ImportRejectedError, csv_template, parse_results, result_import
from partnership.outcomes.imports.csv_format import EXAMPLE_UPN
from partnership.outcomes.models import Measure, Pupil, PupilYear, Result
from partnership.outcomes.tests.test_import_csv import HEADER, pupil_row, to_csv
from partnership.outcomes.upn import make_upn

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 7, 20)


# The year group from the date of birth.


@pytest.mark.parametrize(
    ("born", "year", "year_group"),
    [
        ("2014-09-01", 2024, 5),  # the oldest in Year 5: turns 10 on the first day of 2024/25
        ("2014-08-31", 2024, 6),  # the youngest in Year 6: turns 11 on the last day of 2024/25
        ("2013-09-01", 2024, 6),  # the oldest in Year 6
        ("2019-09-01", 2024, 0),  # turns 5 on 1 September 2024: Reception
        ("2020-08-31", 2024, 0),  # turns 5 on 31 August 2025: the youngest in Reception
        ("2020-09-01", 2024, -1),  # turns 4 in 2024/25: Nursery
        ("2019-01-15", 2024, 1),  # turns 6 in January 2025: Year 1
        ("2016-06-30", 2024, 4),  # turns 9 in June 2025: Year 4, the MTC year
    ],
)
def test_year_group_for_follows_the_english_rule(born, year, year_group):
    assert year_group_for(datetime.date.fromisoformat(born), year) == year_group


# A CTF from the multiplication tables check service: no BasicDetails, no histories.


def mtc_pupil(upn: str, surname: str, forename: str, dob: str, sex: str, score: str) -> str:
    return f"""    <Pupil>
      <UPN>{upn}</UPN>
      <Surname>{surname}</Surname>
      <Forename>{forename}</Forename>
      <DOB>{dob}</DOB>
      <Sex>{sex}</Sex>
      <StageAssessments>
        <KeyStage>
          <Stage>MTC</Stage>
          <StageAssessment>
            <Locale>ENG</Locale><Year>2025</Year><Subject>MTC</Subject><Method>TT</Method>
            <ResultStatus>F</ResultStatus><Result>{score}</Result>
          </StageAssessment>
        </KeyStage>
      </StageAssessments>
    </Pupil>
"""


def mtc_ctf(school, pupils: list[str]) -> bytes:
    return (
        f"""<?xml version="1.0" encoding="UTF-8"?>
<CTfile>
  <Header>
    <DocumentName>Common Transfer File</DocumentName>
    <CTFversion>25.0</CTFversion>
    <DocumentQualifier>partial</DocumentQualifier>
    <SupplierID>STA MTC</SupplierID>
    <SourceSchool>
      <LEA>{school.la_code}</LEA>
      <Estab>{school.establishment_number}</Estab>
      <URN>{school.urn}</URN>
      <SchoolName>{school.name}</SchoolName>
      <AcademicYear>2024/2025</AcademicYear>
    </SourceSchool>
  </Header>
  <CTFpupilData>
{"".join(pupils)}  </CTFpupilData>
</CTfile>
"""
    ).encode()


@pytest.fixture
def school():
    return SchoolFactory(urn="123456", la_code="820", establishment_number="1234", name="Hawthorn Primary School")


UPN_A, UPN_B = make_upn(820, 1234, 21, 1), make_upn(820, 1234, 21, 2)


def two_mtc_pupils() -> list[str]:
    return [
        mtc_pupil(UPN_A, "Fernsby", "Amara", "2015-10-02", "F", "25"),
        mtc_pupil(UPN_B, "Okonjo", "Tobias", "2016-08-19", "M", "18"),
    ]


def test_a_ctf_without_basic_details_imports_with_the_year_group_from_the_date_of_birth(school):
    report = result_import(school=school, data=mtc_ctf(school, two_mtc_pupils()), filename="mtc.xml", today=TODAY)

    assert report.summary() == "imported 2 pupils, 2 results, 0 skipped"
    assert {py.pupil.upn: py.year_group for py in PupilYear.objects.select_related("pupil")} == {UPN_A: 4, UPN_B: 4}
    assert Result.objects.get(pupil__upn=UPN_A, measure=Measure.MTC, academic_year=2024).score == 25
    (year_note, *history_notes) = report.notes
    assert year_note.startswith("2 pupils in the file have no year group (no NCyearActual")
    assert "worked out from the date of birth" in year_note
    assert history_notes == [
        "The file has no free school meals history, SEN history or first language for 2 pupils: what the school "
        "already has for 2024/25 is kept, and a pupil new to that year is recorded as not disadvantaged, no SEN "
        "and not EAL."
    ]
    assert all(change.year_group_from_birth for change in report.pupil_changes)


def test_a_minimal_ctf_keeps_the_year_group_and_characteristics_the_school_has(school):
    pupil = Pupil.objects.create(
        school=school, upn=UPN_A, surname="Fernsby", forename="Amara", date_of_birth="2015-10-02", sex="F"
    )
    # Kept back a year, disadvantaged, SEN support, EAL: the MTC file knows none of this.
    PupilYear.objects.create(
        pupil=pupil, academic_year=2024, year_group=3, disadvantaged=True, sen_provision="K", eal=True
    )
    report = result_import(school=school, data=mtc_ctf(school, two_mtc_pupils()), filename="mtc.xml", today=TODAY)

    row = PupilYear.objects.get(pupil=pupil, academic_year=2024)
    assert (row.year_group, row.disadvantaged, row.sen_provision, row.eal) == (3, True, "K", True)
    new = PupilYear.objects.get(pupil__upn=UPN_B, academic_year=2024)
    assert (new.year_group, new.disadvantaged, new.sen_provision, new.eal) == (4, False, "N", False)
    amara = next(c for c in report.pupil_changes if c.upn == UPN_A)
    assert (amara.status, amara.year_group, amara.year_group_from_birth) == ("unchanged", 3, False)
    assert amara.results_added == ["Multiplication tables check"]


def test_a_full_ctf_without_ncyearactual_still_reads_its_histories(school):
    from partnership.outcomes.tests.test_import_ctf import CTF_25_YEAR6

    data = CTF_25_YEAR6.replace("<NCyearActual>6</NCyearActual>", "").encode()
    report = result_import(school=school, data=data, filename="a.xml")
    assert set(PupilYear.objects.filter(academic_year=2024).values_list("year_group", flat=True)) == {6}
    assert PupilYear.objects.get(pupil__upn="P820123400001", academic_year=2024).disadvantaged
    assert len(report.notes) == 1 and report.notes[0].startswith("3 pupils in the file have no year group")


def test_a_date_of_birth_outside_primary_is_a_problem_when_there_is_no_year_group(school):
    pupils = [*two_mtc_pupils(), mtc_pupil(make_upn(820, 1234, 21, 3), "Lund", "Ola", "2013-05-01", "F", "20")]
    with pytest.raises(ImportRejectedError) as caught:
        result_import(school=school, data=mtc_ctf(school, pupils), filename="mtc.xml", today=TODAY)
    (problem,) = caught.value.report.problems
    assert problem.field == "NCyearActual"
    assert problem.reason == (
        "missing, and the date of birth 2013-05-01 puts the pupil in Year 7 in 2024/25, not a primary year group"
    )
    assert Pupil.objects.count() == 0


def test_the_command_prints_how_the_file_was_read(school, tmp_path, capsys):
    path = tmp_path / "mtc.xml"
    path.write_bytes(mtc_ctf(school, two_mtc_pupils()))
    call_command("import_results", "--school", school.urn, str(path))
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1] == "imported 2 pupils, 2 results, 0 skipped"
    assert any(line.startswith("note: 2 pupils in the file have no year group") for line in out)


# The partial-cohort warning.


def cohort(school, year: int, year_group: int, n: int) -> None:
    for i in range(n):
        pupil = Pupil.objects.create(
            school=school,
            upn=make_upn(820, 1234, 10 + year_group, 500 + 40 * year_group + i),
            surname=f"Earlier{i}",
            forename="Pupil",
            date_of_birth=datetime.date(year - year_group - 5, 11, 1),
            sex="F",
        )
        PupilYear.objects.create(pupil=pupil, academic_year=year, year_group=year_group)


def year4_rows(n: int) -> list[dict[str, str]]:
    return [
        pupil_row(make_upn(820, 1234, 24, i), surname=f"Pupil{i}", year_group="4", date_of_birth="2015-11-04", mtc="20")
        for i in range(n)
    ]


@pytest.mark.parametrize(
    ("had", "in_file", "warned"),
    [(20, 14, True), (20, 15, False), (6, 2, False), (30, 30, False), (0, 3, False)],
    ids=["70%-and-6-fewer", "75%", "only-4-fewer", "whole-cohort", "no-year-before"],
)
def test_a_file_with_far_fewer_pupils_in_a_year_group_than_last_year_warns(school, had, in_file, warned):
    cohort(school, 2023, 4, had)
    report = result_import(school=school, data=to_csv(year4_rows(in_file)), filename="y4.csv", dry_run=True)
    expected = (
        [
            f"Year 4 in 2024/25: the file has {in_file} pupils, but the school had {had} in Year 4 in 2023/24. "
            "This may be part of the year group only (a class, or a filter left on in the MIS export); if so, "
            "export the whole year group before importing."
        ]
        if warned
        else []
    )
    assert report.warnings == expected


def test_the_warning_compares_each_year_group_on_its_own(school):
    cohort(school, 2023, 4, 20)
    cohort(school, 2023, 6, 20)
    rows = year4_rows(20) + [pupil_row(make_upn(820, 1234, 22, i), surname=f"Six{i}") for i in range(5)]
    report = result_import(school=school, data=to_csv(rows), filename="y4y6.csv", dry_run=True)
    assert len(report.warnings) == 1 and report.warnings[0].startswith("Year 6 in 2024/25: the file has 5 pupils")


# The upload page: the preview's pupil list and the finish page.


def upload(client, school, data: bytes, name: str = "results.csv"):
    return client.post(reverse("outcomes:import_upload", args=[school.slug]), {"file": SimpleUploadedFile(name, data)})


def existing_pupil(school, upn: str, surname: str, **year) -> Pupil:
    pupil = Pupil.objects.create(
        school=school, upn=upn, surname=surname, forename="Isla", date_of_birth="2013-11-04", sex="F"
    )
    PupilYear.objects.create(pupil=pupil, academic_year=2024, year_group=6, **year)
    return pupil


def test_the_preview_lists_each_pupil_with_year_group_and_what_will_change(client, world):
    own = world.own
    upn_new, upn_updated, upn_same = make_upn(820, 1234, 19, 1), make_upn(820, 1234, 19, 2), make_upn(820, 1234, 19, 3)
    updated = existing_pupil(own, upn_updated, "Brooke")
    Result.objects.create(pupil=updated, academic_year=2024, measure=Measure.KS2_READING, score=99, met_expected=True)
    existing_pupil(own, upn_same, "Brook")
    data = to_csv(
        [
            pupil_row(upn_new, surname="Achterberg", forename="Milo", ks2_maths="104"),
            pupil_row(upn_updated, surname="Brook", disadvantaged="Y", ks2_reading="101", ks2_maths="95"),
            pupil_row(upn_same, surname="Brook"),
        ]
    )
    client.force_login(world["head"])
    response = upload(client, own, data)
    assert response.status_code == 200
    rows = {c.upn: c for c in response.context["pupils"]}
    assert (rows[upn_new].status, rows[upn_new].results_added) == ("new", ["KS2 maths"])
    changed = rows[upn_updated]
    assert changed.status == "updated"
    assert changed.changed == ["surname", "disadvantaged in 2024/25"]
    assert (changed.results_added, changed.results_changed) == (["KS2 maths"], ["KS2 reading"])
    assert (rows[upn_same].status, rows[upn_same].results_added) == ("unchanged", [])
    page = response.content.decode()
    assert "What will change for each pupil" in page
    assert "Milo Achterberg" in page and "New pupil" in page and "Year 6, 2024/25" in page
    assert "Updated: surname, disadvantaged in 2024/25" in page and "Changed: KS2 reading" in page
    assert "Unchanged" in page and "No change" in page
    # Showing pupils is a view of pupil data: audited with the count, never a name or UPN.
    event = AuditEvent.objects.get(verb="view_pupils")
    assert (event.actor, event.school_id, event.detail["count"]) == (world["head"], own.pk, 3)
    assert upn_new not in str(event.detail) and "Milo" not in str(event.detail)
    assert Pupil.objects.filter(upn=upn_new).count() == 0  # nothing saved yet


def test_the_preview_lists_in_year_assessments_with_the_results(client, world):
    upn = make_upn(820, 1234, 19, 4)
    data = to_csv([pupil_row(upn, ks2_reading="101", reading_autumn="EXS", maths_spring="GDS")])
    client.force_login(world["head"])
    (change,) = upload(client, world.own, data).context["pupils"]
    assert change.results_added == ["KS2 reading", "Reading assessment (autumn)", "Maths assessment (spring)"]


def test_the_pupil_list_is_only_for_those_who_may_view_pupils(client, world, monkeypatch):
    real_can = views_import.access.can

    def can(user, action, obj):  # an importer who may not see pupils (should the policy ever allow it)
        return False if action == "view_pupils" else real_can(user, action, obj)

    monkeypatch.setattr(views_import.access, "can", can)
    client.force_login(world["head"])
    response = upload(client, world.own, to_csv([pupil_row(make_upn(820, 1234, 19, 1), forename="Milo")]))
    assert response.status_code == 200 and response.context["pupils"] == []
    page = response.content.decode()
    assert "What will change for each pupil" not in page and "Milo" not in page
    assert "Check before importing" in page
    assert not AuditEvent.objects.filter(verb="view_pupils").exists()


def test_the_preview_shows_the_year_group_note_and_the_partial_cohort_warning(client, world):
    own = world.own
    own.urn, own.la_code, own.establishment_number = "123456", "820", "1234"
    own.save()
    cohort(own, 2023, 4, 20)
    client.force_login(world["head"])
    response = upload(client, own, mtc_ctf(own, two_mtc_pupils()), name="mtc.xml")
    page = response.content.decode()
    assert "How this file was read" in page and "worked out from the date of birth" in page
    assert "Year 4, 2024/25 (from date of birth)" in page
    assert "Year 4 in 2024/25: the file has 2 pupils, but the school had 20" in page
    assert 'class="govuk-warning-text"' in page


def preview_queries(client, school, n: int) -> int:
    rows = []
    for i in range(n):
        upn = make_upn(820, 1234, 18, i)
        if i % 2:
            existing_pupil(school, upn, "Old")
        rows.append(pupil_row(upn, surname=f"Pupil{i}", ks2_reading="100", ks2_maths="101", ks2_writing="EXS"))
    with CaptureQueriesContext(connection) as ctx:
        response = upload(client, school, to_csv(rows))
    assert response.status_code == 200 and len(response.context["pupils"]) == n
    return len(ctx.captured_queries)


def test_the_preview_query_count_does_not_grow_with_the_file(client, world):
    client.force_login(world["head"])
    small = preview_queries(client, world.own, 4)
    Pupil.objects.all().delete()
    large = preview_queries(client, world.own, 60)
    assert small == large


def test_the_finish_page_says_what_was_imported_and_links_to_the_years_outcomes(client, world):
    own = world.own
    client.force_login(world["head"])
    data = to_csv(
        [
            pupil_row(make_upn(820, 1234, 19, 1), ks2_reading="104", ks2_maths="111", ks2_writing="EXS"),
            pupil_row(make_upn(820, 1234, 19, 2), surname="Lund", forename="Ola", ks2_reading="96", ks2_maths="A"),
        ]
    )
    sha256 = upload(client, own, data).context["report"].sha256
    response = client.post(reverse("outcomes:import_confirm", args=[own.slug]), {"sha256": sha256})
    page = response.content.decode()
    assert "imported 2 pupils, 6 results, 0 skipped" in page
    assert "2 new pupils added, 0 pupils updated and 0 pupils already up to date." in page
    assert "6 results added, 0 changed and 0 already the same." in page
    assert (
        "For 2024/25, KS2 reading: 2 added; KS2 maths: 2 added; KS2 writing (teacher assessment): 1 added; "
        "KS2 reading, writing and maths combined: 1 added." in page
    )
    link = reverse("outcomes:school_outcomes", args=[own.slug]) + "?year=2024"
    assert f'href="{link}"' in page and "Own Primary: outcomes for 2024/25" in page


# The CSV template: a guide to each column and an example row, neither of them imported.


def test_the_template_has_a_guide_and_an_example_row_that_are_never_imported(school):
    lines = csv_template().decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(HEADER)
    assert lines[1].startswith('"GUIDE: this row and the example below are not imported. Unique pupil number')
    assert "Year 6 teacher assessment: GDS, EXS, WTS" in lines[1]
    assert lines[2].startswith(f"{EXAMPLE_UPN},Example,Pupil,2014-03-09,F,2024,6,N,N,N")
    with pytest.raises(Exception, match="no rows of pupils"):
        parse_results(csv_template(), school=school)

    # Filled in below the example, only the school's own pupils are imported, and the two rows are named.
    filled = csv_template() + to_csv([pupil_row(make_upn(820, 1234, 19, 7), ks2_reading="104")]).split(b"\r\n", 1)[1]
    report = result_import(school=school, data=filled, filename="template.csv")
    assert report.summary() == "imported 1 pupils, 1 results, 2 skipped"
    assert [(p.where, p.field) for p in report.skipped] == [("row 2", "upn"), ("row 3", "upn")]
    assert "example pupil" in report.skipped[1].reason
    assert not Pupil.objects.filter(upn=EXAMPLE_UPN).exists()


def test_the_example_row_is_skipped_even_when_excel_has_re_saved_it(school):
    text = csv_template().decode("utf-8-sig").splitlines()
    rows = [text[0], text[2].lower(), *to_csv([pupil_row(make_upn(820, 1234, 19, 8))]).decode().splitlines()[1:]]
    report = result_import(school=school, data="\r\n".join(rows).encode(), filename="t.csv")
    assert report.pupils.new == 1 and report.skip_count == 1


def test_the_template_guide_row_has_a_reason_for_every_column():
    guide = next(iter(__import__("csv").reader(io.StringIO(csv_template().decode("utf-8-sig").splitlines()[1]))))
    assert len(guide) == len(HEADER) and all(cell.strip() for cell in guide)
