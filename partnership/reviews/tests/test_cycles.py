"""Review cycles end to end through the pages: opening a cycle, proposing, editing and agreeing the
rota, conflicts of interest, the review page, the visit and the evidence notes."""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from partnership.core.models import AuditEvent
from partnership.core.roles import Role
from partnership.directory.tests.factories import member_school, staff
from partnership.reviews import cycles
from partnership.reviews.models import (
    ConflictOfInterest,
    EvidenceNote,
    FocusArea,
    Review,
    ReviewCycle,
    Sharing,
    TeamMember,
)
from partnership.reviews.tests import factories

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def grow(world, n: int) -> list:
    """n more member schools of `home`, each with a headteacher; returns the heads."""
    heads = []
    for i in range(n):
        school = member_school(world.home, name=f"School {i + 1} Primary")
        heads.append(staff(school, Role.HEADTEACHER, full_name=f"Head of school {i + 1}"))
    return heads


def teams(cycle: ReviewCycle, round_: int = 1) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {}
    for school_id, person_id in TeamMember.objects.filter(review__cycle=cycle, review__round=round_).values_list(
        "review__school_id", "person_id"
    ):
        found.setdefault(school_id, set()).add(person_id)
    return found


def propose(client, world, cycle):
    client.force_login(world["coordinator"])
    return client.post(reverse("reviews:cycle_propose", args=[cycle.pk]))


# --- Opening a cycle -----------------------------------------------------------------------------


def test_a_coordinator_opens_a_cycle_with_the_defaults(client, world):
    factories.framework()
    client.force_login(world["coordinator"])
    url = reverse("reviews:cycle_create", args=[world.home.slug])
    page = text(client.get(url))
    assert 'value="Peer review 2026/27"' in page
    default = factories.framework()
    assert f'<option value="{default.pk}" selected>' in page
    response = client.post(
        url,
        {
            "name": "Peer review 2026/27",
            "academic_year": 2026,
            "framework": default.pk,
            "rounds": 2,
            "team_size": 2,
            "max_load": 2,
            "include_deputies": "on",
        },
    )
    cycle = ReviewCycle.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reviews:cycle_detail", args=[cycle.pk])
    assert (cycle.rounds, cycle.team_size, cycle.include_deputies, cycle.status) == (2, 2, True, "planning")
    assert AuditEvent.objects.filter(verb="create", object_type="reviews.reviewcycle").exists()


def test_only_coordinators_open_cycles(client, world):
    client.force_login(world["head"])
    assert client.get(reverse("reviews:cycle_create", args=[world.home.slug])).status_code == 403


# --- Proposing the rota --------------------------------------------------------------------------


def test_the_proposal_gives_every_school_a_team_from_other_schools_with_a_lead(client, world):
    grow(world, 3)
    cycle = factories.cycle(world.home, by=world["coordinator"], team_size=2, max_load=2)
    response = propose(client, world, cycle)
    assert response.status_code == 302
    reviews = list(Review.objects.filter(cycle=cycle).prefetch_related("team"))
    assert len(reviews) == 5 and {r.stage for r in reviews} == {Review.Stage.PLANNED}
    for review in reviews:
        team = list(review.team.all())
        assert len(team) == 2
        assert sum(m.is_lead for m in team) == 1
        assert all(m.from_school_id and m.from_school_id != review.school_id for m in team)
    page = text(client.get(reverse("reviews:cycle_detail", args=[cycle.pk])))
    assert "Lead" in page and "2 reviews" in page
    assert "Change the team for Own Primary" in page


def test_an_impossible_rota_says_why_and_what_to_change(client, world):
    cycle = factories.cycle(world.home, by=world["coordinator"], team_size=2, max_load=2)
    response = propose(client, world, cycle)
    assert response.status_code == 200
    page = text(response)
    assert "There is a problem" in page
    assert "Own Primary needs 2 reviewers, but only 1 reviewer may review it" in page
    assert "raise the most reviews one reviewer takes on" in page
    assert not Review.objects.filter(cycle=cycle).exists()


