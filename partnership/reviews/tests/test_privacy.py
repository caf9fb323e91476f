"""The privacy of self-evaluation and peer review, tested on the policy itself (`access.visible_to`
and `access.can` over the models): who reads a SEF at each sharing level, who reads the evidence
notes and who may edit them, when findings and a report reach the partnership, that a reviewer sees
nothing of another school's review in the same cycle, who sees a declared conflict of interest,
and that leaving a partnership ends a reviewer's access to its reviews.

Cast (`build_world()`): `home` has `own` and `partner`; `other` has `outside`."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from partnership.core import access
from partnership.core.roles import Role
from partnership.core.schoolyear import current_academic_year
from partnership.directory.tests.factories import member_school, staff
from partnership.reviews.models import (
    Activity,
    AreaJudgement,
    AreaOfExcellence,
    ConflictOfInterest,
    EvidenceNote,
    Finding,
    FocusArea,
    Review,
    ReviewReport,
    SefEntry,
    SelfEvaluation,
    Sharing,
    TeamMember,
)
from partnership.reviews.tests import factories as rf

pytestmark = pytest.mark.django_db

YEAR = current_academic_year()


def sees(user: Any, obj: Any) -> bool:
    """Both ways of asking agree, and say whether `user` may view `obj`."""
    listed = access.visible_to(user, type(obj)).filter(pk=obj.pk).exists()
    assert access.can(user, "view", obj) == listed, (user, obj)
    return listed


# ---------------------------------------------------------------------------------------------
# A SEF at each sharing level x who is asking.

# Who is asking, and the review (if any) that puts the partner head on the own school's team.
VIEWERS = [
    "head",
    "teacher",
    "governor",
    "partner_head_not_on_team",
    "partner_head_on_team",
    "partner_head_on_team_other_year",
    "outside_head",
    "coordinator",
    "adviser",
    "admin",
]
#                                    own_school  review_team  partnership
SEF_EXPECTED = {
    "head": (True, True, True),
    "teacher": (True, True, True),
    "governor": (True, True, True),
    "partner_head_not_on_team": (False, False, True),
    "partner_head_on_team": (False, True, True),
    "partner_head_on_team_other_year": (False, False, True),
    "outside_head": (False, False, False),
    "coordinator": (False, False, True),
    "adviser": (False, False, True),
    "admin": (True, True, True),
}
LEVELS = [Sharing.OWN_SCHOOL, Sharing.REVIEW_TEAM, Sharing.PARTNERSHIP]


def _viewer(world: Any, who: str) -> Any:
    if who.startswith("partner_head"):
        if who != "partner_head_not_on_team":
            year = YEAR if who == "partner_head_on_team" else YEAR - 1
            cycle = rf.cycle(world.home, by=world["coordinator"], year=year)
            rf.review(cycle, world.own, team=[world["partner_head"]])
        return world["partner_head"]
    return world[who]


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("who", VIEWERS)
def test_a_sef_reaches_as_far_as_the_school_shares_it(world, who, level):
    sef = rf.sef(world.own, by=world["head"], sharing=level)
    user = _viewer(world, who)
    expected = SEF_EXPECTED[who][LEVELS.index(level)]
    assert sees(user, sef) is expected, f"{who} at {level}"
    # Its areas follow it, and only the school's leaders (and administrators) edit or share it.
    entry = sef.entries.first()
    assert sees(user, entry) is expected
    may_edit = who in ("head", "admin")
    assert access.can(user, "edit", sef) is may_edit
    assert access.can(user, "share", sef) is may_edit


def test_a_senior_leader_edits_the_sef_and_a_teacher_does_not(world):
    sef = rf.sef(world.own, by=world["head"])
    deputy = staff(world.own, Role.SENIOR_LEADER)
    assert access.can(deputy, "edit", sef) and access.can(deputy, "share", sef)
    assert not access.can(world["teacher"], "edit", sef) and not access.can(world["governor"], "share", sef)
    assert not access.can(world["partner_head"], "edit", sef)


def test_last_years_review_team_does_not_see_this_years_sef_but_sees_last_years(world):
    last = rf.sef(world.own, by=world["head"], year=YEAR - 1, sharing=Sharing.REVIEW_TEAM)
    this = SelfEvaluation.objects.create(
        school=world.own,
        academic_year=YEAR,
        framework=last.framework,
        sharing=Sharing.REVIEW_TEAM,
        created_by=world["head"],
    )
    rf.review(rf.cycle(world.home, by=world["coordinator"], year=YEAR - 1), world.own, team=[world["partner_head"]])
    assert sees(world["partner_head"], last)
    assert not sees(world["partner_head"], this)


# ---------------------------------------------------------------------------------------------
# Evidence notes: the team's and the school leaders'.


@pytest.fixture
def visit(world: Any) -> dict[str, Any]:
    """The own school's review by the partner head (lead) and the partner deputy, with a note each."""
    deputy = staff(world.partner, Role.SENIOR_LEADER)
    cycle = rf.cycle(world.home, by=world["coordinator"])
    review = rf.review(cycle, world.own, team=[world["partner_head"], deputy], stage=Review.Stage.VISITED)
    area = rf.framework().areas.get(number=2)
    mine = EvidenceNote.objects.create(review=review, area=area, author=world["partner_head"], text="Books show...")
    theirs = EvidenceNote.objects.create(review=review, area=area, author=deputy, text="Pupils said...")
    return {"review": review, "deputy": deputy, "mine": mine, "theirs": theirs, "cycle": cycle}


