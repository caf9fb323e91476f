"""Plan pages: what a headteacher, a teacher who leads an item, a partner school and a coordinator
can see and do from the pages."""

import datetime

import pytest
from django.urls import reverse

from partnership.actions.models import Action
from partnership.core.models import AuditEvent
from partnership.directory.models import Network, NetworkMember
from partnership.plans.models import ImprovementPlan, Milestone, Priority, ProgressUpdate, Rag, current_academic_year
from partnership.plans.tests import factories

pytestmark = pytest.mark.django_db


def _detail(plan):
    return reverse("plans:detail", args=[plan.pk])


def test_head_starts_this_years_plan_from_the_index(client, world):
    client.force_login(world["head"])
    page = client.get(reverse("plans:index")).content.decode()
    assert "Start the" in page and "development plan" in page
    response = client.post(reverse("plans:school_plan_create", args=[world.own.slug]))
    plan = ImprovementPlan.objects.get(school=world.own)
    assert response.status_code == 302 and response["Location"] == _detail(plan)
    assert plan.academic_year == current_academic_year() and plan.created_by == world["head"]
    page = client.get(reverse("plans:index")).content.decode()
    assert "Start the" not in page and _detail(plan) in page
    # A second attempt is refused with a message, not an error page.
    response = client.post(reverse("plans:school_plan_create", args=[world.own.slug]), follow=True)
    assert "There is already a plan" in response.content.decode()


def test_teachers_see_their_plan_but_cannot_start_or_edit_it(client, world):
    plan = factories.full_school_plan(world.own, world["head"], world["senco"])
    client.force_login(world["teacher"])
    index = client.get(reverse("plans:index")).content.decode()
    assert "Start the" not in index and _detail(plan) in index
    page = client.get(_detail(plan)).content.decode()
    assert "Reading at Own Primary" in page
    assert "Add a priority" not in page and "Record progress" not in page
    assert client.get(reverse("plans:priority_create", args=[plan.pk])).status_code == 403


def test_coordinator_starts_the_partnership_plan(client, world):
    client.force_login(world["coordinator"])
    assert "Start Home Partnership" in client.get(reverse("plans:index")).content.decode()
    client.post(reverse("plans:partnership_plan_create", args=[world.home.slug]))
    plan = ImprovementPlan.objects.get(partnership=world.home)
    client.post(
        reverse("plans:priority_create", args=[plan.pk]),
        {"title": "Moderate writing together", "themes": "Writing", "lead": world["partner_head"].pk},
    )
    priority = plan.priorities.get()
    assert priority.lead == world["partner_head"]
    # Everyone at a member school reads the partnership plan.
    client.force_login(world["partner_teacher"])
    assert "Moderate writing together" in client.get(_detail(plan)).content.decode()


def test_the_plan_page_shows_the_whole_chain(client, world):
    plan = factories.school_plan(world.own, world["head"])
    priority = factories.priority(plan, "Raise reading standards", themes=("Reading",), lead=world["senco"])
    objective = factories.objective(priority, "Daily phonics", lead=world["teacher"])
    factories.milestone(objective, "spring", achieved=True)
    factories.objective_action(objective, world["teacher"], title="Buy books", due_on=datetime.date(2020, 9, 1))
    factories.objective_action(
        objective, world["teacher"], title="Train staff", due_on=datetime.date(2020, 9, 1), status=Action.Status.DONE
    )
    client.force_login(world["head"])
    page = client.get(_detail(plan)).content.decode()
    for text in [
        "Priority 1: Raise reading standards",
        "Reading",
        "Objective 1.1: Daily phonics",
        "85% pass the phonics check",
        "Spring milestone",
        "✓ Achieved",
        "Buy books",
        "Overdue",
        "Train staff",
        "Not started",  # the RAG tag says its words
    ]:
        assert text in page, text
    assert page.count(">Overdue<") == 1  # a finished action is never overdue


def test_head_adds_a_priority_with_typed_themes(client, world):
    plan = factories.school_plan(world.own, world["head"])
    factories.theme("SEND")
    client.force_login(world["head"])
    response = client.post(
        reverse("plans:priority_create", args=[plan.pk]),
        {
            "title": "Inclusion",
            "framework_area": "inclusion",
            "themes": "send, Adaptive teaching,SEND",
            "lead": world["senco"].pk,
        },
    )
    priority = Priority.objects.get(plan=plan)
    assert response.status_code == 302 and response["Location"].endswith(f"#priority-{priority.pk}")
    assert sorted(t.name for t in priority.themes.all()) == ["Adaptive teaching", "SEND"]
    edit = client.get(reverse("plans:priority_edit", args=[priority.pk])).content.decode()
    assert "Adaptive teaching, SEND" in edit