def test_relaxed_rules_are_saved_and_shown_in_plain_words(client, world):
    cycle = factories.cycle(world.home, by=world["coordinator"], team_size=1, max_load=1)
    propose(client, world, cycle)
    cycle.refresh_from_db()
    assert cycle.relaxed == ["Schools Own Primary and Partner Primary review each other."]
    assert "Schools Own Primary and Partner Primary review each other." in text(
        client.get(reverse("reviews:cycle_detail", args=[cycle.pk]))
    )


def test_last_years_pairings_and_conflicts_are_kept_out(client, world):
    heads = grow(world, 4)
    year = factories.cycle(world.home, by=world["coordinator"]).academic_year
    last = factories.cycle(world.home, by=world["coordinator"], year=year - 1, name="Last year")
    factories.review(last, world.own, team=[heads[0]])
    factories.review(last, world.partner, team=[heads[1]])
    ConflictOfInterest.objects.create(person=heads[2], school=world.own, reason="My sister teaches there")
    cycle = ReviewCycle.objects.get(academic_year=year)
    cycle.team_size, cycle.max_load = 1, 1
    cycle.save()
    propose(client, world, cycle)
    rota = teams(cycle)
    assert heads[0].pk not in rota[world.own.pk] and heads[2].pk not in rota[world.own.pk]
    assert heads[1].pk not in rota[world.partner.pk]


def test_two_rounds_do_not_repeat_a_pairing(client, world):
    grow(world, 4)
    cycle = factories.cycle(world.home, by=world["coordinator"], rounds=2, team_size=1, max_load=1)
    propose(client, world, cycle)
    one, two = teams(cycle, 1), teams(cycle, 2)
    assert len(one) == len(two) == 6
    assert all(not (one[s] & two[s]) for s in one)


def test_proposing_again_replaces_the_proposal_until_it_is_agreed(client, world):
    grow(world, 2)
    cycle = factories.cycle(world.home, by=world["coordinator"], team_size=1, max_load=1)
    propose(client, world, cycle)
    first = set(Review.objects.filter(cycle=cycle).values_list("pk", flat=True))
    propose(client, world, cycle)
    assert Review.objects.filter(cycle=cycle).count() == 4
    assert not first & set(Review.objects.filter(cycle=cycle).values_list("pk", flat=True))
    response = client.post(reverse("reviews:cycle_accept", args=[cycle.pk]))
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.status == "accepted" and cycle.accepted_by == world["coordinator"] and cycle.accepted_at
    assert AuditEvent.objects.filter(verb="accept_rota").exists()
    response = propose(client, world, cycle)
    assert "The rota has been agreed" in text(response)
    assert Review.objects.filter(cycle=cycle).count() == 4


# --- Editing a team ------------------------------------------------------------------------------


def _team_post(review, members, lead):
    prefix = f"team-{review.pk}"
    data = {f"{prefix}-reviewer_{i}": pk for i, pk in enumerate(members, start=1)}
    data[f"{prefix}-lead"] = lead
    return data


def test_a_team_edit_breaking_a_hard_rule_is_refused_and_nothing_saved(client, world):
    heads = grow(world, 2)
    cycle = factories.cycle(world.home, by=world["coordinator"], team_size=1, max_load=1)
    propose(client, world, cycle)
    review = Review.objects.get(cycle=cycle, school=world.own)
    before = teams(cycle)
    # The head of Own Primary on their own school's team, and over the load (they review elsewhere).
    response = client.post(
        reverse("reviews:review_team", args=[review.pk]), _team_post(review, [world["head"].pk], world["head"].pk)
    )
    page = text(response)
    assert response.status_code == 200 and "This team cannot be saved" in page
    assert "works at school Own Primary, so cannot review it" in page
    assert teams(cycle) == before
    # Another school's reviewer (one who does not work at Own Primary) is over the load while still
    # on their own team; with a higher load the edit is saved.
    assert heads  # the partnership has grown
    other = next(
        r
        for r in Review.objects.filter(cycle=cycle).exclude(school=world.own)
        if TeamMember.objects.get(review=r).from_school_id != world.own.pk
    )
    theirs = next(iter(before[other.school_id]))
    response = client.post(reverse("reviews:review_team", args=[review.pk]), _team_post(review, [theirs], theirs))
    assert "is on 2 teams; the most is 1" in text(response)
    assert teams(cycle) == before
    cycle.max_load = 2
    cycle.save()
    response = client.post(reverse("reviews:review_team", args=[review.pk]), _team_post(review, [theirs], theirs))
    assert response.status_code == 302
    assert teams(cycle)[world.own.pk] == {theirs}
    assert TeamMember.objects.get(review=review).is_lead
    assert AuditEvent.objects.filter(verb="set_team").exists()


