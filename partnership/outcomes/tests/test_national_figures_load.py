# ruff: noqa: E501 - the data files are quoted as EES writes them, one row a line
"""Loading national figures for England: by hand, or from the explore-education-statistics CSV
of a release, with the source recorded, every change audited and nothing saved from a file that
cannot be read."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partnership.core.errors import ApplicationError
from partnership.core.models import AuditEvent
from partnership.outcomes import services
from partnership.outcomes.imports.ees import parse_ees
from partnership.outcomes.models import NationalFigure

pytestmark = pytest.mark.django_db

# The shape of EES's "Key stage 2 attainment: National headlines" data set: one national row a year.
HEADLINES = """time_period,time_identifier,geographic_level,country_code,country_name,school_type,version,total_rwm_eligible_pupils,pt_rwm_met_expected_standard,count_rwm_met_expected_standard,pt_non_assessed
201819,Academic year,National,E92000001,England,State-funded schools,Final,653721,65,424919,z
202122,Academic year,National,E92000001,England,State-funded schools,Final,667655,59,393916,z
202223,Academic year,National,E92000001,England,State-funded schools,Revised,673011,60,403807,z
202324,Academic year,National,E92000001,England,State-funded schools,Revised,680126,61,414877,z
202425,Academic year,National,E92000001,England,State-funded schools,Revised,679921,62,421551,z
"""

# The shape of "attainment by school type and pupil characteristics": many national rows a year.
CHARACTERISTICS = """time_period,time_identifier,geographic_level,country_code,country_name,version,characteristic_group,characteristic,school_type,t_rwm_eligible_pupils,t_rwm_met_expected_standard,pt_rwm_met_expected_standard
202425,Academic year,National,E92000001,England,Revised,Total,Total,State-funded mainstream schools,650000,403000,62
202425,Academic year,National,E92000001,England,Revised,Total,Total,LA maintained schools,300000,189000,63
202425,Academic year,National,E92000001,England,Revised,Sex,Boys,State-funded mainstream schools,330000,191400,58
202425,Academic year,National,E92000001,England,Revised,Sex,Girls,State-funded mainstream schools,320000,211200,66
202425,Academic year,Regional,E92000001,England,Revised,Total,Total,State-funded mainstream schools,90000,55800,62
"""

# The shape of "attainment by region and local authority": one row per subject.
SUBJECTS = """time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,version,establishment_type_group,subject,sex,eligible_pupil_count,expected_standard_pupil_percent,higher_standard_pupil_percent
202324,Academic year,National,E92000001,England,,,Final,State-funded schools,"Reading, writing and maths",Total,680126,61,8
202324,Academic year,National,E92000001,England,,,Final,State-funded schools,Reading,Total,680126,74,28
202324,Academic year,National,E92000001,England,,,Final,Academies,Reading,Total,400000,73,27
202324,Academic year,National,E92000001,England,,,Final,State-funded schools,Reading,Boys,340000,70,24
202324,Academic year,Local authority,E92000001,England,E12000001,North East,Final,State-funded schools,Reading,Total,27000,76,30
"""


def figures(text: str, measure: str = "ks2_rwm", statistic: str = "expected_pct", column: str = "") -> dict:
    found = parse_ees(text.encode(), measure=measure, statistic=statistic, column=column)
    return {f.academic_year: f.value for f in found.figures}


def test_the_headline_file_gives_one_figure_a_year():
    assert figures(HEADLINES) == {2018: 65, 2021: 59, 2022: 60, 2023: 61, 2024: 62}
    found = parse_ees(HEADLINES.encode(), measure="ks2_rwm", statistic="expected_pct")
    assert found.column == "pt_rwm_met_expected_standard"
    assert found.figures[-1].version == "Revised"


def test_a_file_by_characteristic_reads_the_total_row_for_all_state_funded_mainstream_schools():
    assert figures(CHARACTERISTICS) == {2024: 62}


def test_a_file_by_subject_reads_the_subjects_row():
    assert figures(SUBJECTS) == {2023: 61}
    assert figures(SUBJECTS, "ks2_reading") == {2023: 74}
    assert figures(SUBJECTS, "ks2_reading", "higher_pct") == {2023: 28}


def test_a_published_symbol_is_a_note_not_a_figure():
    text = HEADLINES.replace(
        "202122,Academic year,National,E92000001,England,State-funded schools,Final,667655,59",
        "202122,Academic year,National,E92000001,England,State-funded schools,Final,667655,x",
    )
    found = parse_ees(text.encode(), measure="ks2_rwm", statistic="expected_pct")
    assert 2021 not in {f.academic_year for f in found.figures}
    assert found.notes == ["2021/22: no figure published (“x”)."]


@pytest.mark.parametrize(
    ("text", "kwargs", "message"),
    [
        ("urn,pupils\n1,2\n", {}, "not an explore-education-statistics data file"),
        (HEADLINES.replace("National", "Regional"), {}, "no national rows for England"),
        (HEADLINES.replace("202425", "2024-25"), {}, "Row 6, time_period"),
        (HEADLINES.replace("202425", "202426"), {}, "Row 6, time_period"),
        (HEADLINES, {"measure": "phonics_y1"}, "Could not tell which column"),
        (HEADLINES, {"column": "nonsense"}, "no column called “nonsense”"),
        (HEADLINES, {"column": "school_type"}, "does not hold figures"),
        (HEADLINES, {"column": "count_rwm_met_expected_standard"}, "is not between 0 and 100"),
        (
            CHARACTERISTICS.replace(",Total,Total,", ",Sex,Other,"),
            {},
            "differ in “characteristic” (boys, girls, other)",
        ),
        (SUBJECTS, {"measure": "ks2_maths"}, "no national rows for the subject “maths”"),
    ],
)
def test_files_that_cannot_be_read_say_why(text, kwargs, message):
    args = {"measure": "ks2_rwm", "statistic": "expected_pct", **kwargs}
    with pytest.raises(ApplicationError) as caught:
        parse_ees(text.encode(), **args)
    assert message in caught.value.message


def test_a_column_can_be_named_when_the_file_is_not_recognised():
    text = HEADLINES.replace("pt_rwm_met_expected_standard", "rwm_pct")
    assert figures(text, column="rwm_pct")[2024] == 62


def test_binary_and_hostile_files_are_refused():
    with pytest.raises(ApplicationError):
        parse_ees(b"PK\x03\x04" + b"\x00" * 100, measure="ks2_rwm", statistic="expected_pct")
    with pytest.raises(ApplicationError):
        parse_ees(b"\xff\xfe" + "time_period".encode("utf-16-le"), measure="ks2_rwm", statistic="expected_pct")


def test_loading_a_file_records_the_source_audits_each_change_and_can_be_run_again(world):
    coordinator = world["coordinator"]
    NationalFigure.objects.filter(measure="ks2_rwm", academic_year=2024, statistic="expected_pct").update(
        value=Decimal("59")
    )
    load = services.load_national_figures_file(
        actor=coordinator,
        data=HEADLINES.encode(),
        filename="ks2_headlines.csv",
        measure="ks2_rwm",
        statistic="expected_pct",
    )
    by_year = {c.academic_year: c for c in load.changes}
    assert by_year[2018].previous is None and by_year[2018].value == 65  # new
    assert by_year[2024].previous == 59 and by_year[2024].value == 62  # corrected
    assert not by_year[2023].changed  # already 61
    figure = NationalFigure.objects.get(measure="ks2_rwm", academic_year=2024, statistic="expected_pct")
    assert figure.source == "explore-education-statistics: ks2_headlines.csv (pt_rwm_met_expected_standard, revised)"
    assert figure.added_by == coordinator
    events = AuditEvent.objects.filter(object_type="outcomes.nationalfigure")
    assert {(e.verb, e.detail["previous"]) for e in events} >= {("create", None), ("update", "59.00")}
    again = services.load_national_figures_file(
        actor=coordinator,
        data=HEADLINES.encode(),
        filename="ks2_headlines.csv",
        measure="ks2_rwm",
        statistic="expected_pct",
    )
    assert not any(c.changed for c in again.changes)
    assert AuditEvent.objects.filter(object_type="outcomes.nationalfigure").count() == events.count()


def test_a_year_that_has_not_happened_is_not_loaded(world, settings):
    text = HEADLINES + "203031,Academic year,National,E92000001,England,State-funded schools,Provisional,1,70,1,z\n"
    load = services.load_national_figures_file(
        actor=world["admin"], data=text.encode(), filename="x.csv", measure="ks2_rwm", statistic="expected_pct"
    )
    assert "2030/31: not loaded, that year has not happened." in load.notes
    assert not NationalFigure.objects.filter(academic_year=2030).exists()


def test_only_coordinators_and_administrators_may_load(world):
    for person in ("head", "teacher", "governor", "adviser"):
        with pytest.raises(ApplicationError):
            services.record_national_figure(
                actor=world[person],
                measure="ks2_rwm",
                academic_year=2025,
                statistic="expected_pct",
                value=Decimal("63"),
                source="x",
            )
    assert not NationalFigure.objects.filter(academic_year=2025).exists()


def test_a_figure_by_hand_needs_a_source_and_a_sensible_value(world):
    args = {"actor": world["coordinator"], "measure": "mtc", "academic_year": 2025, "statistic": "mean"}
    with pytest.raises(ApplicationError, match="Enter where the figure was published"):
        services.record_national_figure(**args, value=Decimal("21"), source="  ")
    with pytest.raises(ApplicationError, match="between 0 and 25"):
        services.record_national_figure(**args, value=Decimal("61"), source="MTC attainment 2025/26")
    with pytest.raises(ApplicationError, match="years that have happened"):
        services.record_national_figure(**{**args, "academic_year": 2040}, value=Decimal("21"), source="x")
    change = services.record_national_figure(**args, value=Decimal("21.2"), source="MTC attainment 2025/26")
    assert change.previous is None
    assert NationalFigure.objects.get(measure="mtc", academic_year=2025, statistic="mean").value == Decimal("21.20")


def test_the_page_lists_figures_with_sources_and_loads_a_file(client, world):
    client.force_login(world["coordinator"])
    page = client.get(reverse("outcomes:national_figures"))
    assert page.status_code == 200
    assert "Load the figures" in page.content.decode()
    assert "explore-education-statistics: Key stage 2 attainment, 2024/25 headlines" in page.content.decode()
    response = client.post(
        reverse("outcomes:national_figures"),
        {
            "upload": "1",
            "measure": "ks2_rwm",
            "statistic": "expected_pct",
            "file": SimpleUploadedFile("ks2.csv", HEADLINES.encode(), content_type="text/csv"),
        },
        follow=True,
    )
    assert "added 2018/19 (65.00)" in response.content.decode()
    assert NationalFigure.objects.filter(measure="ks2_rwm", academic_year=2018).exists()


def test_the_page_shows_a_files_problem_on_the_form_and_saves_nothing(client, world):
    client.force_login(world["admin"])
    before = NationalFigure.objects.count()
    response = client.post(
        reverse("outcomes:national_figures"),
        {
            "upload": "1",
            "measure": "ks2_rwm",
            "statistic": "expected_pct",
            "file": SimpleUploadedFile("ks2.csv", CHARACTERISTICS.replace(",Total,Total,", ",Sex,Other,").encode()),
        },
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert NationalFigure.objects.count() == before
    workbook = client.post(
        reverse("outcomes:national_figures"),
        {
            "upload": "1",
            "measure": "ks2_rwm",
            "statistic": "expected_pct",
            "file": SimpleUploadedFile("ks2.csv", b"PK\x03\x04" + b"\x00" * 200),
        },
    )
    assert "There is a problem" in workbook.content.decode()
    assert NationalFigure.objects.count() == before


def test_the_page_is_read_only_for_others(client, world):
    client.force_login(world["head"])
    page = client.get(reverse("outcomes:national_figures")).content.decode()
    assert "Load the figures" not in page and "A partnership coordinator or a platform administrator" in page
    refused = client.post(reverse("outcomes:national_figures"), {"add": "1", "measure": "ks2_rwm"})
    assert refused.status_code == 403