def test_notes_are_for_the_team_and_the_school_leaders_only(world, visit):
    own_deputy = staff(world.own, Role.SENIOR_LEADER)
    for note in (visit["mine"], visit["theirs"]):
        assert sees(world["partner_head"], note) and sees(visit["deputy"], note)
        assert sees(world["head"], note) and sees(own_deputy, note)
        for who in ("teacher", "governor", "senco", "partner_teacher", "coordinator", "adviser", "outside_head"):
            assert not sees(world[who], note), who
    assert set(access.visible_to(world["teacher"], EvidenceNote)) == set()


def test_only_the_author_edits_a_note(world, visit):
    mine, theirs = visit["mine"], visit["theirs"]
    assert access.can(world["partner_head"], "edit", mine)
    assert not access.can(world["partner_head"], "edit", theirs)
    assert access.can(visit["deputy"], "edit", theirs) and not access.can(visit["deputy"], "edit", mine)
    for who in ("head", "teacher", "coordinator"):
        assert not access.can(world[who], "edit", mine), who
    # The team writes notes; the school reviewed does not.
    assert access.can(visit["deputy"], "write_notes", visit["review"])
    assert not access.can(world["head"], "write_notes", visit["review"])


# ---------------------------------------------------------------------------------------------
# Findings and the report, before and after the school shares a final report.


@pytest.fixture
def judged(visit: Any, world: Any) -> dict[str, Any]:
    review = visit["review"]
    area = rf.framework().areas.get(number=2)
    finding = Finding.objects.create(
        review=review,
        area=area,
        kind=Finding.Kind.DEVELOPMENT,
        text="Reading fluency",
        created_by=world["partner_head"],
    )
    judgement = AreaJudgement.objects.create(review=review, area=area, grade=rf.framework().grades.get(rank=2))
    aoe = AreaOfExcellence.objects.create(
        review=review, title="Outdoor learning", description="...", put_forward_by=world["head"]
    )
    report = ReviewReport.objects.create(review=review, summary="Draft", sharing=Sharing.PARTNERSHIP)
    return {**visit, "finding": finding, "judgement": judgement, "aoe": aoe, "report": report}


SCHOOL_AND_TEAM = {"head", "teacher", "governor", "partner_head"}
PARTNERSHIP = {"partner_teacher", "coordinator", "adviser"}
NEVER = {"outside_head", "other_coordinator", "leaver"}