def test_team_edits_after_acceptance_are_still_checked(client, world):
    grow(world, 2)
    cycle = factories.cycle(world.home, by=world["coordinator"], team_size=1, max_load=1)
    propose(client, world, cycle)
    client.post(reverse("reviews:cycle_accept", args=[cycle.pk]))
    review = Review.objects.get(cycle=cycle, school=world.own)
    response = client.post(
        reverse("reviews:review_team", args=[review.pk]), _team_post(review, [world["head"].pk], world["head"].pk)
    )
    assert "cannot be saved" in text(response)


# --- Closing a cycle ------------------------------------------------------------------------------


def test_a_coordinator_closes_the_cycle_and_can_open_it_again(client, world):
    grow(world, 2)
    cycle = factories.cycle(world.home, by=world["coordinator"], team_size=1, max_load=1)
    propose(client, world, cycle)
    close = reverse("reviews:cycle_close", args=[cycle.pk])
    # not before the rota is agreed: said on the cycle's page, nothing changed
    refused = client.post(close)
    assert refused.status_code == 200 and "Agree the rota before closing the cycle." in text(refused)
    assert ReviewCycle.objects.get(pk=cycle.pk).status == ReviewCycle.Status.PLANNING
    client.post(reverse("reviews:cycle_accept", args=[cycle.pk]))
    page = text(client.get(reverse("reviews:cycle_detail", args=[cycle.pk])))
    assert "Close the cycle" in page and "4 reviews have no final report yet" in page
    assert client.post(close)["Location"] == reverse("reviews:cycle_detail", args=[cycle.pk])
    cycle.refresh_from_db()
    assert cycle.status == ReviewCycle.Status.CLOSED and cycle.closed_by == world["coordinator"]
    event = AuditEvent.objects.get(verb="close_cycle")
    assert event.detail == {"without_final_report": 4} and event.partnership_id == world.home.pk
    page = text(client.get(reverse("reviews:cycle_detail", args=[cycle.pk])))
    assert "Open the cycle again" in page and "Change the team for" not in page  # teams settled
    assert "already closed" in text(client.post(close))
    client.post(reverse("reviews:cycle_reopen", args=[cycle.pk]))
    cycle.refresh_from_db()
    assert cycle.status == ReviewCycle.Status.ACCEPTED and cycle.closed_at is None
    assert AuditEvent.objects.filter(verb="reopen_cycle").exists()
    assert "not closed" in text(client.post(reverse("reviews:cycle_reopen", args=[cycle.pk])))


def test_a_closed_cycles_visits_leave_the_heads_coming_up_list(rf, world):
    from partnership.reviews import selectors

    grow(world, 2)
    cycle = factories.cycle(world.home, by=world["coordinator"], team_size=1, max_load=1)
    cycles.rota_propose(cycle=cycle, actor=world["coordinator"])
    cycles.rota_accept(cycle=cycle, actor=world["coordinator"])
    request = rf.get("/")
    request.user = TeamMember.objects.filter(review__cycle=cycle).first().person
    assert selectors.home_reviews(request) is not None
    cycles.cycle_close(cycle=cycle, actor=world["coordinator"])
    assert selectors.home_reviews(request) is None


# --- Conflicts of interest -----------------------------------------------------------------------


