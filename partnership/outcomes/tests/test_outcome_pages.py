"""Outcome pages, exports and the RAB pack: the right figures, small groups hidden from everyone
but the school's own staff, no pupil ever named, and flags that become actions."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from partnership.actions.models import Action
from partnership.outcomes import stats
from partnership.outcomes.models import Pupil, PupilYear, Result
from partnership.outcomes.upn import make_upn

pytestmark = pytest.mark.django_db

YEAR = 2024


def cohort(school, year: int, n: int, met: int, *, measure: str = "ks2_rwm", eal: int = 0, eal_met: int = 0, start=0):  # type: ignore[no-untyped-def]
    """`n` pupils of `school` with a result for `measure` in `year`, `met` of them meeting it; the
    first `eal` pupils are EAL, `eal_met` of whom meet it. Pupils are reused across measures by number."""
    for i in range(start, start + n):
        pupil, _ = Pupil.objects.get_or_create(
            school=school,
            upn=make_upn(900, school.pk, 19, i),  # valid and 13 characters whatever the id
            defaults={
                "surname": f"Surname{school.pk}x{i}",
                "forename": f"Forename{i}",
                "date_of_birth": datetime.date(year - 10, 1 + i % 12, 1),
                "sex": "F" if i % 2 else "M",
            },
        )
        k = i - start
        is_eal = k < eal
        PupilYear.objects.get_or_create(
            pupil=pupil, academic_year=year, defaults={"year_group": 6, "eal": is_eal, "disadvantaged": k % 3 == 0}
        )
        met_it = (k < eal_met) if is_eal else (k - eal < met - eal_met)
        Result.objects.create(
            pupil=pupil, academic_year=year, measure=measure, met_expected=met_it, met_higher=False, grade=""
        )


@pytest.fixture
def results(world):  # type: ignore[no-untyped-def]
    # Own school: 13 of 20 met RWM (3 EAL pupils, 2 of whom met: a small group); reading 5 of 20.
    cohort(world.own, YEAR, 20, 13, eal=3, eal_met=2)
    cohort(world.own, YEAR, 20, 5, measure="ks2_reading")
    # Partner school: only 4 pupils - the whole school's figure is a small group.
    cohort(world.partner, YEAR, 4, 3)
    return world


def _school_page(client, user, school):  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client.get(reverse("outcomes:school_outcomes", args=[school.slug]))


def test_the_school_page_shows_each_measure_with_its_interval_and_verdict(client, results):
    response = _school_page(client, results["head"], results.own)
    assert response.status_code == 200
    rows = {row.measure.key: row for row in response.context["outcomes"].rows}
    rwm = rows["ks2_rwm"].figure
    assert (rwm.numerator, rwm.denominator) == (13, 20)
    low, high = stats.wilson_interval(13, 20)
    assert rwm.low == pytest.approx(100 * low) and rwm.high == pytest.approx(100 * high)
    assert rwm.national == 62 and rwm.verdict == "in line"
    assert rows["ks2_reading"].figure.verdict == "below"  # 25% against 75%
    page = response.content.decode()
    assert "65%" in page and "20 pupils" in page
    assert "Pupils</a>" in page  # the head may open the pupil list


@pytest.mark.parametrize("who", ["head", "teacher"])
def test_the_schools_own_staff_see_its_small_groups(client, results, who):
    response = _school_page(client, results[who], results.own)
    eal = next(g for g in response.context["outcomes"].groups if g.group.key == "eal")
    figure = dict((m.key, f) for m, f in eal.figures)["ks2_rwm"]
    assert not figure.suppressed and (figure.numerator, figure.denominator) == (2, 3)


@pytest.mark.parametrize("who", ["governor", "partner_head", "coordinator", "adviser", "admin"])
def test_everyone_else_sees_small_groups_hidden(client, results, who):
    response = _school_page(client, results[who], results.own)
    assert response.status_code == 200
    eal = next(g for g in response.context["outcomes"].groups if g.group.key == "eal")
    figure = dict((m.key, f) for m, f in eal.figures)["ks2_rwm"]
    assert figure.suppressed and figure.numerator is None and figure.denominator is None
    assert "of 3" not in response.content.decode()
    # Nor can it be worked out as all pupils minus the others: that group is hidden too.
    not_eal = next(g for g in response.context["outcomes"].groups if g.group.key == "not_eal")
    other = dict((m.key, f) for m, f in not_eal.figures)["ks2_rwm"]
    assert other.suppressed and other.denominator is None and other.label == "hidden to protect a small group"
    # The whole cohort is big enough to show.
    rwm = next(r for r in response.context["outcomes"].rows if r.measure.key == "ks2_rwm").figure
    assert rwm.denominator == 20


def _texts(results):  # type: ignore[no-untyped-def]
    pupils = Pupil.objects.filter(school__in=[results.own, results.partner])
    return [p.upn for p in pupils] + [p.surname for p in pupils]


def _xlsx_cells(content: bytes) -> list:  # type: ignore[type-arg]
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row]


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize(
    "who", ["head", "teacher", "governor", "partner_head", "coordinator", "adviser", "outside_head", "admin"]
)
def test_no_page_export_or_pack_names_a_pupil_or_shows_another_schools_small_group(client, results, who):
    user = results[who]
    client.force_login(user)
    pupil_texts = _texts(results)
    own_staff = who in ("head", "teacher")
    partner_staff = who == "partner_head"
    urls = [
        reverse("outcomes:school_outcomes", args=[results.own.slug]),
        reverse("outcomes:school_export", args=[results.own.slug]),
        reverse("outcomes:partnership_dashboard", args=[results.home.slug]),
        reverse("outcomes:partnership_export", args=[results.home.slug]),
        reverse("outcomes:rab_pack", args=[results.home.slug]),
    ]
    for url in urls:
        response = client.get(url)
        if who == "outside_head":
            assert response.status_code == 403, url
            continue
        assert response.status_code == 200, url
        if url.endswith(".xlsx"):
            text = "\n".join(str(c) for c in _xlsx_cells(response.content) if c is not None)
        elif url.endswith(".pdf"):
            text = _pdf_text(response.content)
        else:
            text = response.content.decode()
        for secret in pupil_texts:
            assert secret not in text, (url, who)
        if "partnership" in url or "rab" in url:
            # The partner school's 4 pupils: shown only to the partner school's own staff.
            dashboard = client.get(reverse("outcomes:partnership_dashboard", args=[results.home.slug]))
            partner = next(c for c in dashboard.context["outcomes"].schools if c.school == results.partner)
            assert partner.rows["ks2_rwm"].figure.suppressed is not partner_staff
        if url.endswith("outcomes.xlsx"):
            book = load_workbook(io.BytesIO(response.content))
            eal = [row for row in book.worksheets[1].iter_rows(values_only=True) if row[0] == "EAL"]
            rwm = next(row for row in eal if row[1] == "KS2 reading, writing and maths")
            if own_staff:
                assert rwm[2:4] == (66.7, 3)
            else:
                assert rwm[2] == "fewer than 6 pupils" and rwm[3] is None


def _partnership_rwm(client, user):  # type: ignore[no-untyped-def]
    client.force_login(user)
    response = client.get(reverse("outcomes:partnership_dashboard", args=["home"]))
    return response.context["outcomes"].partnership["ks2_rwm"].figure


def test_the_partnership_total_adds_up_the_schools(client, results):
    whole = _partnership_rwm(client, results["partner_head"])  # sees both schools: own 20, theirs 4
    assert (whole.numerator, whole.denominator) == (16, 24)  # 13 of 20 and 3 of 4


def test_the_partnership_total_never_reveals_the_one_hidden_school(client, results):
    # For the coordinator the partner's 4 pupils are hidden: total minus own school would show them.
    whole = _partnership_rwm(client, results["coordinator"])
    assert whole.suppressed and whole.denominator is None and whole.label == "hidden to protect a small group"
    # With a second small school hidden too, the total reveals neither, so it is shown.
    from partnership.directory.tests.factories import member_school

    cohort(member_school(results.home, name="Third Primary", slug="third-primary"), YEAR, 5, 2)
    whole = _partnership_rwm(client, results["coordinator"])
    assert (whole.numerator, whole.denominator) == (18, 29)


def test_the_rab_pack_is_a_real_pdf_with_charts(client, results):
    client.force_login(results["coordinator"])
    response = client.get(reverse("outcomes:rab_pack", args=[results.home.slug]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Raising Achievement Board 2024/25" in text
    assert "Own Primary" in text and "fewer than 6 pupils" in text
    assert "KS2 reading, writing and maths" in text


def test_exports_escape_formulas_in_school_names(client, results):
    results.own.name = '=HYPERLINK("http://evil")'
    results.own.save()
    client.force_login(results["coordinator"])
    response = client.get(reverse("outcomes:partnership_export", args=[results.home.slug]))
    names = [c for c in _xlsx_cells(response.content) if isinstance(c, str) and "HYPERLINK" in c]
    assert names and all(name.startswith("'=") for name in names)


def test_a_flag_becomes_an_action_for_the_school(client, results):
    client.force_login(results["coordinator"])
    dashboard = client.get(reverse("outcomes:partnership_dashboard", args=[results.home.slug]))
    flag = next(f for f in dashboard.context["outcomes"].flags if f.measure == "ks2_reading")
    assert flag.kind == "below" and flag.school_id == results.own.pk
    assert "Make this an action" in dashboard.content.decode()

    url = reverse("outcomes:flag_action", args=[results.home.slug]) + f"?year={YEAR}&flag={flag.key}"
    form = client.get(url)
    assert form.status_code == 200
    assert form.context["form"].initial["title"] == "Significantly below national: KS2 reading"
    response = client.post(
        url,
        {
            "title": "Reading: close the gap to national",
            "description": flag.text,
            "owner": results["head"].pk,
            "due_on": "",
            "priority": "",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get(title="Reading: close the gap to national")
    assert action.school == results.own and action.partnership == results.home
    assert action.owner == results["head"] and action.source_label == "Raising Achievement Board 2024/25"


def test_a_stale_or_forged_flag_makes_nothing(client, results):
    client.force_login(results["coordinator"])
    url = reverse("outcomes:flag_action", args=[results.home.slug]) + f"?flag=below:{results.partner.pk}:ks2_rwm"
    assert "no longer applies" in client.get(url).content.decode()
    client.post(url, {"title": "x", "owner": results["head"].pk})
    assert not Action.objects.exists()


def test_only_coordinators_turn_flags_into_actions(client, results):
    client.force_login(results["head"])
    response = client.get(reverse("outcomes:flag_action", args=[results.home.slug]))
    assert response.status_code == 403
    dashboard = client.get(reverse("outcomes:partnership_dashboard", args=[results.home.slug]))
    assert "Make this an action" not in dashboard.content.decode()


def test_a_school_without_results_says_so(client, world):
    response = _school_page(client, world["head"], world.own)
    assert response.status_code == 200
    assert "There are no results for Own Primary yet" in response.content.decode()
    client.force_login(world["coordinator"])
    assert client.get(reverse("outcomes:rab_pack", args=[world.home.slug])).status_code == 200


def test_the_outcomes_start_page_leads_each_person_to_what_they_may_see(client, world):
    client.force_login(world["head"])
    page = client.get(reverse("outcomes:index")).content.decode()
    assert reverse("outcomes:school_outcomes", args=["own-primary"]) in page
    assert reverse("outcomes:import_upload", args=["own-primary"]) in page
    assert reverse("outcomes:partnership_dashboard", args=["home"]) in page
    client.force_login(world["adviser"])
    page = client.get(reverse("outcomes:index")).content.decode()
    assert reverse("outcomes:partnership_dashboard", args=["home"]) in page
    assert "import" not in page and "/pupils/" not in page


def test_thresholds_never_fall_below_six_and_a_school_keeps_its_strictest(client, results):
    results.home.suppression_threshold = 3  # a partnership cannot lower the floor
    results.home.save()
    client.force_login(results["coordinator"])
    dashboard = client.get(reverse("outcomes:partnership_dashboard", args=["home"]))
    partner = next(c for c in dashboard.context["outcomes"].schools if c.school == results.partner)
    assert partner.rows["ks2_rwm"].figure.suppressed  # 4 pupils
    assert dashboard.context["threshold"] == 6
    # Own Primary also belongs to a partnership that hides groups under 25: on Home's dashboard
    # its 20 pupils are hidden too, as on its own page.
    from partnership.directory.models import Membership
    from partnership.directory.tests.factories import PartnershipFactory

    strict = PartnershipFactory(name="Strict", slug="strict", suppression_threshold=25)
    Membership.objects.create(partnership=strict, school=results.own, joined_on=datetime.date(2020, 9, 1))
    dashboard = client.get(reverse("outcomes:partnership_dashboard", args=["home"]))
    own = next(c for c in dashboard.context["outcomes"].schools if c.school == results.own)
    assert own.rows["ks2_rwm"].figure.suppressed
    assert client.get(reverse("outcomes:school_outcomes", args=["own-primary"])).context["view"].threshold == 25