def test_a_lead_from_another_school_is_refused_with_a_form_error(client, world):
    plan = factories.school_plan(world.own, world["head"])
    client.force_login(world["head"])
    response = client.post(
        reverse("plans:priority_create", args=[plan.pk]), {"title": "Reading", "lead": world["partner_teacher"].pk}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not Priority.objects.exists()


def test_a_lead_records_progress_and_the_history_reads_newest_first(client, world):
    plan = factories.school_plan(world.own, world["head"])
    objective = factories.objective(factories.priority(plan), lead=world["teacher"])
    client.force_login(world["teacher"])
    url = reverse("plans:objective_progress", args=[objective.pk])
    client.post(url, {"rag": "red", "note": "Slow start"})
    response = client.post(url, {"rag": "amber", "note": "Improving", "evidence_url": "example.test/data"})
    assert response.status_code == 302
    objective.refresh_from_db()
    assert objective.rag == Rag.AMBER
    assert ProgressUpdate.objects.filter(objective=objective).first().evidence_url == "https://example.test/data"
    page = client.get(_detail(plan)).content.decode()
    assert page.index("Improving") < page.index("Slow start")
    assert "Status history (2 updates" in page
    history_page = client.get(url).content.decode()
    assert history_page.index("Improving") < history_page.index("Slow start")


def test_progress_without_a_note_shows_an_error_summary(client, world):
    priority = factories.priority(factories.school_plan(world.own, world["head"]))
    client.force_login(world["head"])
    response = client.post(reverse("plans:priority_progress", args=[priority.pk]), {"rag": "red", "note": ""})
    assert response.status_code == 200 and "There is a problem" in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_objectives_milestones_and_ticks(client, world):
    plan = factories.school_plan(world.own, world["head"])
    priority = factories.priority(plan)
    client.force_login(world["head"])
    client.post(
        reverse("plans:objective_create", args=[priority.pk]),
        {"title": "Phonics", "success_criteria": "85% pass", "lead": world["teacher"].pk},
    )
    objective = priority.objectives.get()
    assert (objective.number, objective.lead) == (1, world["teacher"])
    client.post(
        reverse("plans:milestone_create", args=[objective.pk]), {"term": "autumn", "description": "Scheme chosen"}
    )
    milestone = Milestone.objects.get(objective=objective)
    # The objective's lead ticks it off.
    client.force_login(world["teacher"])
    client.post(reverse("plans:milestone_achieved", args=[milestone.pk]), {"achieved": "1"})
    milestone.refresh_from_db()
    assert milestone.achieved
    assert AuditEvent.objects.filter(object_type="plans.milestone", verb="update", school_id=world.own.pk).exists()


def test_head_adds_an_action_owned_by_a_colleague(client, world):
    plan = factories.school_plan(world.own, world["head"])
    objective = factories.objective(factories.priority(plan))
    client.force_login(world["head"])
    form = client.get(reverse("plans:action_create", args=[objective.pk])).content.decode()
    assert "Own Primary)" in form and "Partner Primary)" not in form  # owners are the school's own people
    client.post(
        reverse("plans:action_create", args=[objective.pk]),
        {"title": "Audit book bands", "owner": world["teacher"].pk, "due_on": "2031-01-10"},
    )
    action = Action.objects.get()
    assert (action.owner, action.objective, action.school) == (world["teacher"], objective, world.own)
    assert "Audit book bands" in client.get(_detail(plan)).content.decode()


def test_sharing_toggle_is_audited(client, world):
    plan = factories.school_plan(world.own, world["head"])
    client.force_login(world["head"])
    client.post(reverse("plans:sharing", args=[plan.pk]), {"shares": "1"})
    plan.refresh_from_db()
    assert plan.shares_priorities
    assert AuditEvent.objects.filter(verb="share", actor=world["head"]).exists()
    assert "Stop sharing" in client.get(_detail(plan)).content.decode()


def test_roll_forward_from_the_page(client, world):
    plan = factories.full_school_plan(world.own, world["head"], world["teacher"])
    client.force_login(world["head"])
    response = client.post(reverse("plans:roll_forward", args=[plan.pk]))
    new = ImprovementPlan.objects.get(rolled_from=plan)
    assert response["Location"] == _detail(new)
    page = client.get(_detail(new)).content.decode()
    assert "carried forward from last year" in page and plan.year_label in page
    assert "Roll forward" not in client.get(_detail(plan)).content.decode()
    response = client.post(reverse("plans:roll_forward", args=[plan.pk]), follow=True)
    assert "There is already a plan" in response.content.decode()


def test_termly_review_page(client, world):
    plan = factories.full_school_plan(world.own, world["head"], world["teacher"])
    client.force_login(world["governor"])
    page = client.get(reverse("plans:review", args=[plan.pk]) + "?term=autumn").content.decode()
    assert "Termly review: Autumn term" in page and "Autumn milestone" in page and "Buy decodable books" in page
    spring = client.get(reverse("plans:review", args=[plan.pk]) + "?term=spring").content.decode()
    assert "Autumn milestone" not in spring
    assert client.get(reverse("plans:review", args=[plan.pk]) + "?term=nonsense").status_code == 200


def test_a_partner_school_sees_shared_priorities_but_never_the_plan(client, world):
    plan = factories.full_school_plan(world.own, world["head"], world["teacher"], shares=True)
    objective_title = plan.priorities.get().objectives.get().title
    client.force_login(world["partner_head"])
    assert client.get(_detail(plan)).status_code == 403
    matrix = client.get(reverse("plans:shared_priorities", args=[world.home.slug])).content.decode()
    assert "Reading at Own Primary" in matrix
    assert objective_title not in matrix and "Buy decodable books" not in matrix
    index = client.get(reverse("plans:index")).content.decode()
    assert _detail(plan) not in index


def test_an_unshared_plan_is_invisible_to_other_schools(client, world):
    plan = factories.full_school_plan(world.own, world["head"], world["teacher"])
    for user in ("partner_head", "coordinator", "outside_head", "adviser"):
        client.force_login(world[user])
        assert client.get(_detail(plan)).status_code in (403, 404), user
        assert client.get(reverse("plans:export_pdf", args=[plan.pk])).status_code in (403, 404), user
        matrix = client.get(reverse("plans:shared_priorities", args=[world.home.slug]))
        assert "Reading at Own Primary" not in matrix.content.decode(), user


def test_coordinator_forms_a_working_party_from_a_column(client, world):
    factories.full_school_plan(world.own, world["head"], world["teacher"], shares=True)
    factories.full_school_plan(world.partner, world["partner_head"], world["partner_teacher"], shares=True)
    url = reverse("plans:shared_priorities", args=[world.home.slug])
    client.force_login(world["head"])
    assert "Form a working party" not in client.get(url).content.decode()
    client.force_login(world["coordinator"])
    assert "Form a working party" in client.get(url).content.decode()
    response = client.post(
        reverse("plans:working_party_create", args=[world.home.slug]),
        {"theme": "reading", "year": current_academic_year()},
    )
    network = Network.objects.get(kind=Network.Kind.WORKING_PARTY)
    assert response["Location"] == reverse("directory:network_detail", args=[network.pk])
    assert NetworkMember.objects.filter(network=network).count() == 2
    # Again: the name is taken, so the coordinator gets a message, not an error page.
    response = client.post(
        reverse("plans:working_party_create", args=[world.home.slug]), {"theme": "reading"}, follow=True
    )
    assert "already a network or working party" in response.content.decode()


def test_shared_priorities_year_links_stop_at_years_with_plans(client, world):
    this_year = current_academic_year()
    factories.school_plan(world.own, world["head"], shares=True, year=this_year - 2)
    factories.school_plan(world.own, world["head"], shares=True, year=this_year)
    factories.school_plan(world.outside, world["outside_head"], shares=True, year=this_year + 1)  # not a member
    client.force_login(world["head"])
    url = reverse("plans:shared_priorities", args=[world.home.slug])
    response = client.get(url)
    assert response.context["previous_year"][0] == this_year - 2  # the empty year between is skipped
    assert response.context["next_year"] is None
    assert f'href="?year={this_year + 1}"' not in response.content.decode()
    earliest = client.get(url, {"year": this_year - 2})
    assert earliest.context["previous_year"] is None and earliest.context["next_year"][0] == this_year