def test_a_head_declares_a_conflict_the_coordinator_sees_it_and_the_planner_respects_it(client, world):
    heads = grow(world, 2)
    client.force_login(heads[0])
    response = client.post(
        reverse("reviews:conflict_list"), {"school": world.own.pk, "reason": "My sister teaches there"}
    )
    assert response.status_code == 302
    assert "My sister teaches there" in text(client.get(reverse("reviews:conflict_list")))
    cycle = factories.cycle(world.home, by=world["coordinator"], team_size=2, max_load=2)
    propose(client, world, cycle)
    assert heads[0].pk not in teams(cycle)[world.own.pk]
    page = text(client.get(reverse("reviews:cycle_detail", args=[cycle.pk])))
    assert "My sister teaches there" in page and "Head of school 1" in page
    # Another head cannot withdraw it; its author can.
    conflict = ConflictOfInterest.objects.get()
    client.force_login(world["head"])
    assert client.post(reverse("reviews:conflict_withdraw", args=[conflict.pk])).status_code in (403, 404)
    client.force_login(heads[0])
    assert client.post(reverse("reviews:conflict_withdraw", args=[conflict.pk])).status_code == 302
    assert not ConflictOfInterest.objects.exists()


def test_nobody_declares_a_conflict_with_their_own_school(client, world):
    client.force_login(world["head"])
    response = client.post(reverse("reviews:conflict_list"), {"school": world.own.pk, "reason": "x"})
    assert response.status_code == 200 and not ConflictOfInterest.objects.exists()


# --- The review page and the visit ---------------------------------------------------------------


@pytest.fixture
def visit(world):
    """Own Primary's review in an accepted cycle; the partner head leads its team."""
    cycle = factories.cycle(world.home, by=world["coordinator"], status="accepted")
    review = factories.review(cycle, world.own, team=[world["partner_head"]], stage=Review.Stage.PLANNED)
    review.visit_starts_on = review.visit_ends_on = None
    review.save()
    return review


def test_the_lead_schedules_the_visit_and_the_school_writes_its_question(client, world, visit):
    client.force_login(world["partner_head"])
    day = timezone.localdate() + datetime.timedelta(days=30)
    url = reverse("reviews:visit_schedule", args=[visit.pk])
    response = client.post(
        url, {"starts_on": day.isoformat(), "ends_on": (day + datetime.timedelta(days=1)).isoformat()}
    )
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.stage == Review.Stage.SCHEDULED and visit.visit_days == 2
    assert client.get(reverse("reviews:visit_enquiry", args=[visit.pk])).status_code == 403
    client.force_login(world["teacher"])
    assert client.get(url).status_code == 403
    client.force_login(world["head"])
    assert client.get(url).status_code == 403  # the school's head does not set the dates
    response = client.post(
        reverse("reviews:visit_enquiry", args=[visit.pk]),
        {"enquiry_question": "To what extent does phonics help the weakest readers?"},
    )
    assert response.status_code == 302
    page = text(client.get(reverse("reviews:review_detail", args=[visit.pk])))
    assert "To what extent does phonics help the weakest readers?" in page
    assert world["partner_head"].full_name in page and "Lead reviewer" in page


def test_the_team_sees_the_sef_only_when_the_school_shares_it(client, world, visit):
    sef = factories.sef(world.own, by=world["head"], year=visit.cycle.academic_year, sharing=Sharing.OWN_SCHOOL)
    client.force_login(world["partner_head"])
    page = text(client.get(reverse("reviews:review_detail", args=[visit.pk])))
    assert "The school has not shared its self-evaluation with the review team." in page
    assert "Next step in" not in page  # no suggestions from a SEF they may not read
    sef.sharing = Sharing.REVIEW_TEAM
    sef.save()
    page = text(client.get(reverse("reviews:review_detail", args=[visit.pk])))
    assert "not shared" not in page
    area = sef.entries.select_related("area").first().area
    assert f"Next step in {area.name.lower()}" in page
    assert f"The school&#x27;s self-evaluation: {area.name}" in page
    # Agreeing a suggestion makes it a focus area, and it is no longer suggested.
    client.post(
        reverse("reviews:visit_focus_add", args=[visit.pk]),
        {"title": f"Next step in {area.name.lower()}", "area": area.pk, "why": "From the SEF"},
    )
    assert FocusArea.objects.get(review=visit).area == area