def _readers(world: Any, judged: dict[str, Any]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for key in ("finding", "judgement", "aoe", "report"):
        found[key] = {who for who in SCHOOL_AND_TEAM | PARTNERSHIP | NEVER if sees(world[who], judged[key])}
    return found


def test_findings_and_report_stay_with_the_school_and_team_until_a_final_report_is_shared(world, judged):
    report = judged["report"]
    # A draft marked for the partnership: still the school's and the team's.
    assert all(readers == SCHOOL_AND_TEAM for readers in _readers(world, judged).values())
    # Final, kept to the school and its team.
    report.status, report.sharing, report.finalised_at = ReviewReport.Status.FINAL, Sharing.REVIEW_TEAM, timezone.now()
    report.save()
    assert all(readers == SCHOOL_AND_TEAM for readers in _readers(world, judged).values())
    # Final and shared with the partnership: everyone who can view the partnership, nobody outside it.
    report.sharing = Sharing.PARTNERSHIP
    report.save()
    assert all(readers == SCHOOL_AND_TEAM | PARTNERSHIP for readers in _readers(world, judged).values())
    # Sharing the report never opens the evidence notes.
    assert not sees(world["partner_teacher"], judged["mine"]) and not sees(world["coordinator"], judged["mine"])
    # Withdrawn again: back to the school and team.
    report.sharing = Sharing.OWN_SCHOOL
    report.save()
    assert not sees(world["coordinator"], judged["finding"])


def test_the_coordinator_runs_the_review_without_reading_its_unshared_findings(world, judged):
    review = judged["review"]
    assert sees(world["coordinator"], review) and access.can(world["coordinator"], "manage", review)
    assert not sees(world["coordinator"], judged["finding"])
    assert not access.can(world["other_coordinator"], "manage", review) and not sees(world["other_coordinator"], review)
    assert access.can(world["partner_head"], "finalise", review)  # the lead
    assert not access.can(judged["deputy"], "finalise", review)
    assert access.can(world["head"], "respond", review) and not access.can(world["teacher"], "respond", review)


# ---------------------------------------------------------------------------------------------
# A reviewer on school A's team sees nothing of school B's review in the same cycle.


def test_a_reviewer_sees_nothing_of_another_schools_review_in_the_same_cycle(world, judged):
    cycle = judged["cycle"]
    school_b = member_school(world.home)
    head_b = staff(school_b, Role.HEADTEACHER)
    other_reviewer = staff(member_school(world.home), Role.HEADTEACHER)
    sef_b = rf.sef(school_b, by=head_b, sharing=Sharing.REVIEW_TEAM)
    review_b = rf.review(cycle, school_b, team=[other_reviewer])
    area = rf.framework().areas.get(number=1)
    rows = [
        review_b,
        sef_b,
        SefEntry.objects.filter(sef=sef_b).first(),
        TeamMember.objects.get(review=review_b),
        FocusArea.objects.create(review=review_b, title="Maths"),
        Activity.objects.create(review=review_b, kind="book_look", day=review_b.visit_starts_on, starts_at="09:00"),
        EvidenceNote.objects.create(review=review_b, area=area, author=other_reviewer, text="..."),
        Finding.objects.create(review=review_b, kind="strength", text="Maths", created_by=other_reviewer),
        AreaJudgement.objects.create(review=review_b, area=area),
        ReviewReport.objects.create(review=review_b, status=ReviewReport.Status.FINAL, sharing=Sharing.REVIEW_TEAM),
    ]
    for reviewer in (world["partner_head"], judged["deputy"]):
        for row in rows:
            assert not sees(reviewer, row), (reviewer, row)
        assert not access.can(reviewer, "write_notes", review_b)
        # ...while their own review's rows are theirs.
        assert sees(reviewer, judged["review"]) and sees(reviewer, judged["finding"])
        assert set(access.visible_to(reviewer, Review).filter(cycle=cycle)) == {judged["review"]}
    # And school B's reviewer sees nothing of school A's.
    for row in (judged["review"], judged["mine"], judged["finding"], judged["report"]):
        assert not sees(other_reviewer, row)


# ---------------------------------------------------------------------------------------------
# Conflicts of interest.


def test_a_conflict_of_interest_is_for_the_person_and_the_schools_coordinators(world):
    conflict = ConflictOfInterest.objects.create(person=world["partner_head"], school=world.own, reason="My sister")
    assert sees(world["partner_head"], conflict) and access.can(world["partner_head"], "manage", conflict)
    assert sees(world["coordinator"], conflict) and not access.can(world["coordinator"], "manage", conflict)
    for who in ("head", "teacher", "governor", "partner_teacher", "adviser", "outside_head", "other_coordinator"):
        assert not sees(world[who], conflict), who
        assert not access.can(world[who], "manage", conflict), who
    outside = ConflictOfInterest.objects.create(person=world["outside_head"], school=world.outside)
    assert not sees(world["coordinator"], outside) and sees(world["other_coordinator"], outside)


# ---------------------------------------------------------------------------------------------
# Leaving the partnership ends a reviewer's access to its reviews.


def test_a_reviewer_whose_school_has_left_sees_nothing_of_the_review_any_more(world):
    """The leaver's school left `home` yesterday; they were on the own school's team before."""
    leaver = world["leaver"]
    sef = rf.sef(world.own, by=world["head"], sharing=Sharing.REVIEW_TEAM)
    review = rf.review(rf.cycle(world.home, by=world["coordinator"]), world.own, team=[leaver])
    area = rf.framework().areas.get(number=1)
    note = EvidenceNote.objects.create(review=review, area=area, author=leaver, text="Written before leaving")
    finding = Finding.objects.create(review=review, kind="strength", text="Reading", created_by=leaver)
    for row in (review, sef, note, finding, TeamMember.objects.get(review=review)):
        assert not sees(leaver, row), row
    assert not access.can(leaver, "write_notes", review)
    assert not access.can(leaver, "edit", note)
