"""Access rules for self-evaluation and peer review. Registered with `partnership.core.access`.

A school's SEF is its own people's, and reaches further only as far as the school chooses: its
review team for that year, or everyone in its partnerships. A review belongs to the school reviewed,
its team and the coordinators who run the cycle; reviewers see the schools they review and nothing
of others, and nothing of a partnership's reviews once they have left it. The evidence notes are
the team's and the school leaders' ("done with, not to"); the findings and the report are the
school's and the team's, and reach the partnership only when the school shares its final report.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q

from partnership.core import access
from partnership.core.access import Principal, child_scope
from partnership.directory.policy import school_ids_in
from partnership.reviews.models import Review, ReviewReport, Sharing, TeamMember


def _team_reviews(p: Principal) -> Any:
    """The reviews this person is on the team of, in partnerships they have not left: a reviewer
    whose school leaves the partnership keeps nothing of its reviews."""
    return (
        TeamMember.objects.filter(person_id=p.user_id)
        .exclude(review__cycle__partnership_id__in=p.former_partnerships)
        .values("review_id")
    )


def _own_school(p: Principal, field: str = "school_id") -> Q:
    return Q(**{field: p.school_id}) if p.school_id else Q(pk__in=[])


def scope_framework(p: Principal) -> Q:
    return Q(partnership__isnull=True) | Q(partnership_id__in=p.partnership_ids)


def scope_sef(p: Principal) -> Q:
    # A review team sees the SEF of the year their cycle runs in.
    on_its_team = Exists(
        Review.objects.filter(
            pk__in=_team_reviews(p), school_id=OuterRef("school_id"), cycle__academic_year=OuterRef("academic_year")
        )
    )
    shared_with_team = Q(sharing__in=[Sharing.REVIEW_TEAM, Sharing.PARTNERSHIP]) & Q(on_its_team)
    shared_with_partnership = Q(sharing=Sharing.PARTNERSHIP, school_id__in=school_ids_in(p.partnership_ids))
    return _own_school(p) | shared_with_team | shared_with_partnership


def scope_cycle(p: Principal) -> Q:
    return Q(partnership_id__in=p.partnership_ids)


def scope_review(p: Principal) -> Q:
    return _own_school(p) | Q(pk__in=_team_reviews(p)) | Q(cycle__partnership_id__in=p.coordinates)


def _reports_shared_with(p: Principal) -> Any:
    return ReviewReport.objects.filter(
        status=ReviewReport.Status.FINAL,
        sharing=Sharing.PARTNERSHIP,
        review__school_id__in=school_ids_in(p.partnership_ids),
    ).values("review_id")


def readable_reviews(p: Principal) -> Q:
    """Reviews whose findings and report this person may read (on `Review` rows)."""
    return _own_school(p) | Q(pk__in=_team_reviews(p)) | Q(pk__in=_reports_shared_with(p))


def _scope_findings(p: Principal) -> Q:
    return Q(review_id__in=Review.objects.filter(readable_reviews(p)).values("pk"))


def _scope_report(p: Principal) -> Q:
    return _scope_findings(p)


def _scope_notes(p: Principal) -> Q:
    leaders_school = Q(review__school_id=p.school_id) if p.school_id and p.is_school_leader else Q(pk__in=[])
    return Q(review_id__in=_team_reviews(p)) | leaders_school


def _places(p: Principal, review: Any) -> Any:
    return TeamMember.objects.filter(review_id=review.pk, person_id=p.user_id).exclude(
        review__cycle__partnership_id__in=p.former_partnerships
    )


def on_team(p: Principal, review: Any) -> bool:
    return _places(p, review).exists()


def leads(p: Principal, review: Any) -> bool:
    return _places(p, review).filter(is_lead=True).exists()


def leads_school(p: Principal, school_id: int | None) -> bool:
    return school_id is not None and p.school_id == school_id and p.is_school_leader


def coordinates_cycle(p: Principal, cycle: Any) -> bool:
    return cycle.partnership_id in p.coordinates


def _framework_manager(p: Principal, framework: Any) -> bool:
    return framework.partnership_id is not None and framework.partnership_id in p.coordinates


def _sees_ledger(p: Principal, partnership: Any) -> bool:
    return (
        partnership.pk in p.coordinates
        or partnership.pk in p.advises
        or (partnership.pk in p.school_partnerships and p.is_school_leader)
    )


def register() -> None:
    access.register(
        "reviews.framework",
        name="Evaluation framework",
        scope=scope_framework,
        rules={"manage": _framework_manager},
        view="the shipped frameworks (Ofsted report cards, 2019 EIF, a peer-review scale): anyone signed in; a "
        "partnership's own: people who can view the partnership",
        act="`manage` (edit, which makes a new version once used): the partnership's coordinators; shipped "
        "frameworks: platform administrators",
    )
    access.register(
        "reviews.frameworkarea",
        name="Framework area, grade",
        scope=child_scope("reviews.framework", "framework_id"),
        view="with their framework",
        act="as their framework's rules",
    )
    access.register("reviews.grade", scope=child_scope("reviews.framework", "framework_id"))
    access.register(
        "directory.school",
        name="School (self-evaluation)",
        rules={"manage_sef": lambda p, o: leads_school(p, o.pk)},
        view="as School",
        act="`manage_sef` (start, edit and share the school's SEF, put forward an Area of Excellence, respond "
        "to a review): its headteacher and senior leaders",
    )
    access.register(
        "reviews.selfevaluation",
        name="Self-evaluation (SEF)",
        scope=scope_sef,
        rules={"edit": lambda p, o: leads_school(p, o.school_id), "share": lambda p, o: leads_school(p, o.school_id)},
        view="people at the school; at the school's choice also its review team for that year, or everyone who "
        "can view one of the school's partnerships",
        act="`edit`, `share` (choose the sharing level, recorded with who and when): the school's headteacher "
        "and senior leaders",
    )
    access.register(
        "reviews.sefentry",
        name="SEF area, evidence link, version",
        scope=child_scope("reviews.selfevaluation", "sef_id"),
        view="with their SEF",
        act="as their SEF's rules",
    )
    access.register("reviews.sefevidence", scope=child_scope("reviews.selfevaluation", "entry__sef_id"))
    access.register("reviews.sefversion", scope=child_scope("reviews.selfevaluation", "sef_id"))
    access.register(
        "reviews.sharingchoice",
        name="Sharing choice (SEF, report)",
        scope=lambda p: _own_school(p),
        view="people at the school",
        act="made by the school's headteacher and senior leaders through the SEF or report",
    )
    access.register(
        "directory.partnership",
        name="Partnership (peer review)",
        rules={
            "open_review_cycle": lambda p, o: o.pk in p.coordinates,
            "view_review_ledger": _sees_ledger,
        },
        view="as Partnership",
        act="`open_review_cycle`: its coordinators; `view_review_ledger` (who reviewed whom, days given and "
        "received, the calibration of schools that share both SEF and report): its coordinators, advisers "
        "and member schools' headteachers and senior leaders",
    )
    access.register(
        "reviews.reviewcycle",
        name="Review cycle",
        scope=scope_cycle,
        rules={"manage": coordinates_cycle},
        view="people who can view the partnership (the cycle, not the reviews in it)",
        act="`manage` (plan and edit the rota, accept it, set dates, close): the partnership's coordinators",
    )
    access.register(
        "reviews.conflictofinterest",
        name="Conflict of interest",
        scope=lambda p: Q(person_id=p.user_id) | Q(school_id__in=school_ids_in(p.coordinates)),
        rules={"manage": lambda p, o: o.person_id == p.user_id},
        view="the person who declared it and the coordinators of the school's partnerships",
        act="`manage` (declare, withdraw): the person themselves",
    )
    access.register(
        "reviews.review",
        name="Peer review",
        scope=scope_review,
        rules={
            "manage": lambda p, o: coordinates_cycle(p, o.cycle),
            "plan_visit": lambda p, o: leads_school(p, o.school_id) or leads(p, o) or coordinates_cycle(p, o.cycle),
            "write_notes": on_team,
            "agree_findings": on_team,
            "finalise": leads,
            "respond": lambda p, o: leads_school(p, o.school_id),
            "follow_up": lambda p, o: leads_school(p, o.school_id) or leads(p, o),
        },
        view="the school reviewed, its review team and the cycle's coordinators; nobody else (reviewers see the "
        "schools they review and nothing of others, and nothing once they have left the partnership)",
        act="`manage` (team, dates): the cycle's coordinators; `plan_visit` (enquiry question, focus areas, "
        "schedule): the school's leaders, the lead reviewer and the coordinators; `write_notes`, "
        "`agree_findings`: the team; `finalise` (the report): the lead reviewer; `respond` (the school's "
        "response, Area of Excellence, report sharing): the school's headteacher and senior leaders; "
        "`follow_up` (workshop actions, impact review): the school's leaders and the lead reviewer",
    )
    access.register(
        "reviews.teammember",
        name="Review team, focus area, activity",
        scope=child_scope("reviews.review", "review_id"),
        view="with their review",
        act="as their review's rules",
    )
    access.register("reviews.focusarea", scope=child_scope("reviews.review", "review_id"))
    access.register("reviews.activity", scope=child_scope("reviews.review", "review_id"))
    access.register(
        "reviews.evidencenote",
        name="Evidence note",
        scope=_scope_notes,
        rules={"edit": lambda p, o: o.author_id == p.user_id},
        view="the review team and the school's headteacher and senior leaders",
        act="`edit`: its author",
    )
    access.register(
        "reviews.areajudgement",
        name="Finding, grade, Area of Excellence, report",
        scope=_scope_findings,
        view="the school reviewed and its review team; when the school shares its final report with the "
        "partnership, everyone who can view one of the school's partnerships",
        act="as their review's rules",
    )
    access.register("reviews.finding", scope=_scope_findings)
    access.register("reviews.areaofexcellence", scope=_scope_findings)
    access.register("reviews.reviewreport", scope=_scope_report)
    # An action agreed from a finding is seen only by those who may read the finding.
    access.register_action_place("reviews.finding", lambda p: _findings_of(p))


def _findings_of(p: Principal) -> Any:
    from partnership.reviews.models import Finding

    return Finding.objects.filter(_scope_findings(p)).values("pk")