def test_the_schedule_takes_a_host_from_the_school_and_reviewers_from_the_team(client, world, visit):
    client.force_login(world["head"])
    day = timezone.localdate() + datetime.timedelta(days=5)
    visit.visit_starts_on = visit.visit_ends_on = day
    visit.save()
    url = reverse("reviews:visit_activity_add", args=[visit.pk])
    response = client.post(
        url,
        {
            "kind": "learning_walk",
            "day": day.isoformat(),
            "starts_at": "09:30",
            "ends_at": "10:15",
            "focus": "Reading in Key Stage 1",
            "host": world["head"].pk,
            "reviewers": [world["partner_head"].pk],
        },
    )
    assert response.status_code == 302
    activity = visit.activities.get()
    assert activity.host == world["head"] and list(activity.reviewers.all()) == [world["partner_head"]]
    response = client.post(
        url, {"kind": "book_look", "day": (day + datetime.timedelta(days=9)).isoformat(), "starts_at": "11:00"}
    )
    assert "Choose a day of the visit" in text(response)


# --- Evidence notes ------------------------------------------------------------------------------


def autosave(client, review, area, text_, version, **extra):
    return client.post(
        reverse("reviews:note_autosave", args=[review.pk]),
        json.dumps({"area": area.pk, "text": text_, "version": version, **extra}),
        content_type="application/json",
    )


def test_autosave_bumps_the_version_and_refuses_a_stale_one(client, world, visit):
    area = visit.cycle.framework.areas.first()
    client.force_login(world["partner_head"])
    first = autosave(client, visit, area, "Calm corridors", 0)
    assert first.status_code == 200 and first.json()["version"] == 1
    second = autosave(client, visit, area, "Calm corridors; pupils polite", 1)
    assert second.json()["version"] == 2
    stale = autosave(client, visit, area, "From the other tablet", 1)
    assert stale.status_code == 409 and stale.json()["version"] == 2
    assert "changed in another window" in stale.json()["error"]
    note = EvidenceNote.objects.get()
    assert (note.text, note.version, note.author) == ("Calm corridors; pupils polite", 2, world["partner_head"])
    # Audited on the first save only; the next autosave within minutes is not.
    assert AuditEvent.objects.filter(object_type="reviews.evidencenote").count() == 1
    autosave(client, visit, area, "Explicit save", 2, explicit=True)
    assert AuditEvent.objects.filter(object_type="reviews.evidencenote").count() == 2


def test_a_note_is_audited_again_after_a_few_minutes(world, visit, monkeypatch):
    area = visit.cycle.framework.areas.first()
    note = cycles.note_save(review=visit, area=area, author=world["partner_head"], text="a", version=0)
    note = cycles.note_save(review=visit, area=area, author=world["partner_head"], text="ab", version=note.version)
    assert AuditEvent.objects.filter(object_type="reviews.evidencenote").count() == 1
    later = timezone.now() + cycles.NOTE_AUDIT_EVERY + datetime.timedelta(seconds=1)
    monkeypatch.setattr(cycles.timezone, "now", lambda: later)
    cycles.note_save(review=visit, area=area, author=world["partner_head"], text="abc", version=note.version)
    assert AuditEvent.objects.filter(object_type="reviews.evidencenote").count() == 2


def test_the_notes_form_works_without_javascript_and_keeps_text_when_stale(client, world, visit):
    areas = list(visit.cycle.framework.areas.all()[:2])
    client.force_login(world["partner_head"])
    url = reverse("reviews:note_page", args=[visit.pk])
    page = text(client.get(url))
    assert f'name="text_{areas[0].pk}"' in page and "reviews/notes.js" in page
    response = client.post(url, {f"text_{areas[0].pk}": "Strong phonics", f"version_{areas[0].pk}": 0})
    assert response.status_code == 302
    cycles.note_save(review=visit, area=areas[0], author=world["partner_head"], text="Elsewhere", version=1)
    response = client.post(url, {f"text_{areas[0].pk}": "My old copy", f"version_{areas[0].pk}": 1})
    page = text(response)
    assert response.status_code == 200 and "There is a problem" in page and "My old copy" in page
    assert EvidenceNote.objects.get().text == "Elsewhere"


