"""`/api/v1/outcomes/aggregates/` and `/api/v1/schools/{slug}/pupils/`: suppression by the same rules as
the pages, figures from outcomes/stats.py, flat query counts, pupil rows only for the own school's
data roles, every pupil view audited without names or UPNs."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnership.accounts.services import api_token_create
from partnership.core.exports import PLAIN_TEXT_HELP, safe_cell
from partnership.core.models import AuditEvent
from partnership.core.roles import Role
from partnership.directory.tests.factories import PartnershipFactory, member_school, partnership_role, staff
from partnership.outcomes import analysis, stats
from partnership.outcomes.imports import result_import
from partnership.outcomes.models import Pupil, PupilYear, Result, TeacherAssessment
from partnership.outcomes.selectors import suppression_threshold
from partnership.outcomes.synthetic import generate_results
from partnership.outcomes.upn import make_upn

pytestmark = pytest.mark.django_db

YEAR = 2024
AGGREGATES = "/api/v1/outcomes/aggregates/"
FIGURE_FIELDS = {"suppressed", "pupils", "met", "percentage", "interval_low", "interval_high", "national", "verdict"}


def token_for(user) -> dict[str, str]:  # type: ignore[no-untyped-def]
    _, raw = api_token_create(user=user)
    return {"HTTP_AUTHORIZATION": f"Token {raw}"}


def cohort(school, n: int, met: int, higher: int, *, eal: int = 0, year: int = YEAR, tag: str = "A") -> list[Pupil]:  # type: ignore[no-untyped-def]
    """`n` Year 6 pupils with a KS2 reading result: the first `met` met expected, the first `higher`
    the higher standard, the first `eal` speak English as an additional language."""
    pupils = []
    for i in range(n):
        pupil = Pupil.objects.create(
            school=school,
            upn=make_upn(900 + ord(tag) - ord("A"), school.pk, 13, i),  # valid and 13 characters whatever the id
            surname=f"Surname{i:02d}",
            forename=f"Forename{i:02d}",
            date_of_birth=datetime.date(2013, 1 + i % 12, 1),
            sex="F" if i % 2 else "M",
        )
        PupilYear.objects.create(pupil=pupil, academic_year=year, year_group=6, eal=i < eal)
        Result.objects.create(
            pupil=pupil,
            academic_year=year,
            measure="ks2_reading",
            score=110 if i < higher else 100 if i < met else 95,
            met_expected=i < met,
            met_higher=i < higher,
        )
        pupils.append(pupil)
    return pupils


@pytest.fixture
def results(world):  # type: ignore[no-untyped-def]
    """Own: 20 pupils, 14 met, 5 higher, 3 EAL (all of whom met). Partner: 10 pupils, 7 met, 1 higher."""
    own = cohort(world.own, 20, 14, 5, eal=3)
    cohort(world.partner, 10, 7, 1)
    cohort(world.outside, 12, 6, 0)
    TeacherAssessment.objects.create(
        pupil=own[0], academic_year=YEAR, term="autumn", subject="reading", judgement="GDS"
    )
    return world


def aggregates(client, user, query: str, status: int = 200) -> dict:  # type: ignore[no-untyped-def, type-arg]
    response = client.get(f"{AGGREGATES}?{query}", **token_for(user))
    assert response.status_code == status, response.content
    return response.json()


def row(body: dict, school: str | None, group: str = "all", measure: str = "ks2_reading") -> dict:  # type: ignore[type-arg]
    found = [r for r in body["results"] if (r["school"], r["measure"], r["group"]) == (school, measure, group)]
    assert len(found) == 1, (school, measure, group)
    return found[0]


# --- aggregates: who sees what ------------------------------------------------------------------


@pytest.mark.parametrize("who", ["head", "teacher", "senco"])
def test_own_school_staff_see_small_groups(client, results, who):
    body = aggregates(client, results[who], "school=own-primary")
    assert body["scope"]["schools"] == [
        {"slug": "own-primary", "urn": results.own.urn, "name": "Own Primary", "unsuppressed": True}
    ]
    eal = row(body, "own-primary", "eal")
    assert (eal["suppressed"], eal["pupils"], eal["met"], eal["percentage"]) == (False, 3, 3, 100.0)


@pytest.mark.parametrize("who", ["governor", "partner_head", "coordinator", "adviser", "admin"])
def test_everyone_else_gets_small_groups_suppressed(client, results, who):
    body = aggregates(client, results[who], "school=own-primary")
    assert body["threshold"] == 6
    assert body["scope"]["schools"][0]["unsuppressed"] is False
    eal = row(body, "own-primary", "eal")
    assert eal["suppressed"] is True
    # No numbers at all, not even the cohort size; the national comparator is public.
    assert {k: eal[k] for k in FIGURE_FIELDS - {"suppressed", "national"}} == dict.fromkeys(
        FIGURE_FIELDS - {"suppressed", "national"}
    )
    assert eal["higher"]["suppressed"] is True and eal["higher"]["pupils"] is None
    everyone = row(body, "own-primary", "all")
    assert (everyone["suppressed"], everyone["pupils"], everyone["met"]) == (False, 20, 14)


@pytest.mark.parametrize(
    ("who", "query"), [("outside_head", "school=own-primary"), ("outside_head", "partnership=home")]
)
def test_people_outside_the_partnership_get_404(client, results, who, query):
    aggregates(client, results[who], query, status=404)
    aggregates(client, results["head"], "school=outside-primary", status=404)
    aggregates(client, results["coordinator"], "partnership=other", status=404)


def test_aggregates_need_authentication(client, results):
    assert client.get(f"{AGGREGATES}?school=own-primary").status_code in (401, 403)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "school=own-primary&partnership=home",
        "school=own-primary&measure=ks9_dance",
        "school=own-primary&group=left_handed",
        "school=own-primary&year=last",
        "school=own-primary&year=1850",
    ],
)
def test_bad_parameters_are_400s(client, results, query):
    aggregates(client, results["head"], query, status=400)


# --- aggregates: the figures ---------------------------------------------------------------------


def test_figures_are_those_of_outcomes_stats(client, results):
    body = aggregates(client, results["coordinator"], "school=own-primary")
    assert (body["year"], body["year_label"]) == (2024, "2024/25")
    reading = row(body, "own-primary")
    low, high = stats.wilson_interval(14, 20)
    national = analysis.Nationals().get(analysis.MEASURE_BY_KEY["ks2_reading"], YEAR)
    assert national == 75.0  # KS2 reading 2024/25, shipped national figure
    assert reading == {
        "school": "own-primary",
        "measure": "ks2_reading",
        "measure_label": "KS2 reading",
        "group": "all",
        "group_label": "All pupils",
        "year": 2024,
        "suppressed": False,
        "pupils": 20,
        "met": 14,
        "percentage": pytest.approx(100 * 14 / 20),
        "interval_low": pytest.approx(100 * low),
        "interval_high": pytest.approx(100 * high),
        "national": 75.0,
        "verdict": stats.verdict(14, 20, 0.75),
        "higher": {
            "suppressed": False,
            "pupils": 20,
            "met": 5,
            "percentage": pytest.approx(25.0),
            "interval_low": pytest.approx(100 * stats.wilson_interval(5, 20)[0]),
            "interval_high": pytest.approx(100 * stats.wilson_interval(5, 20)[1]),
            "national": None,  # no confirmed national higher-standard figure for reading
            "verdict": None,
        },
        "change": None,  # only this year has results: no change to describe
    }
    # Every measure with results that year (only KS2 reading here) x every group.
    assert {r["measure"] for r in body["results"]} == {"ks2_reading"}
    assert [r["group"] for r in body["results"]] == [g.key for g in analysis.GROUPS]


def test_measure_group_and_year_filters(client, results):
    cohort(results.own, 8, 4, 0, year=YEAR - 1, tag="B")
    body = aggregates(client, results["head"], "school=own-primary&measure=ks2_reading,mtc&measure=ks2_rwm&group=eal")
    assert [(r["measure"], r["group"]) for r in body["results"]] == [
        ("mtc", "eal"),
        ("ks2_reading", "eal"),
        ("ks2_rwm", "eal"),
    ]
    assert row(body, "own-primary", "eal", "mtc")["pupils"] == 0  # asked for, no results: shown to own staff
    older = aggregates(client, results["head"], f"school=own-primary&year={YEAR - 1}&group=all")
    assert (older["year"], older["year_label"]) == (2023, "2023/24")
    assert (row(older, "own-primary")["pupils"], row(older, "own-primary")["met"]) == (8, 4)
    empty = aggregates(client, results["head"], "school=own-primary&year=2015")
    assert empty["year"] == 2015 and empty["results"] == []


def test_a_school_without_results_has_no_year(client, world):
    body = aggregates(client, world["head"], "school=own-primary")
    assert (body["year"], body["year_label"], body["results"]) == (None, None, [])


def test_partnership_blocks_and_total(client, results):
    body = aggregates(client, results["head"], "partnership=home")
    assert body["scope"]["type"] == "partnership" and body["scope"]["slug"] == "home"
    assert [(s["slug"], s["unsuppressed"]) for s in body["scope"]["schools"]] == [
        ("own-primary", True),
        ("partner-primary", False),
    ]
    assert {r["school"] for r in body["results"]} == {"own-primary", "partner-primary", None}
    # The head sees their own school's small group, not the partner's, and never the total's.
    assert row(body, "own-primary", "eal")["pupils"] == 3
    assert row(body, None, "eal")["suppressed"] is True  # 3 EAL pupils in the whole partnership
    assert row(body, "partner-primary", "summer_born")["suppressed"] is True  # 5 of 10 born April-August
    assert row(body, "own-primary", "summer_born")["pupils"] == 10
    # The partnership total is the sum of the schools' counts, except where it would reveal the one
    # school's group hidden from this caller (total minus the schools shown).
    table = analysis.count_results([results.own.pk, results.partner.pk], [YEAR])
    for group in analysis.GROUPS:
        counts = analysis.total(table, [results.own.pk, results.partner.pk], YEAR, "ks2_reading", group.key)
        total = row(body, None, group.key)
        hidden_schools = [s for s in ("own-primary", "partner-primary") if row(body, s, group.key)["suppressed"]]
        if len(hidden_schools) == 1 or 0 < counts.n < 6:
            assert total["suppressed"] is True and total["pupils"] is None, group.key
        if not total["suppressed"]:
            assert (total["pupils"], total["met"], total["higher"]["met"]) == (counts.n, counts.expected, counts.higher)
    # ... and no hidden part of a shown whole can be worked out from the other parts.
    for parent, children in analysis.PARTITIONS:
        hidden = [c for c in children if row(body, None, c)["suppressed"]]
        assert row(body, None, parent)["suppressed"] or len(hidden) != 1, (parent, children)
    assert row(body, None, "summer_born")["suppressed"] is True  # would reveal the partner's 5 pupils
    shown = [row(body, s, "all") for s in ("own-primary", "partner-primary")]
    assert row(body, None)["pupils"] == sum(r["pupils"] for r in shown) == 30
    assert row(body, None)["met"] == sum(r["met"] for r in shown) == 21
    assert row(body, None)["percentage"] == pytest.approx(70.0)


def test_partnership_and_school_thresholds(client, results):
    results.home.suppression_threshold = 10
    results.home.save(update_fields=["suppression_threshold"])
    assert suppression_threshold(results.own) == 10
    assert suppression_threshold(results.outside) == 6  # never below the default
    body = aggregates(client, results["coordinator"], "partnership=home")
    assert body["threshold"] == 10
    assert row(body, "partner-primary")["pupils"] == 10
    assert row(body, "partner-primary", "boys")["suppressed"] is True  # 5 boys < 10
    body = aggregates(client, results["coordinator"], "school=partner-primary")
    assert body["threshold"] == 10 and row(body, "partner-primary", "boys")["suppressed"] is True


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


def test_aggregate_query_count_does_not_grow_with_schools(client, db):
    counts = []
    for size in (2, 6):
        partnership = PartnershipFactory()
        schools = [member_school(partnership) for _ in range(size)]
        for school in schools:
            cohort(school, 7, 4, 1, eal=2)
        client.force_login(partnership_role(partnership, Role.COORDINATOR))
        body = client.get(f"{AGGREGATES}?partnership={partnership.slug}").json()
        assert len({r["school"] for r in body["results"]}) == size + 1
        counts.append(
            (
                _queries(client, f"{AGGREGATES}?partnership={partnership.slug}"),
                _queries(client, f"{AGGREGATES}?partnership={partnership.slug}&year={YEAR}&measure=ks2_reading"),
            )
        )
    assert counts[0] == counts[1]


# --- pupils ---------------------------------------------------------------------------------------


def pupils_url(school, pk: int | None = None) -> str:  # type: ignore[no-untyped-def]
    return f"/api/v1/schools/{school.slug}/pupils/" + (f"{pk}/" if pk else "")


@pytest.mark.parametrize("who", ["head", "senco", "data_lead"])
def test_data_roles_of_the_own_school_see_pupils_and_it_is_audited(client, results, who):
    user = staff(results.own, Role.DATA_LEAD, email="data@own.test") if who == "data_lead" else results[who]
    response = client.get(pupils_url(results.own) + "?limit=5", **token_for(user))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 20 and len(body["results"]) == 5
    first = body["results"][0]
    pupil = Pupil.objects.get(pk=first["id"])
    assert first == {
        "id": pupil.pk,
        "upn": pupil.upn,
        "forename": "Forename00",
        "surname": "Surname00",
        "date_of_birth": "2013-01-01",
        "sex": "M",
        "summer_born": False,
        "current_year": {
            "academic_year": 2024,
            "academic_year_label": "2024/25",
            "year_group": 6,
            "disadvantaged": False,
            "sen_provision": "N",
            "eal": True,
        },
    }
    event = AuditEvent.objects.get(verb="view_pupils", actor=user)
    assert event.school_id == results.own.pk
    assert event.detail == {"count": 5, "via": "api", "offset": 0, "limit": 5}

    detail = client.get(pupils_url(results.own, pupil.pk), **token_for(user)).json()
    assert detail["upn"] == pupil.upn and len(detail["years"]) == 1
    assert detail["results"] == [
        {
            "academic_year": 2024,
            "measure": "ks2_reading",
            "measure_label": "KS2 reading",
            "score": 110,
            "grade": "",
            "code": "",
            "met_expected": True,
            "met_higher": True,
        }
    ]
    assert detail["assessments"] == [
        {"academic_year": 2024, "term": "autumn", "subject": "reading", "judgement": "GDS"}
    ]
    events = AuditEvent.objects.filter(verb="view_pupils", actor=user).order_by("pk")
    assert events.count() == 2 and events.last().detail == {"count": 1, "pupil_id": pupil.pk, "via": "api"}
    for event in events:  # the audit log is read by coordinators: ids and counts only
        text = str(event.detail) + event.object_repr
        for pupil in Pupil.objects.filter(school=results.own):
            assert pupil.upn not in text and pupil.surname not in text and pupil.forename not in text


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("teacher", 403),  # school staff, not a data role: unsuppressed aggregates but no pupil rows
        ("governor", 403),
        ("partner_head", 403),
        ("coordinator", 403),
        ("adviser", 403),
        ("admin", 403),  # no administrator bypass for pupil data
        ("outside_head", 404),  # may not even view the school
    ],
)
def test_everyone_else_is_refused_pupil_rows(client, results, who, status):
    user = results[who]
    pupil = Pupil.objects.filter(school=results.own).first()
    for url in (pupils_url(results.own), pupils_url(results.own, pupil.pk)):
        response = client.get(url, **token_for(user))
        assert response.status_code == status, (who, url)
        assert pupil.upn not in response.content.decode()
    assert not AuditEvent.objects.filter(verb="view_pupils").exists()
    if status == 403:
        assert AuditEvent.objects.filter(verb="denied", actor=user, school_id=results.own.pk).count() == 2


def test_a_pupil_of_another_school_is_not_found_through_ones_own_slug(client, results):
    other = Pupil.objects.filter(school=results.partner).first()
    auth = token_for(results["head"])
    assert client.get(pupils_url(results.own, other.pk), **auth).status_code == 404
    assert client.get(pupils_url(results.partner, other.pk), **auth).status_code == 403
    assert client.get(pupils_url(results.own) + "abc/", **auth).status_code == 404


def test_pupil_query_counts_do_not_grow_with_pupils(client, world):
    client.force_login(world["head"])
    few = cohort(world.own, 2, 1, 0)
    small = (_queries(client, pupils_url(world.own)), _queries(client, pupils_url(world.own, few[0].pk)))
    generate_results([world.partner], years=(2023, 2024), seed=3, assessment_year=YEAR)
    Pupil.objects.filter(school=world.partner).update(school=world.own)
    big = Pupil.objects.filter(school=world.own, assessments__isnull=False, results__isnull=False).first()
    assert Pupil.objects.filter(school=world.own).count() > 100
    assert TeacherAssessment.objects.filter(pupil=big).count() > 1
    large = (_queries(client, pupils_url(world.own)), _queries(client, pupils_url(world.own, big.pk)))
    assert small == large


def test_the_change_over_three_years_is_in_the_pages_words(client, world):
    """91% -> 92% -> 78% is a fall too few pupils confirm; 93% -> 90% -> 40% of 30 is falling; a small
    group's change is never described to anyone its figures are hidden from."""
    for year, tag, (n, met) in [(YEAR - 2, "A", (32, 29)), (YEAR - 1, "B", (25, 23)), (YEAR, "C", (27, 21))]:
        cohort(world.own, n, met, 0, eal=3, year=year, tag=tag)
    for year, tag, met in [(YEAR - 2, "D", 28), (YEAR - 1, "E", 27), (YEAR, "F", 12)]:
        cohort(world.partner, 30, met, 0, year=year, tag=tag)
    body = aggregates(client, world["coordinator"], "partnership=home")
    own, partner = row(body, "own-primary"), row(body, "partner-primary")
    expected = stats.describe_change([(29, 32), (23, 25), (21, 27)])
    assert own["change"] == {
        "kind": "uncertain_down",
        "points": pytest.approx(expected.points),
        "words": "down 13 points; too few pupils to be sure",
        "p_value": pytest.approx(expected.p_value),
    }
    assert (partner["change"]["kind"], partner["change"]["words"]) == ("falling", "falling (down 53 points)")
    assert row(body, "own-primary", "eal")["change"] is None  # 3 EAL pupils a year: hidden
    assert row(body, None)["change"]["words"] == stats.describe_change([(57, 62), (50, 55), (33, 57)]).words
    assert [r["year"] for r in body["results"]] == [YEAR] * len(body["results"])  # earlier years only inform the change
    mine = aggregates(client, world["head"], "school=own-primary")
    assert row(mine, "own-primary", "eal")["change"]["words"] == "little change"  # 3 of 3 each year


