"""Plan services: themes, numbering, progress history, sharing, rolling forward, actions and working parties."""

import datetime

import pytest
from django.utils import timezone

from partnership.actions.models import Action
from partnership.actions.selectors import actions_mine
from partnership.core import access
from partnership.core.errors import ApplicationError
from partnership.core.models import AuditEvent
from partnership.directory.models import Network, NetworkMember
from partnership.plans import selectors, services
from partnership.plans.models import ImprovementPlan, Milestone, Objective, Priority, ProgressUpdate, Rag, Term, Theme
from partnership.plans.tests import factories

pytestmark = pytest.mark.django_db


# --- Themes -------------------------------------------------------------------------------------


def test_themes_typed_as_text_become_one_row_per_slug(world):
    existing = factories.theme("SEND")
    themes = services.themes_resolve(text=" reading, Reading ;READING,\nSEND , early  years, ,!!", actor=world["head"])
    assert [t.name for t in themes] == ["Reading", "SEND", "Early years"]
    assert themes[1] == existing
    assert Theme.objects.count() == 3
    # Typing it differently next time finds the same row.
    again = services.themes_resolve(text="Early Years, reading", actor=world["head"])
    assert {t.pk for t in again} == {themes[0].pk, themes[2].pk}
    assert Theme.objects.count() == 3


def test_priority_themes_are_normalised_and_the_priority_numbered(world):
    plan = factories.school_plan(world.own, world["head"])
    first = services.priority_create(plan=plan, title="Reading", themes="reading, phonics", actor=world["head"])
    second = services.priority_create(plan=plan, title="Maths", themes="Maths", actor=world["head"])
    assert (first.number, second.number) == (1, 2)
    assert sorted(t.slug for t in first.themes.all()) == ["phonics", "reading"]
    services.priority_update(priority=first, title="Reading", themes="Phonics", actor=world["head"])
    assert [t.slug for t in first.themes.all()] == ["phonics"]
    event = AuditEvent.objects.filter(object_type="plans.priority", verb="update").get()
    assert event.school_id == world.own.pk and event.detail["changes"]["themes"] == ["Phonics, Reading", "Phonics"]


def test_leads_come_from_the_plans_own_people(world):
    plan = factories.school_plan(world.own, world["head"])
    with pytest.raises(ApplicationError) as exc:
        services.priority_create(plan=plan, title="Reading", lead=world["partner_teacher"], actor=world["head"])
    assert exc.value.field == "lead"
    partnership_plan = factories.partnership_plan(world.home, world["coordinator"])
    services.priority_create(plan=partnership_plan, title="Reading", lead=world["partner_teacher"], actor=world["head"])
    services.priority_create(plan=partnership_plan, title="Writing", lead=world["adviser"], actor=world["head"])
    with pytest.raises(ApplicationError):
        services.priority_create(
            plan=partnership_plan, title="Maths", lead=world["outside_teacher"], actor=world["head"]
        )


# --- Progress -----------------------------------------------------------------------------------


def test_progress_updates_keep_the_history_and_set_the_current_status(world):
    plan = factories.school_plan(world.own, world["head"])
    priority = factories.priority(plan, lead=world["teacher"])
    objective = factories.objective(priority, lead=world["teacher"])
    services.progress_record(item=priority, rag=Rag.RED, note="Behind", actor=world["teacher"])
    services.progress_record(
        item=priority, rag=Rag.AMBER, note="Catching up", evidence_url="https://example.test/data", actor=world["head"]
    )
    services.progress_record(item=objective, rag=Rag.GREEN, note="On track", actor=world["teacher"])
    priority.refresh_from_db()
    objective.refresh_from_db()
    assert (priority.rag, objective.rag) == (Rag.AMBER, Rag.GREEN)
    history = list(priority.updates.all())
    assert [(u.rag, u.author) for u in history] == [(Rag.AMBER, world["head"]), (Rag.RED, world["teacher"])]
    assert history[0].evidence_url == "https://example.test/data"
    event = AuditEvent.objects.filter(verb="progress", object_type="plans.priority").first()
    assert event.detail["rag"] == [Rag.RED, Rag.AMBER] and event.school_id == world.own.pk