def test_only_the_author_edits_and_the_schools_leaders_read(client, world, visit):
    area = visit.cycle.framework.areas.first()
    cycles.note_save(review=visit, area=area, author=world["partner_head"], text="Lively reading corner", version=0)
    client.force_login(world["head"])  # the school's head reads the team's notes, and cannot write
    page = text(client.get(reverse("reviews:note_page", args=[visit.pk])))
    assert "Lively reading corner" in page and "<textarea" not in page
    assert autosave(client, visit, area, "x", 0).status_code == 403
    client.force_login(world["teacher"])
    assert client.get(reverse("reviews:note_page", args=[visit.pk])).status_code == 403
    client.force_login(world["coordinator"])
    assert client.get(reverse("reviews:note_page", args=[visit.pk])).status_code == 403


def test_a_reviewer_sees_their_review_and_nothing_of_another_schools(client, world):
    """A reviewer on school A's team sees A's review and notes and nothing of school B's review in the
    same cycle; other heads in the partnership do not see A's notes."""
    heads = grow(world, 2)
    cycle = factories.cycle(world.home, by=world["coordinator"], status="accepted")
    a = factories.review(cycle, world.own, team=[heads[0]])
    b = factories.review(cycle, world.partner, team=[heads[1]])
    area = cycle.framework.areas.first()
    cycles.note_save(review=a, area=area, author=heads[0], text="Note on A", version=0)
    cycles.note_save(review=b, area=area, author=heads[1], text="Note on B", version=0)
    client.force_login(heads[0])
    assert client.get(reverse("reviews:review_detail", args=[a.pk])).status_code == 200
    assert "Note on A" in text(client.get(reverse("reviews:note_page", args=[a.pk])))
    for name in ("review_detail", "note_page", "visit_activity_add", "visit_prereview"):
        assert client.get(reverse(f"reviews:{name}", args=[b.pk])).status_code in (403, 404), name
    assert autosave(client, b, area, "x", 1).status_code in (403, 404)
    cycle_page = text(client.get(reverse("reviews:cycle_detail", args=[cycle.pk])))
    assert "Own Primary" in cycle_page and "Partner Primary" not in cycle_page
    index = text(client.get(reverse("reviews:index")))
    assert "Partner Primary" not in index
    # The partner school's head (reviewed by someone else) sees nothing of A's notes.
    client.force_login(world["partner_head"])
    assert client.get(reverse("reviews:note_page", args=[a.pk])).status_code in (403, 404)
    assert client.get(reverse("reviews:review_detail", args=[a.pk])).status_code in (403, 404)
    client.force_login(heads[1])
    assert client.get(reverse("reviews:note_page", args=[a.pk])).status_code in (403, 404)


def test_deputies_review_only_when_the_cycle_includes_them(client, world):
    deputies = [staff(world.own, Role.SENIOR_LEADER), staff(world.partner, Role.SENIOR_LEADER)]
    heads_only = factories.cycle(world.home, by=world["coordinator"], team_size=2, max_load=1, name="Heads")
    assert "No rota can keep every rule: 2 schools need 2 reviewers each, but 2 reviewers" in text(
        propose(client, world, heads_only)
    )
    with_deputies = factories.cycle(
        world.home, by=world["coordinator"], team_size=2, max_load=1, include_deputies=True, name="Deputies"
    )
    propose(client, world, with_deputies)
    rota = teams(with_deputies)
    assert rota[world.own.pk] == {world["partner_head"].pk, deputies[1].pk}
    assert rota[world.partner.pk] == {world["head"].pk, deputies[0].pk}


def test_a_second_round_that_must_repeat_round_one_says_so(client, world):
    cycle = factories.cycle(world.home, by=world["coordinator"], rounds=2, team_size=1, max_load=1)
    propose(client, world, cycle)
    cycle.refresh_from_db()
    assert teams(cycle, 1) == teams(cycle, 2)  # two schools, one head each: no other way
    assert any(
        note.startswith("Round 2: Reviewer ") and note.endswith("again, as last year or in an earlier round.")
        for note in cycle.relaxed
    )
