"""CJ pages: creating a session, the set-up page's forms and messages, the judging screen
(choose, refusals, pause and resume, progress), results and exports; privacy (another school's
judge or moderator never sees a script's pupil, UPN or school); query counts at two sizes."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partnership.core.models import AuditEvent
from partnership.moderation import cj_sessions
from partnership.moderation.models import CJJudge, CJPair, CJScript, CJSession
from partnership.moderation.tests.cj_setup import build

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"moderation:{name}", args=args)


def open_session(w):
    cj_sessions.session_open(session=w.session, actor=w.world["coordinator"])


def judge_everything(session):
    for pair in CJPair.objects.filter(session=session, chosen="").select_related(
        "judge", "left__sample", "right__sample"
    ):
        chosen = "L" if pair.left.sample.code < pair.right.sample.code else "R"
        cj_sessions.pair_decide(judge=pair.judge, pair_id=pair.pk, chosen=chosen)


def test_a_coordinator_creates_a_session_from_a_moderation_session(client, shared_world):
    w = build(shared_world, judges=0)
    client.force_login(shared_world["coordinator"])
    page = client.get(url("cj_create", "home"))
    assert page.status_code == 200 and "Judgements per script" in page.content.decode()
    response = client.post(
        url("cj_create", "home"),
        {"name": "Spring writing", "subject": "writing", "year_group": "6", "sources": [w.moderation.pk],
         "per_script": 10, "cross_school_every": 5},
    )  # fmt: skip
    session = CJSession.objects.get(name="Spring writing")
    assert response.status_code == 302 and response["Location"] == url("cj_detail", session.pk)
    assert session.per_script == 10 and session.cross_school_every == 5 and session.scripts.count() == 12
    page = client.get(response["Location"]).content.decode()
    assert "12 scripts from 3 schools" in page
    assert "Comparative-judgement session created" in page


def test_the_create_form_says_what_is_missing(client, shared_world):
    client.force_login(shared_world["coordinator"])
    page = client.post(url("cj_create", "home"), {"name": "", "per_script": 10, "cross_school_every": 5})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Enter a name for the session" in text
    assert "Choose the moderation session whose samples are the scripts" in text


def test_invite_open_and_the_planner_message(client, shared_world):
    w = build(shared_world, judges=0)
    client.force_login(shared_world["coordinator"])
    response = client.post(url("cj_judge_invite", w.session.pk), {"person": shared_world["head"].pk})
    assert response.status_code == 302
    page = client.get(url("cj_detail", w.session.pk)).content.decode()
    assert f"{shared_world['head'].full_name} invited to judge." in page
    refused = client.post(url("cj_open", w.session.pk))
    text = refused.content.decode()
    assert refused.status_code == 200 and "Judging cannot open: every judge works at school" in text
    assert "There is a problem" in text
    client.post(url("cj_judge_invite", w.session.pk), {"person": shared_world["adviser"].pk})
    client.post(url("cj_judge_invite", w.session.pk), {"person": shared_world["partner_head"].pk})
    opened = client.post(url("cj_open", w.session.pk), follow=True).content.decode()
    assert "Judging is open: 24 pairs planned." in opened  # 12 scripts x 4 judgements / 2


def test_inviting_someone_outside_the_partnership_is_refused_on_the_form(client, shared_world):
    w = build(shared_world, judges=0)
    client.force_login(shared_world["coordinator"])
    page = client.post(url("cj_judge_invite", w.session.pk), {"person": shared_world["outside_head"].pk})
    assert page.status_code == 200 and "Choose invite a judge from the list" in page.content.decode()
    assert not CJJudge.objects.filter(session=w.session).exists()


def test_the_judging_screen_records_a_choice_and_moves_on(client, shared_world):
    w = build(shared_world)
    open_session(w)
    judge = w.judges[0]
    client.force_login(judge.person)
    page = client.get(url("cj_judging", w.session.pk))
    text = page.content.decode()
    planned = CJPair.objects.filter(judge=judge).count()
    first = cj_sessions.next_pair(judge)
    assert f"Pair 1 of {planned}" in text and "Left is better" in text and "Right is better" in text
    assert first.left.sample.code not in text and first.right.sample.code not in text  # no codes to the judge
    assert 'class="govuk-service-navigation__list"' not in text  # focused: no navigation
    files = first.left.sample.files.all()
    assert url("sample_file", files[0].pk) in text
    response = client.post(url("cj_judging", w.session.pk), {"pair": first.pk, "choice": "R", "started": "x"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.chosen == "R" and first.seconds is None
    assert f"Pair 2 of {planned}" in client.get(url("cj_judging", w.session.pk)).content.decode()
    again = client.post(url("cj_judging", w.session.pk), {"pair": first.pk, "choice": "L"})
    assert again.status_code == 200 and "You have already judged pair 1" in again.content.decode()
    other = cj_sessions.next_pair(w.judges[1])
    forged = client.post(url("cj_judging", w.session.pk), {"pair": other.pk, "choice": "L"})
    assert forged.status_code == 200 and "not one of yours" in forged.content.decode()
    nonsense = client.post(url("cj_judging", w.session.pk), {"pair": "'; drop", "choice": "Q"})
    assert nonsense.status_code == 200 and "Choose the left or the right script" in nonsense.content.decode()


def test_pause_and_resume(client, shared_world):
    w = build(shared_world)
    open_session(w)
    judge = w.judges[0]
    client.force_login(judge.person)
    client.post(url("cj_judging", w.session.pk), {"pair": cj_sessions.next_pair(judge).pk, "choice": "L"})
    assert client.post(url("cj_pause", w.session.pk)).status_code == 302
    page = client.get(url("cj_judging", w.session.pk)).content.decode()
    assert "Judging paused" in page and "Resume judging" in page and "Left is better" not in page
    client.post(url("cj_resume", w.session.pk))
    assert "Pair 2 of" in client.get(url("cj_judging", w.session.pk)).content.decode()


def test_a_judge_who_finishes_is_told_so_with_their_pace(client, shared_world):
    w = build(shared_world)
    open_session(w)
    judge = w.judges[0]
    CJPair.objects.filter(judge=judge).update(chosen="L", seconds=21)
    client.force_login(judge.person)
    page = client.get(url("cj_judging", w.session.pk)).content.decode()
    assert "You have judged all your pairs" in page and "about 21 seconds a pair" in page


def test_results_and_close(client, shared_world):
    w = build(shared_world)
    open_session(w)
    judge_everything(w.session)
    client.force_login(shared_world["coordinator"])
    page = client.get(url("cj_results", w.session.pk)).content.decode()
    assert "Scale separation reliability" in page and "50 + 15 × the score" in page
    assert "24 of 24 planned pairs judged" in page
    response = client.post(url("cj_close", w.session.pk), follow=True)
    assert "Session closed" in response.content.decode()
    assert not CJScript.objects.filter(session=w.session, score__isnull=True).exists()


def test_exports(client, shared_world):
    w = build(shared_world)
    open_session(w)
    judge_everything(w.session)
    judge = w.judges[0]
    judge.person.full_name = "=HYPERLINK(1)"
    judge.person.save()
    client.force_login(shared_world["coordinator"])
    raw = client.get(url("cj_export_csv", w.session.pk))
    assert raw.status_code == 200 and raw["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(raw.content.decode("utf-8-sig"))))
    assert rows[0] == ["Pair", "Judge number", "Judge", "Left", "Right", "Chosen", "Decided at", "Seconds"]
    assert len(rows) == 1 + 24
    assert all(r[5] in (r[3], r[4]) for r in rows[1:])
    assert "'=HYPERLINK(1)" in {r[2] for r in rows[1:]}
    xlsx = client.get(url("cj_export_xlsx", w.session.pk))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Scale", "Judges", "Schools"]
    assert book["Scale"].max_row == 13
    pdf = client.get(url("cj_export_pdf", w.session.pk))
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"


def test_moderate_next_is_audited_as_a_pupil_view(client, shared_world):
    w = build(shared_world, per_script=6)
    open_session(w)
    judge_everything(w.session)
    from partnership.moderation.models import Sample

    # Own's scripts have the lowest codes, so they win their pairs: a teacher who says WTS is harsh.
    Sample.objects.filter(session=w.moderation, school=shared_world.own).update(teacher_judgement="WTS")
    client.force_login(shared_world["teacher"])
    page = client.get(url("cj_results", w.session.pk)).content.decode()
    assert "Moderate next" in page and "Pupil Own Primary" in page
    event = AuditEvent.objects.get(verb="view_pupils", actor=shared_world["teacher"])
    assert event.school_id == shared_world.own.pk and event.detail["count"] >= 1


# --- Privacy -------------------------------------------------------------------------------------


def pages_for(session, pair_judge=None):
    names = ["cj_detail", "cj_results"]
    out = [url(n, session.pk) for n in names]
    if pair_judge is not None:
        out.append(url("cj_judging", session.pk))
    return out


@pytest.mark.parametrize("viewer", ["partner_head", "partner_teacher", "adviser", "coordinator"])
def test_no_other_school_sees_own_primarys_pupils_upns_or_teacher(client, shared_world, viewer):
    w = build(shared_world, per_script=6)
    if viewer == "partner_teacher":
        cj_sessions.judge_invite(session=w.session, actor=shared_world["coordinator"], person=shared_world[viewer])
    open_session(w)
    judge_everything(w.session)
    from partnership.moderation.models import Sample, SampleIdentity

    Sample.objects.filter(session=w.moderation).update(teacher_judgement="WTS")  # lists for every school
    own_pupils = list(SampleIdentity.objects.filter(sample__school=shared_world.own).values_list("pupil_name", "upn"))
    client.force_login(shared_world[viewer])
    shown = [url("cj_detail", w.session.pk), url("cj_results", w.session.pk)]
    if CJJudge.objects.filter(session=w.session, person=shared_world[viewer]).exists():
        shown.append(url("cj_judging", w.session.pk))
    for address in shown:
        text = client.get(address).content.decode()
        for name, upn in own_pupils:
            assert name not in text and upn not in text, address
        if viewer != "coordinator":  # a coordinator's judge picker lists every member school's staff
            assert shared_world["teacher"].full_name not in text, address
        if viewer in ("partner_head", "partner_teacher"):
            assert "Own Primary" not in text, address


def test_own_schools_staff_see_their_own_school_named_and_others_lettered(client, shared_world):
    w = build(shared_world)
    open_session(w)
    judge_everything(w.session)
    client.force_login(shared_world["teacher"])
    text = client.get(url("cj_results", w.session.pk)).content.decode()
    assert "Own Primary" in text and "Partner Primary" not in text and "School A" in text


# --- Query counts --------------------------------------------------------------------------------


def count(client, address):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(address)
    assert response.status_code == 200, address
    return len(ctx.captured_queries)


@pytest.mark.parametrize("viewer", ["coordinator", "head"])
def test_pages_do_not_grow_with_scripts_and_judges(client, shared_world, viewer):
    counts = {"detail": [], "results": [], "judging": []}
    for size in (1, 3):
        for s in CJSession.objects.all():
            s.delete()
        w = build(shared_world, extra_schools=size, per_school=2 + size, judges=2 + size, per_script=4)
        open_session(w)
        judge = CJJudge.objects.get(session=w.session, person=shared_world["head"])
        for pair in list(CJPair.objects.filter(judge=judge).order_by("number"))[:2]:
            cj_sessions.pair_decide(judge=judge, pair_id=pair.pk, chosen="L", started="1")
        client.force_login(shared_world[viewer])
        counts["detail"].append(count(client, url("cj_detail", w.session.pk)))
        counts["results"].append(count(client, url("cj_results", w.session.pk)))
        if viewer == "head":
            counts["judging"].append(count(client, url("cj_judging", w.session.pk)))
    for page, values in counts.items():
        assert len(set(values)) <= 1, (page, values)
