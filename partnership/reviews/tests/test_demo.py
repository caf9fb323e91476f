"""The demo SEFs and peer reviews load on top of the directory's demo data, once, and every cycle's
teams keep the rota's hard rules."""

from __future__ import annotations

import datetime

import pytest

from partnership.actions.models import Action
from partnership.core.schoolyear import current_academic_year, is_school_day
from partnership.directory.demo import load_demo
from partnership.directory.models import Partnership
from partnership.reviews import rota
from partnership.reviews.demo import load_reviews_demo
from partnership.reviews.models import (
    Activity,
    AreaOfExcellence,
    ConflictOfInterest,
    EvidenceNote,
    Finding,
    Review,
    ReviewCycle,
    ReviewReport,
    SefEvidence,
    SefVersion,
    SelfEvaluation,
    Sharing,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 2)  # a Wednesday in the autumn term
YEAR = current_academic_year(TODAY)


def _counts() -> dict[str, int]:
    models = [SelfEvaluation, SefEvidence, SefVersion, ReviewCycle, Review, Finding, ReviewReport, Action]
    return {m.__name__: m.objects.count() for m in models}


def test_the_demo_loads_once_and_tells_a_believable_story():
    load_demo("demo-password-123", TODAY)
    made = load_reviews_demo(TODAY)
    # 10 schools' SEFs this year, 5 last year (every other school), 2 cycles per partnership.
    assert made == 10 + 5 + 4
    before = _counts()
    assert load_reviews_demo(TODAY) == 0
    assert _counts() == before

    this_year = SelfEvaluation.objects.filter(academic_year=YEAR)
    assert this_year.count() == 10
    assert set(this_year.values_list("sharing", flat=True)) == set(Sharing.values)
    assert SelfEvaluation.objects.filter(academic_year=YEAR - 1).count() == 5
    assert SefVersion.objects.values("sef").distinct().count() == 15
    assert SelfEvaluation.objects.filter(versions__number=3).count() == 2  # one school per partnership
    for sef in this_year:
        grades = {e.grade.rank for e in sef.entries.all() if e.grade}
        assert len(grades) >= 2, sef.school  # varied
        assert sef.entries.filter(area__key="safeguarding", met=True).exists()
        assert all(e.narrative for e in sef.entries.all())
        assert SefEvidence.objects.filter(entry__sef=sef, kind="document").count() == sef.entries.count()

    for partnership in Partnership.objects.filter(slug__in=["stars", "star-collaboration"]):
        last = ReviewCycle.objects.get(partnership=partnership, academic_year=YEAR - 1)
        this = ReviewCycle.objects.get(partnership=partnership, academic_year=YEAR)
        assert last.status == ReviewCycle.Status.CLOSED and this.status == ReviewCycle.Status.ACCEPTED
        schools = partnership.memberships.filter(left_on__isnull=True).count()
        assert last.reviews.count() == this.reviews.count() == schools
        assert set(last.reviews.values_list("stage", flat=True)) == {Review.Stage.IMPACT}
        reports = ReviewReport.objects.filter(review__cycle=last, status=ReviewReport.Status.FINAL)
        assert reports.count() == schools
        assert reports.filter(sharing=Sharing.PARTNERSHIP).exists() and reports.exclude(sharing=Sharing.PARTNERSHIP)
        assert Finding.objects.filter(review__cycle=last, kind="development").exclude(impact="").count() == 2 * schools
        assert AreaOfExcellence.objects.filter(review__cycle=last, endorsed=True).count() == 1
        # Actions in the schools' plans, each from a finding.
        assert Action.objects.filter(source_id__in=Finding.objects.filter(review__cycle=last).values("pk")).count() == (
            2 * schools
        )
        stages = list(this.reviews.values_list("stage", flat=True))
        assert stages.count(Review.Stage.FINDINGS) == 1 and stages.count(Review.Stage.SCHEDULED) == 1
        assert stages.count(Review.Stage.PLANNED) == schools - 2
        visited = this.reviews.get(stage=Review.Stage.FINDINGS)
        assert visited.visit_starts_on < TODAY and EvidenceNote.objects.filter(review=visited).exists()
        assert visited.findings.exists()
        scheduled = this.reviews.get(stage=Review.Stage.SCHEDULED)
        assert scheduled.visit_starts_on > TODAY and Activity.objects.filter(review=scheduled).count() >= 4
        for review in Review.objects.filter(cycle__partnership=partnership):
            assert is_school_day(review.visit_starts_on) and is_school_day(review.visit_ends_on), review


def test_every_demo_cycle_keeps_the_rotas_hard_rules():
    load_demo("demo-password-123", TODAY)
    load_reviews_demo(TODAY)
    conflicts = set(ConflictOfInterest.objects.values_list("person_id", "school_id"))
    assert conflicts
    for cycle in ReviewCycle.objects.all():
        reviews = list(cycle.reviews.prefetch_related("team"))
        teams = {r.school_id: [m.person_id for m in r.team.all()] for r in reviews}
        reviewers = [
            rota.Reviewer(m.person_id, m.person.school_id) for r in reviews for m in r.team.select_related("person")
        ]
        reviewers = list({r.id: r for r in reviewers}.values())
        problems = rota.check_rota(
            teams,
            list(teams),
            reviewers,
            team_size=cycle.team_size,
            max_load=cycle.max_load,
            conflicts=conflicts,
        )
        assert problems == [], (cycle, problems)
        # The lead is one of the team, once.
        for review in reviews:
            assert [m.is_lead for m in review.team.all()].count(True) == 1
    # This year's rota avoids last year's pairings where it could, and says where it could not.
    for this in ReviewCycle.objects.filter(academic_year=YEAR):
        last_pairs = set(
            ReviewCycle.objects.get(partnership=this.partnership, academic_year=YEAR - 1).reviews.values_list(
                "team__person_id", "school_id"
            )
        )
        this_pairs = set(this.reviews.values_list("team__person_id", "school_id"))
        assert not this_pairs & last_pairs and this.relaxed == [], this.partnership
    # The four-school partnership lets deputies review, so the heads are not sent back.
    small = ReviewCycle.objects.get(partnership__slug="star-collaboration", academic_year=YEAR)
    assert small.include_deputies
    assert small.reviews.filter(team__person__email__startswith="deputy.").exists()