def test_progress_needs_a_note_and_a_real_status(world):
    priority = factories.priority(factories.school_plan(world.own, world["head"]))
    with pytest.raises(ApplicationError) as exc:
        services.progress_record(item=priority, rag=Rag.RED, note="  ", actor=world["head"])
    assert exc.value.field == "note"
    with pytest.raises(ApplicationError):
        services.progress_record(item=priority, rag="purple", note="Hmm", actor=world["head"])
    assert not ProgressUpdate.objects.exists()


def test_objective_update_rule_follows_the_objective_lead_and_the_priority(world):
    plan = factories.school_plan(world.own, world["head"])
    priority = factories.priority(plan, lead=world["senco"])
    led_by_teacher = factories.objective(priority, lead=world["teacher"])
    other = factories.objective(priority, "Other")
    assert access.can(world["teacher"], "update", led_by_teacher)
    assert not access.can(world["teacher"], "update", other)
    assert access.can(world["senco"], "update", other)  # leads the priority
    assert access.can(world["head"], "update", other)
    assert not access.can(world["governor"], "update", other)


# --- Sharing ------------------------------------------------------------------------------------


def test_sharing_is_the_schools_choice_and_audited(world):
    plan = factories.full_school_plan(world.own, world["head"], world["teacher"])
    partner_head = world["partner_head"]
    assert not access.visible_to(partner_head, Priority).filter(plan=plan).exists()
    services.plan_set_sharing(plan=plan, shares=True, actor=world["head"])
    assert AuditEvent.objects.filter(verb="share", object_type="plans.improvementplan", school_id=world.own.pk).exists()
    # Shared: the partnership sees the priorities ...
    assert access.visible_to(partner_head, Priority).filter(plan=plan).count() == 1
    assert access.visible_to(world["coordinator"], Priority).filter(plan=plan).count() == 1
    # ... but never the plan, its objectives or its actions; nor does the other partnership.
    assert not access.visible_to(partner_head, ImprovementPlan).filter(pk=plan.pk).exists()
    assert not access.visible_to(partner_head, Objective).filter(priority__plan=plan).exists()
    assert not access.visible_to(partner_head, Action).filter(objective__priority__plan=plan).exists()
    assert not access.visible_to(world["outside_head"], Priority).filter(plan=plan).exists()
    services.plan_set_sharing(plan=plan, shares=False, actor=world["head"])
    assert not access.visible_to(partner_head, Priority).filter(plan=plan).exists()
    assert AuditEvent.objects.filter(verb="unshare").exists()


def test_a_partnership_plan_is_not_shared_or_unshared(world):
    plan = factories.partnership_plan(world.home, world["coordinator"])
    with pytest.raises(ApplicationError):
        services.plan_set_sharing(plan=plan, shares=True, actor=world["coordinator"])


def test_one_plan_per_school_per_year(world):
    services.plan_create(school=world.own, academic_year=2026, actor=world["head"])
    with pytest.raises(ApplicationError):
        services.plan_create(school=world.own, academic_year=2026, actor=world["head"])
    services.plan_create(partnership=world.home, academic_year=2026, actor=world["coordinator"])


# --- Rolling forward ----------------------------------------------------------------------------


def _plan_to_roll(world):
    plan = factories.school_plan(world.own, world["head"], year=2025, shares=True)
    plan.vision = "Every child a reader."
    plan.save()
    done = factories.priority(plan, "Finished priority", rag=Rag.COMPLETE)
    factories.objective(done, "Finished with it", rag=Rag.COMPLETE)
    ongoing = factories.priority(plan, "Reading", themes=("Reading",), lead=world["teacher"], rag=Rag.AMBER)
    finished_objective = factories.objective(ongoing, "Done objective", rag=Rag.COMPLETE)
    open_objective = factories.objective(ongoing, "Open objective", lead=world["teacher"], rag=Rag.RED)
    factories.milestone(open_objective, Term.AUTUMN, achieved=True)
    factories.milestone(open_objective, Term.SUMMER, achieved=False)
    open_action = factories.objective_action(open_objective, world["teacher"], title="Open action")
    done_action = factories.objective_action(
        open_objective, world["teacher"], title="Done action", status=Action.Status.DONE
    )
    old_objective_action = factories.objective_action(finished_objective, world["teacher"], title="Stays behind")
    services.progress_record(item=ongoing, rag=Rag.AMBER, note="Halfway", actor=world["head"])
    return plan, ongoing, open_objective, open_action, done_action, old_objective_action