def test_schema_describes_the_outcome_endpoints(client, db):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    for path in [
        "/api/v1/outcomes/aggregates/",
        "/api/v1/schools/{slug}/pupils/",
        "/api/v1/schools/{slug}/pupils/{id}/",
    ]:
        assert "get" in schema["paths"][path], path
    change = schema["components"]["schemas"]["Change"]["properties"]
    assert "too few pupils to be sure" in change["words"]["description"]
    assert change["kind"]["description"].startswith("rising / falling: a significant change")


def test_formula_like_names_are_stored_as_typed_returned_as_text_and_documented_as_such(client, world):
    formula = '=HYPERLINK("http://x","y")'
    header = ["upn", "surname", "forename", "date_of_birth", "sex", "academic_year", "year_group", "disadvantaged"]
    row = [make_upn(936, 2001, 19, 1), formula, "+" + formula, "2013-11-04", "F", YEAR, 6, "N"]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([[*header, "sen", "eal"], [*row, "N", "N"]])  # the CSV template's columns
    result_import(school=world.own, data=buffer.getvalue().encode(), filename="names.csv")
    pupil = Pupil.objects.get(school=world.own)
    assert (pupil.surname, pupil.forename) == (formula, "+" + formula)  # kept exactly as the school typed it

    body = client.get(pupils_url(world.own), **token_for(world["head"])).json()
    assert (body["results"][0]["surname"], body["results"][0]["forename"]) == (formula, "+" + formula)

    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    components = schema["components"]["schemas"]
    for component, name in [("Pupil", "surname"), ("Pupil", "forename"), ("PupilDetail", "surname")]:
        assert components[component]["properties"][name]["description"] == PLAIN_TEXT_HELP
    for component in ("ScopeSchool", "Scope"):
        assert components[component]["properties"]["name"]["description"] == PLAIN_TEXT_HELP
    assert "may begin with = + - @" in PLAIN_TEXT_HELP and safe_cell(formula) == "'" + formula
