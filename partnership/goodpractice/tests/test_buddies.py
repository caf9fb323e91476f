"""Buddy pairs: the services' rules and refusals, the suggestions (never within one school, ranked
by subject, year group, load and name), renewal and the year end, the pages end to end, their
query counts, and the demo's pairs."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partnership.core.errors import ApplicationError
from partnership.core.models import AuditEvent
from partnership.core.roles import Role
from partnership.core.schoolyear import current_academic_year
from partnership.directory.models import Membership, RoleAssignment
from partnership.directory.tests.factories import staff
from partnership.goodpractice import buddies
from partnership.goodpractice.models import BuddyMeeting, BuddyPair, year_end
from partnership.goodpractice.tests import factories_buddies as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _name(person, full_name):
    person.full_name = full_name
    person.save(update_fields=["full_name"])
    return person


def _create(w, first=None, second=None, actor=None, **kwargs):
    return buddies.pair_create(
        partnership=kwargs.pop("partnership", w.home),
        first=first or w["teacher"],
        second=second or w["partner_teacher"],
        actor=actor or w["coordinator"],
        role=kwargs.pop("role", Role.TEACHER),
        **kwargs,
    )


def _refusal(call):
    with pytest.raises(ApplicationError) as caught:
        call()
    return caught.value


# Making a pair


def test_a_pair_runs_to_the_end_of_the_academic_year_and_is_audited(shared_world):
    w = shared_world
    pair = _create(w, year_group="2", focus="  Reading   fluency ")
    year = current_academic_year(TODAY)
    assert (pair.academic_year, pair.starts_on, pair.ends_on) == (year, TODAY, year_end(year))
    assert (pair.first_school_id, pair.second_school_id) == (w.own.pk, w.partner.pk)
    assert pair.focus == "Reading fluency" and pair.is_current()
    event = AuditEvent.objects.get(verb="create", object_type="goodpractice.buddypair", object_id=str(pair.pk))
    assert event.actor == w["coordinator"] and event.partnership_id == w.home.pk
    assert event.detail["first"] == w["teacher"].pk and event.detail["year_group"] == "2"


@pytest.mark.parametrize(
    ("made_on", "ends_on"),
    [
        (datetime.date(2026, 9, 1), datetime.date(2027, 9, 1)),
        (datetime.date(2027, 3, 15), datetime.date(2027, 9, 1)),
        (datetime.date(2027, 8, 31), datetime.date(2027, 9, 1)),
    ],
)
def test_the_year_end_is_the_first_of_september_after_the_academic_year(shared_world, made_on, ends_on):
    w = shared_world
    pair = _create(w, today=made_on)
    assert pair.ends_on == ends_on and pair.academic_year == 2026
    assert pair.is_current(made_on) and not pair.is_current(ends_on)


def test_buddies_are_two_people_of_different_member_schools(shared_world):
    w = shared_world
    same = _refusal(lambda: _create(w, second=w["teacher"]))
    assert same.field == "second" and "two different people" in same.message
    colleague = staff(w.own, Role.TEACHER, full_name="Olive Owncolleague")
    _name(w["teacher"], "Tess Teacher")
    school = _refusal(lambda: _create(w, second=colleague))
    assert school.message == (
        "Buddies come from different schools: Tess Teacher and Olive Owncolleague both work at Own Primary."
    )
    outsider = _refusal(lambda: _create(w, second=_name(w["outside_teacher"], "Otto Outside")))
    assert outsider.field == "second"
    assert outsider.message == "Otto Outside is not on the staff of a member school of Home Partnership."
    # A governor is not staff; nor is someone whose role has ended.
    governor = _refusal(lambda: _create(w, first=w["governor"]))
    assert governor.field == "first" and "is not on the staff" in governor.message
    RoleAssignment.objects.filter(person=w["partner_teacher"]).update(ended_on=TODAY)
    assert "is not on the staff" in _refusal(lambda: _create(w)).message
    assert not BuddyPair.objects.exists()


def test_a_school_that_has_left_the_partnership_has_no_buddies_in_it(shared_world):
    w = shared_world
    Membership.objects.filter(school=w.partner, partnership=w.home).update(left_on=TODAY)
    assert "is not on the staff of a member school" in _refusal(lambda: _create(w)).message


def test_a_leader_pairs_their_own_staff_and_a_coordinator_anyone(shared_world):
    w = shared_world
    third = f.school_with_teacher(w.home, "Third Primary")
    refused = _refusal(lambda: _create(w, first=w["partner_teacher"], second=third, actor=w["head"]))
    assert refused.message == "You can pair your own school's staff: one of the two must work at your school."
    assert _create(w, first=w["teacher"], second=third, actor=w["head"]).created_by == w["head"]
    assert _create(w, first=w["partner_teacher"], second=third, actor=w["coordinator"]).pk
    teacher = _refusal(lambda: _create(w, first=w["teacher"], second=w["partner_teacher"], actor=w["teacher"]))
    assert teacher.message == "Only the partnership's coordinators and member schools' leaders pair people."


def test_two_people_are_one_pair_at_a_time_whichever_way_round(shared_world):
    w = shared_world
    _create(w)
    again = _refusal(lambda: _create(w, first=w["partner_teacher"], second=w["teacher"], role=Role.SENCO))
    year = current_academic_year(TODAY)
    assert again.field == "second"
    assert again.message.endswith(f"are already buddies: their pair ends on 1 September {year + 1}.")
    assert BuddyPair.objects.count() == 1


def test_the_role_year_group_and_subject_come_from_the_lists(shared_world):
    w = shared_world
    assert _refusal(lambda: _create(w, role="governor")).field == "role"
    assert _refusal(lambda: _create(w, year_group="9")).field == "year_group"
    assert _refusal(lambda: _create(w, subject="Alchemy")).field == "subject"


# Ending and renewing


def test_ending_a_pair_ends_it_today_once(shared_world):
    w = shared_world
    pair = f.current_pair(w.home, w["teacher"], w["partner_teacher"], by=w["coordinator"])
    ended = buddies.pair_end(pair, actor=w["teacher"])
    assert ended.ends_on == TODAY and not ended.is_current()
    again = _refusal(lambda: buddies.pair_end(pair, actor=w["teacher"]))
    assert again.message == f"This pair has already ended, on {TODAY.day} {TODAY:%B %Y}."
    event = AuditEvent.objects.get(verb="end", object_id=str(pair.pk))
    assert event.detail["ends_on"][1] == TODAY.isoformat()
    # Once ended, the two may be paired again.
    assert _create(w).pk != pair.pk


def test_renewing_makes_next_years_pair_from_this_years_end(shared_world):
    w = shared_world
    pair = f.current_pair(
        w.home, w["teacher"], w["partner_teacher"], by=w["coordinator"], year_group="4", subject="", focus="Fractions"
    )
    renewed = buddies.pair_renew(pair, actor=w["partner_head"])
    assert renewed.renewed_from == pair and renewed.academic_year == pair.academic_year + 1
    assert renewed.starts_on == pair.ends_on and renewed.ends_on == year_end(pair.academic_year + 1)
    assert (renewed.first, renewed.second, renewed.year_group, renewed.focus) == (
        w["teacher"],
        w["partner_teacher"],
        "4",
        "Fractions",
    )
    assert not renewed.is_current() and renewed.is_current(pair.ends_on)
    assert AuditEvent.objects.get(verb="renew", object_id=str(renewed.pk)).detail["renewed_from"] == pair.pk
    twice = _refusal(lambda: buddies.pair_renew(pair, actor=w["coordinator"]))
    assert (
        twice.message
        == f"This pair has already been renewed for {pair.academic_year + 1}/{(pair.academic_year + 2) % 100:02d}."
    )


def test_a_pair_ended_early_or_long_over_is_not_renewed(shared_world):
    w = shared_world
    pair = f.current_pair(w.home, w["teacher"], w["partner_teacher"], by=w["coordinator"])
    buddies.pair_end(pair, actor=w["coordinator"])
    assert "ended early" in _refusal(lambda: buddies.pair_renew(pair, actor=w["coordinator"])).message
    old = BuddyPair.objects.create(
        partnership=w.home,
        first=w["teacher"],
        first_school=w.own,
        second=w["partner_teacher"],
        second_school=w.partner,
        academic_year=current_academic_year(TODAY) - 3,
        starts_on=datetime.date(current_academic_year(TODAY) - 3, 9, 1),
        ends_on=year_end(current_academic_year(TODAY) - 3),
        created_by=w["coordinator"],
    )
    assert "is long over" in _refusal(lambda: buddies.pair_renew(old, actor=w["coordinator"])).message


def test_last_years_pair_renews_into_this_year(shared_world):
    w = shared_world
    old = f.last_years_pair(w.home, w["teacher"], w["partner_teacher"], by=w["coordinator"])
    renewed = buddies.pair_renew(old, actor=w["teacher"])
    assert renewed.academic_year == current_academic_year(TODAY) and renewed.is_current()


def test_a_buddy_who_has_left_their_school_is_not_renewed(shared_world):
    w = shared_world
    pair = f.current_pair(w.home, w["teacher"], w["partner_teacher"], by=w["coordinator"])
    RoleAssignment.objects.filter(person=w["partner_teacher"]).update(ended_on=TODAY)
    assert "is not on the staff" in _refusal(lambda: buddies.pair_renew(pair, actor=w["teacher"])).message
    assert not BuddyPair.objects.filter(renewed_from=pair).exists()


# Meetings


def test_a_meeting_is_logged_while_the_pair_runs_and_audited(shared_world):
    w = shared_world
    pair = f.current_pair(w.home, w["teacher"], w["partner_teacher"], by=w["coordinator"])
    meeting = buddies.meeting_log(pair, day=TODAY, note="  Compared our phonics groups. ", actor=w["teacher"])
    assert meeting.note == "Compared our phonics groups." and meeting.logged_by == w["teacher"]
    assert AuditEvent.objects.get(verb="log_meeting", object_id=str(pair.pk)).detail["meeting"] == meeting.pk
    tomorrow = TODAY + datetime.timedelta(days=1)
    future = _refusal(lambda: buddies.meeting_log(pair, day=tomorrow, note="Soon", actor=w["teacher"]))
    assert (future.field, future.message) == ("day", "The date of the meeting must be today or in the past.")
    before = _refusal(
        lambda: buddies.meeting_log(pair, day=TODAY - datetime.timedelta(days=1), note="x", actor=w["teacher"])
    )
    assert before.field == "day" and "on or after the pair began" in before.message
    empty = _refusal(lambda: buddies.meeting_log(pair, day=TODAY, note="   ", actor=w["teacher"]))
    assert (empty.field, empty.message) == ("note", "Enter a note of the meeting.")
    assert BuddyMeeting.objects.count() == 1


def test_no_meeting_after_the_pair_ended(shared_world):
    w = shared_world
    old = f.last_years_pair(w.home, w["teacher"], w["partner_teacher"], by=w["coordinator"])
    assert buddies.meeting_log(old, day=old.starts_on, note="First meeting.", actor=w["teacher"]).pk
    late = _refusal(lambda: buddies.meeting_log(old, day=old.ends_on, note="Late", actor=w["teacher"]))
    assert late.field == "day" and "had ended by then" in late.message


# Suggestions


def _suggested(w, person, role=Role.TEACHER, **kwargs):
    return buddies.suggest_buddies(w.home, person, role, limit=kwargs.pop("limit", None), **kwargs)


def test_suggestions_rank_year_group_then_load_then_name_and_never_the_own_school(shared_world):
    w = shared_world
    me = _name(w["teacher"], "Mia Me")
    _name(w["partner_teacher"], "Pat Partner")
    staff(w.own, Role.TEACHER, full_name="Aaron Owncolleague")  # same school: never
    zoe = f.school_with_teacher(w.home, "Third Primary", full_name="Zoe Yearfour")
    amy = f.school_with_teacher(w.home, "Fourth Primary", full_name="Amy Busy")
    staff(amy.school, Role.TEACHER, full_name="Bob Free")
    cal = f.school_with_teacher(w.home, "Fifth Primary", full_name="Cal Already")
    staff(w.partner, Role.SENCO, full_name="Sid Senco")  # another role: not offered
    f.last_years_pair(w.home, zoe, w["senco"], by=w["coordinator"], year_group="4")
    f.current_pair(w.home, amy, w["senco"], by=w["coordinator"], role=Role.SENCO)
    f.current_pair(w.home, me, cal, by=w["coordinator"])  # already my buddy: not suggested again

    found = _suggested(w, me, year_group="4")
    assert [s.person.full_name for s in found] == ["Zoe Yearfour", "Bob Free", "Pat Partner", "Amy Busy"]
    assert all(s.person.school_id != me.school_id for s in found)
    assert "Person" not in " ".join(s.person.full_name for s in found)  # the outside teacher: never
    by_name = {s.person.full_name: s for s in found}
    assert by_name["Zoe Yearfour"].reasons == ("Year 4 teacher", "No buddy yet")
    assert by_name["Bob Free"].reason == "Also a teacher"
    assert by_name["Amy Busy"].reasons == ("Also a teacher", "1 buddy pair now")
    assert by_name["Amy Busy"].current_pairs == 1
    assert [s.person.full_name for s in _suggested(w, me, year_group="4", limit=2)] == ["Zoe Yearfour", "Bob Free"]


def test_suggestions_put_the_same_subject_first(shared_world):
    w = shared_world
    me = staff(w.own, Role.SUBJECT_LEADER, subject="Maths", full_name="Mo Maths")
    english = staff(w.partner, Role.SUBJECT_LEADER, subject="English", full_name="Ed English")
    maths = f.school_with_teacher(
        w.home, "Third Primary", role=Role.SUBJECT_LEADER, subject="Maths", full_name="Zed Sums"
    )
    f.current_pair(w.home, maths, w["senco"], by=w["coordinator"], role=Role.SUBJECT_LEADER)
    found = _suggested(w, me, Role.SUBJECT_LEADER, subject="Maths")
    assert [s.person for s in found] == [maths, english]
    assert found[0].reasons == ("Leads maths too", "1 buddy pair now")
    assert found[1].reasons == ("Leads English", "No buddy yet")
    assert _suggested(w, me, Role.SUBJECT_LEADER, subject="English")[0].reason == "Leads English too"


def test_senco_suggestions_say_so(shared_world):
    w = shared_world
    theirs = staff(w.partner, Role.SENCO, full_name="Sue Senco")
    found = _suggested(w, w["senco"], Role.SENCO)
    assert [s.person for s in found] == [theirs] and found[0].reason == "Also a SENCO"


def _grow(w, n):
    for number in range(n):
        teacher = f.school_with_teacher(w.home, f"Grown Primary {number}", full_name=f"Grown Teacher {number}")
        f.current_pair(w.home, teacher, w["partner_teacher"], by=w["coordinator"], year_group="3")
        staff(teacher.school, Role.SUBJECT_LEADER, subject="Maths")


def _suggestion_queries(w):
    with CaptureQueriesContext(connection) as ctx:
        found = _suggested(w, w["teacher"], year_group="3")
    return len(ctx.captured_queries), len(found)


def test_suggestions_take_the_same_queries_however_many_people(shared_world):
    w = shared_world
    _grow(w, 2)
    small, few = _suggestion_queries(w)
    _grow(w, 10)
    large, many = _suggestion_queries(w)
    assert many == few + 10 and small == large <= 3


# Pages


def _page(client, user, url, status=200):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def test_the_pairs_page_shows_what_each_person_may_see(client, shared_world):
    w = shared_world
    _name(w["teacher"], "Tess Teacher")
    _name(w["partner_teacher"], "Pat Partner")
    mine = f.current_pair(w.home, w["teacher"], w["partner_teacher"], by=w["coordinator"], focus="Phonics groups")
    f.meeting(mine, by=w["teacher"])
    third = f.school_with_teacher(w.home, "Third Primary", full_name="Theo Third")
    f.current_pair(w.home, w["partner_teacher"], third, by=w["coordinator"])
    old = f.last_years_pair(w.home, w["teacher"], third, by=w["coordinator"])
    url = reverse("goodpractice:buddy_list", args=[w.home.slug])

    html = _page(client, w["teacher"], url)
    assert "My buddies" in html and "Pat Partner</a>, Partner Primary: Phonics groups" in html
    assert "1 meeting," in html and reverse("goodpractice:buddy_pair", args=[old.pk]) in html
    assert "Theo Third</a>" not in html.split("Ended pairs")[0]  # a pair without them or their school
    assert "Pair people" not in html

    coordinator = _page(client, w["coordinator"], url)
    assert "Pat Partner and Theo Third" in coordinator and "Pair people" in coordinator
    assert "My buddies" not in coordinator
    governor = _page(client, w["governor"], url)
    assert "No current pairs that you can see." in governor


def test_pairing_people_shows_suggestions_then_saves_the_pair(client, shared_world):
    w = shared_world
    _name(w["partner_teacher"], "Pat Partner")
    colleague = staff(w.own, Role.TEACHER, full_name="Olive Owncolleague")
    url = reverse("goodpractice:buddy_create", args=[w.home.slug])
    step_one = _page(client, w["head"], url)
    assert "Who needs a buddy" in step_one and "Pat Partner" not in step_one  # the head starts from their staff
    client.force_login(w["head"])
    step_two = client.get(url, {"person": w["teacher"].pk, "role": "teacher", "year_group": "2"}).content.decode()
    assert "Pat Partner (Partner Primary)" in step_two and "Also a teacher. No buddy yet." in step_two
    assert f'value="{colleague.pk}"' not in step_two.split("A buddy for")[1]
    response = client.post(
        url,
        {
            "person": w["teacher"].pk,
            "role": "teacher",
            "year_group": "2",
            "subject": "",
            "second": w["partner_teacher"].pk,
            "focus": "Reading fluency",
        },
    )
    pair = BuddyPair.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("goodpractice:buddy_pair", args=[pair.pk])
    assert (pair.first, pair.second, pair.year_group, pair.created_by) == (
        w["teacher"],
        w["partner_teacher"],
        "2",
        w["head"],
    )


def test_pairing_errors_are_shown_on_the_page(client, shared_world):
    w = shared_world
    url = reverse("goodpractice:buddy_create", args=[w.home.slug])
    client.force_login(w["coordinator"])
    data = {"person": w["teacher"].pk, "role": "teacher", "year_group": "", "subject": "", "focus": ""}
    missing = client.post(url, data).content.decode()
    assert "<title>Error: Pair people" in missing and "Choose a buddy" in missing
    f.current_pair(w.home, w["teacher"], w["partner_teacher"], by=w["coordinator"])
    third = f.school_with_teacher(w.home, "Third Primary")
    # Already the teacher's buddy: not offered, so refused as not one of the choices.
    refused = client.post(url, {**data, "second": w["partner_teacher"].pk}).content.decode()
    assert "<title>Error: Pair people" in refused and "Choose buddy from the list" in refused
    assert client.post(url, {**data, "second": third.pk}).status_code == 302
    unknown = client.get(url, {"person": w["outside_teacher"].pk, "role": "teacher"}).content.decode()
    assert "Choose who needs a buddy from the list" in unknown


def test_the_pair_page_logs_meetings_and_offers_end_and_renew(client, shared_world):
    w = shared_world
    pair = f.current_pair(w.home, w["teacher"], w["partner_teacher"], by=w["coordinator"], year_group="2")
    url = reverse("goodpractice:buddy_pair", args=[pair.pk])
    html = _page(client, w["teacher"], url)
    assert "Add a meeting" in html and "Renew for next year" in html and "End the pair" in html
    assert "Year 2" in html and "No meetings logged yet." in html
    response = client.post(url, {"day": TODAY.isoformat(), "note": "Swapped phonics trackers."})
    assert response.status_code == 302
    assert "Swapped phonics trackers." in _page(client, w["partner_teacher"], url)
    error = client.post(url, {"day": "", "note": ""}).content.decode()
    assert "Enter the date of the meeting" in error and "<title>Error:" in error

    coordinator = _page(client, w["coordinator"], url)
    assert "Add a meeting" not in coordinator and "End the pair" in coordinator
    client.force_login(w["coordinator"])
    renewed = client.post(reverse("goodpractice:buddy_renew", args=[pair.pk]))
    following = BuddyPair.objects.get(renewed_from=pair)
    assert renewed["Location"] == reverse("goodpractice:buddy_pair", args=[following.pk])
    after = _page(client, w["coordinator"], url)
    assert "Renew for next year" not in after and "The pair for next year" in after
    assert client.post(reverse("goodpractice:buddy_end", args=[pair.pk])).status_code == 302
    ended = _page(client, w["coordinator"], url)
    assert "End the pair" not in ended and "Ended" in ended


def test_a_second_end_is_refused_with_a_message(client, shared_world):
    w = shared_world
    pair = f.current_pair(w.home, w["teacher"], w["partner_teacher"], by=w["coordinator"])
    buddies.pair_end(pair, actor=w["coordinator"])
    client.force_login(w["teacher"])
    response = client.post(reverse("goodpractice:buddy_end", args=[pair.pk]), follow=True)
    assert "This pair has already ended" in response.content.decode()


def _count(client, user, url, params=None):
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _more_pairs(w, n):
    for number in range(n):
        teacher = f.school_with_teacher(w.home, f"More Primary {number}")
        pair = f.current_pair(
            w.home, teacher, w["teacher"] if number % 2 else w["partner_teacher"], by=w["coordinator"]
        )
        f.meeting(pair, by=teacher)
        f.meeting(pair, by=teacher, note="Second meeting.")
        f.last_years_pair(w.home, teacher, w["partner_teacher"], by=w["coordinator"], year_group="2")


@pytest.mark.parametrize("viewer", ["coordinator", "teacher", "head"])
def test_the_pairs_page_and_suggestions_do_not_grow_with_the_data(client, shared_world, viewer):
    w = shared_world
    user = w[viewer]
    pages = [(reverse("goodpractice:buddy_list", args=[w.home.slug]), None)]
    if viewer != "teacher":
        create = reverse("goodpractice:buddy_create", args=[w.home.slug])
        pages.append((create, {"person": w["teacher"].pk, "role": "teacher", "year_group": "2"}))
    _more_pairs(w, 2)
    small = [_count(client, user, url, params) for url, params in pages]
    _more_pairs(w, 8)
    large = [_count(client, user, url, params) for url, params in pages]
    assert small == large


# The demo


def test_the_demo_pairs_are_believable_and_loading_twice_doubles_nothing(shared_world):
    from partnership.directory.demo import load_demo
    from partnership.directory.models import Partnership
    from partnership.goodpractice.demo_buddies import load_buddies

    load_demo("demo-password-for-tests", TODAY)
    stars = Partnership.objects.get(slug="stars")
    assert load_buddies(stars, TODAY) == 3
    pairs = list(BuddyPair.objects.filter(partnership=stars).select_related("first", "second"))
    assert {(p.role, p.year_group, p.subject) for p in pairs} == {
        (Role.TEACHER, "2", ""),
        (Role.SENCO, "", ""),
        (Role.SUBJECT_LEADER, "", "Maths"),
    }
    for pair in pairs:
        assert pair.first_school_id != pair.second_school_id and pair.is_current(TODAY)
        meetings = list(pair.meetings.all())
        assert 1 <= len(meetings) <= 3
        assert all(pair.starts_on <= m.day <= TODAY for m in meetings)
        assert {m.logged_by_id for m in meetings} <= {pair.first_id, pair.second_id}
    counts = (BuddyPair.objects.count(), BuddyMeeting.objects.count())
    assert load_buddies(stars, TODAY) == 0
    assert (BuddyPair.objects.count(), BuddyMeeting.objects.count()) == counts


def test_my_buddies_are_on_the_home_page_and_the_pairs_page(client, shared_world):
    from django.template.loader import render_to_string

    from partnership.goodpractice.buddy_queries import my_buddies

    w = shared_world
    _name(w["partner_teacher"], "Pat Partner")
    pair = f.current_pair(w.home, w["teacher"], w["partner_teacher"], by=w["coordinator"], focus="Phonics")
    buddies.pair_renew(pair, actor=w["coordinator"])
    mine = my_buddies(w["teacher"])
    assert [(row.buddy, row.upcoming) for row in mine] == [(w["partner_teacher"], False), (w["partner_teacher"], True)]
    assert my_buddies(w["teacher"], w.other) == []
    html = render_to_string("goodpractice/buddies/_my_buddies.html", {"panel": {"mine": mine}})
    assert "My buddies" in html and "Pat Partner</a>, Partner Primary: Phonics" in html and "From 1 September" in html
    client.force_login(w["teacher"])
    home = client.get(reverse("home")).content.decode()
    assert "Your buddies" in home and "Pat Partner, Partner Primary" in home
    assert reverse("goodpractice:buddy_pair", args=[pair.pk]) in home
    # the head sees the pair (their school's) on the pairs page, but it is not theirs
    assert my_buddies(w["head"]) == []
    client.force_login(w["head"])
    assert "Your buddies" not in client.get(reverse("home")).content.decode()
    assert my_buddies(w["outside_teacher"]) == []