def test_roll_forward_carries_what_is_unfinished(world):
    plan, ongoing, open_objective, open_action, done_action, old_objective_action = _plan_to_roll(world)
    new = services.plan_roll_forward(plan=plan, actor=world["head"])
    assert (new.academic_year, new.rolled_from, new.school, new.shares_priorities) == (2026, plan, world.own, True)
    assert new.vision == "Every child a reader."
    priorities = list(new.priorities.all())
    assert [(p.number, p.title, p.rag, p.rolled_from) for p in priorities] == [(1, "Reading", Rag.AMBER, ongoing)]
    carried = priorities[0]
    assert carried.lead == world["teacher"] and [t.name for t in carried.themes.all()] == ["Reading"]
    assert not carried.updates.exists()  # the history stays with last year's priority
    objectives = list(carried.objectives.all())
    assert [(o.number, o.title, o.rag, o.rolled_from) for o in objectives] == [
        (1, "Open objective", Rag.RED, open_objective)
    ]
    assert [(m.term, m.achieved) for m in Milestone.objects.filter(objective=objectives[0])] == [(Term.SUMMER, False)]
    # Open actions follow their objective; finished ones and those of finished objectives stay.
    open_action.refresh_from_db()
    done_action.refresh_from_db()
    old_objective_action.refresh_from_db()
    assert (open_action.objective, open_action.priority) == (objectives[0], carried)
    assert open_action.version == 2
    assert done_action.objective == open_objective
    assert old_objective_action.objective.priority.plan == plan
    event = AuditEvent.objects.get(verb="roll_forward")
    assert event.detail["priorities"] == 1 and event.detail["actions_moved"] == 1


def test_roll_forward_refuses_when_next_years_plan_exists(world):
    plan, *_ = _plan_to_roll(world)
    services.plan_roll_forward(plan=plan, actor=world["head"])
    with pytest.raises(ApplicationError, match="already a plan for 2026/27"):
        services.plan_roll_forward(plan=plan, actor=world["head"])
    assert ImprovementPlan.objects.filter(school=world.own).count() == 2


# --- Actions ------------------------------------------------------------------------------------


def test_an_action_on_an_objective_is_in_its_owners_actions(world):
    plan = factories.school_plan(world.own, world["head"])
    objective = factories.objective(factories.priority(plan))
    action = services.objective_action_add(
        objective=objective,
        title="Audit book bands",
        owner=world["teacher"],
        due_on=datetime.date(2030, 1, 1),
        actor=world["head"],
    )
    assert (action.school, action.partnership, action.objective, action.priority) == (
        world.own,
        None,
        objective,
        objective.priority,
    )
    assert action.source == objective
    assert action in actions_mine(world["teacher"])
    with pytest.raises(ApplicationError) as exc:
        services.objective_action_add(
            objective=objective, title="Visit", owner=world["partner_teacher"], actor=world["head"]
        )
    assert exc.value.field == "owner"


def test_a_partnership_plan_action_belongs_to_the_partnership(world):
    plan = factories.partnership_plan(world.home, world["coordinator"])
    objective = factories.objective(factories.priority(plan))
    action = services.objective_action_add(
        objective=objective, title="Book the venue", owner=world["partner_head"], actor=world["coordinator"]
    )
    assert (action.school, action.partnership) == (None, world.home)


# --- Termly review ------------------------------------------------------------------------------


def test_termly_review_shows_the_terms_milestones_actions_and_updates(world):
    plan = factories.school_plan(world.own, world["head"], year=2025)
    priority = factories.priority(plan, lead=world["teacher"])
    objective = factories.objective(priority, lead=world["teacher"])
    factories.milestone(objective, Term.SPRING, achieved=True)
    factories.milestone(objective, Term.SPRING)
    factories.milestone(objective, Term.SUMMER)
    factories.objective_action(objective, world["teacher"], due_on=datetime.date(2020, 1, 1), title="Late")
    factories.objective_action(objective, world["teacher"], due_on=datetime.date(2099, 1, 1), title="Later")
    factories.objective_action(objective, world["teacher"], title="Done", status=Action.Status.DONE)
    in_spring = services.progress_record(item=objective, rag=Rag.AMBER, note="Spring", actor=world["teacher"])
    in_autumn = services.progress_record(item=objective, rag=Rag.RED, note="Autumn", actor=world["teacher"])
    ProgressUpdate.objects.filter(pk=in_spring.pk).update(
        recorded_at=timezone.make_aware(datetime.datetime(2026, 2, 3))
    )
    ProgressUpdate.objects.filter(pk=in_autumn.pk).update(
        recorded_at=timezone.make_aware(datetime.datetime(2025, 10, 3))
    )
    review = selectors.termly_review(plan, Term.SPRING, world["head"])
    assert review["starts_on"] == datetime.date(2026, 1, 1) and review["ends_on"] == datetime.date(2026, 3, 31)
    objective_row = review["rows"][1]
    assert objective_row.label == "1.1" and objective_row.kind == "objective"
    assert len(objective_row.milestones) == 2 and objective_row.milestones_achieved == 1
    assert [a.title for a in objective_row.open_actions] == ["Late", "Later"] and objective_row.overdue_actions == 1
    assert [u.note for u in objective_row.updates] == ["Spring"]
    assert (review["milestones_due"], review["milestones_achieved"], review["overdue_actions"]) == (2, 1, 1)


# --- Shared priorities and working parties ------------------------------------------------------


def _shared_world(world):
    factories.full_school_plan(world.own, world["head"], world["teacher"], shares=True, themes=("Reading", "SEND"))
    factories.full_school_plan(world.partner, world["partner_head"], world["partner_teacher"], shares=True)
    # Outside the partnership, and an own-school plan from another year: neither counts.
    factories.full_school_plan(world.outside, world["outside_head"], world["outside_teacher"], shares=True)
    factories.school_plan(world.own, world["head"], year=2001, shares=True)
    partnership_plan = factories.partnership_plan(world.home, world["coordinator"])
    factories.priority(partnership_plan, "Attendance together", themes=("Attendance",))


def test_the_matrix_lines_up_schools_by_theme(world):
    _shared_world(world)
    year = ImprovementPlan.objects.filter(school=world.own).order_by("-academic_year").first().academic_year
    matrix = selectors.shared_priorities_matrix(world.home, world["coordinator"], year)
    assert [(c.theme.name, c.school_count) for c in matrix["columns"]] == [
        ("Reading", 2),
        ("SEND", 1),
        ("Attendance", 0),
    ]
    assert [c.partnership_priorities[0].title for c in matrix["columns"] if c.partnership_priorities] == [
        "Attendance together"
    ]
    rows = {r.school.name: r for r in matrix["rows"]}
    assert set(rows) == {"Own Primary", "Partner Primary"}
    assert [p.title for p in rows["Own Primary"].cells[0]] == ["Reading at Own Primary"]
    assert matrix["sharing_count"] == 2


def test_an_unshared_plan_stays_out_of_the_matrix(world):
    _shared_world(world)
    ImprovementPlan.objects.filter(school=world.partner).update(shares_priorities=False)
    year = ImprovementPlan.objects.get(school=world.partner).academic_year
    for user in ("coordinator", "partner_head", "head"):
        matrix = selectors.shared_priorities_matrix(world.home, world[user], year)
        titles = {p.title for row in matrix["rows"] for cell in row.cells for p in cell}
        assert titles == {"Reading at Own Primary"}, user


def test_a_working_party_is_formed_from_a_shared_theme(world):
    _shared_world(world)
    year = ImprovementPlan.objects.get(school=world.partner).academic_year
    reading = Theme.objects.get(slug="reading")
    network = services.working_party_from_theme(
        partnership=world.home, theme=reading, academic_year=year, actor=world["coordinator"]
    )
    assert network.kind == Network.Kind.WORKING_PARTY and network.partnership == world.home
    assert network.name.startswith("Reading working party")
    assert "Own Primary and Partner Primary" in network.remit and "Reading" in network.remit
    members = set(NetworkMember.objects.filter(network=network).values_list("person__email", flat=True))
    assert members == {"teacher@own.test", "teacher@partner.test"}
    with pytest.raises(ApplicationError):  # one school only
        services.working_party_from_theme(
            partnership=world.home, theme=Theme.objects.get(slug="send"), academic_year=year, actor=world["coordinator"]
        )
