"""Plan pages. Each view: check the access policy, parse input, call one service or selector, render.

The plan page is the working document: priorities -> objectives -> milestones and actions, with
status and its history. Smaller pages each hold one form and return to the plan, at the item.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from partnership.core import access
from partnership.core.errors import ApplicationError
from partnership.core.exports import pdf_response, xlsx_response
from partnership.core.pages import form_page
from partnership.core.params import int_param
from partnership.directory.models import Partnership, School
from partnership.plans import exports, selectors, services
from partnership.plans.forms import (
    MilestoneEditForm,
    MilestoneForm,
    ObjectiveActionForm,
    ObjectiveForm,
    PlanForm,
    PriorityForm,
    ProgressForm,
)
from partnership.plans.models import (
    ImprovementPlan,
    Milestone,
    Objective,
    Priority,
    Term,
    Theme,
    academic_year_label,
    current_academic_year,
)
from partnership.plans.terms import current_term_for


def _crumbs(*pairs: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Home", reverse("home")), ("Plans", reverse("plans:index")), *pairs]


def _plan_crumbs(plan: ImprovementPlan, *pairs: tuple[str, str]) -> list[tuple[str, str]]:
    return _crumbs((_plan_name(plan), reverse("plans:detail", args=[plan.pk])), *pairs)


def _plan_name(plan: ImprovementPlan) -> str:
    owner = plan.school.name if plan.school_id else plan.partnership.name  # type: ignore[union-attr]
    return f"{owner}: {plan}"


def _plan(request: HttpRequest, pk: int, action: str = "view") -> ImprovementPlan:
    plan = get_object_or_404(ImprovementPlan.objects.select_related("school", "partnership"), pk=pk)
    access.require(request, action, plan)
    return plan


def _priority(request: HttpRequest, pk: int, action: str) -> Priority:
    priority = get_object_or_404(Priority.objects.select_related("plan__school", "plan__partnership", "lead"), pk=pk)
    if action == "manage":
        access.require(request, "manage", priority.plan)
    else:
        access.require(request, action, priority)
    return priority


def _objective(request: HttpRequest, pk: int, action: str) -> Objective:
    objective = get_object_or_404(
        Objective.objects.select_related("priority__plan__school", "priority__plan__partnership", "lead"), pk=pk
    )
    if action == "manage":
        access.require(request, "manage", objective.priority.plan)
    else:
        access.require(request, action, objective)
    return objective


def _milestone(request: HttpRequest, pk: int, action: str) -> Milestone:
    milestone = get_object_or_404(
        Milestone.objects.select_related("objective__priority__plan__school", "objective__priority__plan__partnership"),
        pk=pk,
    )
    if action == "manage":
        access.require(request, "manage", milestone.objective.priority.plan)
    else:
        access.require(request, action, milestone.objective)
    return milestone


def _at(plan: ImprovementPlan, anchor: str = "") -> str:
    """The plan page's address, at the item `anchor` names."""
    url = reverse("plans:detail", args=[plan.pk])
    return f"{url}#{anchor}" if anchor else url


def _back_to(plan: ImprovementPlan, anchor: str = "") -> HttpResponse:
    return redirect(_at(plan, anchor))


# --- Index and plans ----------------------------------------------------------------------------


@login_required
@require_safe
def plan_index(request: HttpRequest) -> HttpResponse:
    index = selectors.plans_index(request.user)
    return render(
        request,
        "plans/index.html",
        {
            "index": index,
            "current_year_label": academic_year_label(index.current_year),
            "crumbs": [("Home", reverse("home")), ("Plans", "")],
        },
    )


@login_required
@require_POST
def school_plan_create(request: HttpRequest, slug: str) -> HttpResponse:
    school = get_object_or_404(School, slug=slug)
    access.require(request, "manage_plan", school)
    year = current_academic_year()
    try:
        plan = services.plan_create(school=school, academic_year=year, actor=request.user, request=request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("plans:index")
    messages.success(
        request, f"{school.name}'s development plan for {plan.year_label} has started. Add its priorities."
    )
    return redirect("plans:detail", pk=plan.pk)


@login_required
@require_POST
def partnership_plan_create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_object_or_404(Partnership, slug=slug)
    access.require(request, "manage", partnership)
    year = current_academic_year()
    try:
        plan = services.plan_create(partnership=partnership, academic_year=year, actor=request.user, request=request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("plans:index")
    messages.success(request, f"{partnership.name}'s improvement plan for {plan.year_label} has started.")
    return redirect("plans:detail", pk=plan.pk)


@login_required
@require_safe
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    priorities = selectors.plan_priorities(plan, request.user)
    selectors.mark_permissions(priorities, request.user)
    can_manage = access.can_within(request.user, "manage", plan)
    return render(
        request,
        "plans/detail.html",
        {
            "plan": plan,
            "plan_name": _plan_name(plan),
            "priorities": priorities,
            "summary": selectors.plan_summary(priorities),
            "can_manage": can_manage,
            "neighbours": selectors.neighbour_plans(plan),
            "next_year_label": academic_year_label(plan.academic_year + 1),
            "review_term": current_term_for(plan.academic_year, timezone.localdate()),
            "crumbs": _crumbs((_plan_name(plan), "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk, "manage")
    return form_page(
        request,
        PlanForm(request.POST or None, initial={"title": plan.title, "vision": plan.vision}),
        save=lambda form: services.plan_update(plan=plan, actor=request.user, request=request, **form.cleaned_data),
        success_message="The plan's details have been saved.",
        redirect_to=reverse("plans:detail", args=[plan.pk]),
        context={
            "caption": _plan_name(plan),
            "title": "Title and vision",
            "submit": "Save",
            "back": reverse("plans:detail", args=[plan.pk]),
            "crumbs": _plan_crumbs(plan, ("Title and vision", "")),
        },
    )


@login_required
@require_POST
def plan_sharing(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk, "manage")
    shares = request.POST.get("shares") == "1"
    try:
        services.plan_set_sharing(plan=plan, shares=shares, actor=request.user, request=request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        if shares:
            messages.success(
                request,
                "The partnership can now see this plan's priorities (not its objectives or actions).",
            )
        else:
            messages.success(request, "This plan's priorities are now private to your school.")
    return _back_to(plan, "sharing")


@login_required
@require_POST
def plan_roll_forward(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk, "manage")
    try:
        new_plan = services.plan_roll_forward(plan=plan, actor=request.user, request=request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return _back_to(plan)
    messages.success(
        request,
        f"The {new_plan.year_label} plan has started with the unfinished priorities and objectives of "
        f"{plan.year_label}. Their open actions have moved with them.",
    )
    return redirect("plans:detail", pk=new_plan.pk)


@login_required
@require_safe
def plan_review(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    term = request.GET.get("term", "")
    if term not in Term.values:
        term = current_term_for(plan.academic_year, timezone.localdate())
    return render(
        request,
        "plans/review.html",
        {
            "plan": plan,
            "plan_name": _plan_name(plan),
            "review": selectors.termly_review(plan, term, request.user),
            "crumbs": _plan_crumbs(plan, ("Termly review", "")),
        },
    )


@login_required
@require_safe
def plan_export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    context = exports.plan_pdf_context(plan, _plan_name(plan), request.user)
    return pdf_response(f"{_filename(plan)}.pdf", "plans/plan_pdf.html", context, request)


@login_required
@require_safe
def plan_export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    return xlsx_response(f"{_filename(plan)}.xlsx", exports.plan_sheets(plan, request.user))


def _filename(plan: ImprovementPlan) -> str:
    owner = plan.school.slug if plan.school_id else plan.partnership.slug  # type: ignore[union-attr]
    return slugify(f"{owner} plan {plan.year_label}")


# --- Priorities ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def priority_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk, "manage")
    return form_page(
        request,
        PriorityForm(request.POST or None, people=selectors.plan_people(plan)),
        save=lambda form: services.priority_create(
            plan=plan, actor=request.user, request=request, **_priority_data(form)
        ),
        success_message=lambda priority: f"Priority {priority.number} added. Now add its objectives.",
        redirect_to=lambda priority: _at(plan, f"priority-{priority.pk}"),
        context={
            "caption": _plan_name(plan),
            "title": "Add a priority",
            "submit": "Add priority",
            "back": reverse("plans:detail", args=[plan.pk]),
            "crumbs": _plan_crumbs(plan, ("Add a priority", "")),
        },
    )


def _priority_data(form: PriorityForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "description": data["description"],
        "framework_area": data["framework_area"],
        "themes": data["themes"],
        "lead": data["lead_person"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def priority_edit(request: HttpRequest, pk: int) -> HttpResponse:
    priority = _priority(request, pk, "manage")
    plan = priority.plan
    initial = {
        "title": priority.title,
        "description": priority.description,
        "framework_area": priority.framework_area,
        "themes": ", ".join(t.name for t in priority.themes.order_by("name")),
        "lead": priority.lead_id or "",
    }
    return form_page(
        request,
        PriorityForm(request.POST or None, initial=initial, people=selectors.plan_people(plan)),
        save=lambda form: services.priority_update(
            priority=priority, actor=request.user, request=request, **_priority_data(form)
        ),
        success_message=f"Priority {priority.number} saved.",
        redirect_to=_at(plan, f"priority-{priority.pk}"),
        context={
            "caption": _plan_name(plan),
            "title": f"Edit priority {priority.number}",
            "submit": "Save priority",
            "back": reverse("plans:detail", args=[plan.pk]),
            "crumbs": _plan_crumbs(plan, (f"Priority {priority.number}", "")),
        },
    )


def _progress_page(
    request: HttpRequest, item: Priority | Objective, plan: ImprovementPlan, label: str, anchor: str
) -> HttpResponse:
    return form_page(
        request,
        ProgressForm(request.POST or None, initial={"rag": item.rag}),
        save=lambda form: services.progress_record(item=item, actor=request.user, request=request, **form.cleaned_data),
        success_message=lambda _: f"Progress on {label} recorded: {item.get_rag_display()}.",
        redirect_to=_at(plan, anchor),
        template="plans/progress.html",
        context={
            "item": item,
            "label": label,
            "plan_name": _plan_name(plan),
            "history": item.updates.select_related("author").order_by("-recorded_at", "-id"),
            "back": _at(plan, anchor),
            "crumbs": _plan_crumbs(plan, (f"Record progress on {label}", "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def priority_progress(request: HttpRequest, pk: int) -> HttpResponse:
    priority = _priority(request, pk, "update")
    return _progress_page(request, priority, priority.plan, f"priority {priority.number}", f"priority-{priority.pk}")


# --- Objectives and milestones ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def objective_create(request: HttpRequest, pk: int) -> HttpResponse:
    priority = _priority(request, pk, "manage")
    plan = priority.plan
    return form_page(
        request,
        ObjectiveForm(request.POST or None, people=selectors.plan_people(plan)),
        save=lambda form: services.objective_create(
            priority=priority, actor=request.user, request=request, **_objective_data(form)
        ),
        success_message=lambda objective: (
            f"Objective {priority.number}.{objective.number} added. Add its termly milestones."
        ),
        redirect_to=lambda objective: _at(plan, f"objective-{objective.pk}"),
        context={
            "caption": f"Priority {priority.number}: {priority.title}",
            "title": "Add an objective",
            "submit": "Add objective",
            "back": _at(plan, f"priority-{priority.pk}"),
            "crumbs": _plan_crumbs(plan, ("Add an objective", "")),
        },
    )


def _objective_data(form: ObjectiveForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {"title": data["title"], "success_criteria": data["success_criteria"], "lead": data["lead_person"]}


@login_required
@require_http_methods(["GET", "POST"])
def objective_edit(request: HttpRequest, pk: int) -> HttpResponse:
    objective = _objective(request, pk, "manage")
    priority = objective.priority
    plan = priority.plan
    initial = {
        "title": objective.title,
        "success_criteria": objective.success_criteria,
        "lead": objective.lead_id or "",
    }
    return form_page(
        request,
        ObjectiveForm(request.POST or None, initial=initial, people=selectors.plan_people(plan)),
        save=lambda form: services.objective_update(
            objective=objective, actor=request.user, request=request, **_objective_data(form)
        ),
        success_message=f"Objective {priority.number}.{objective.number} saved.",
        redirect_to=_at(plan, f"objective-{objective.pk}"),
        context={
            "caption": f"Priority {priority.number}: {priority.title}",
            "title": f"Edit objective {priority.number}.{objective.number}",
            "submit": "Save objective",
            "back": _at(plan, f"objective-{objective.pk}"),
            "crumbs": _plan_crumbs(plan, (f"Objective {priority.number}.{objective.number}", "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def objective_progress(request: HttpRequest, pk: int) -> HttpResponse:
    objective = _objective(request, pk, "update")
    label = f"objective {objective.priority.number}.{objective.number}"
    return _progress_page(request, objective, objective.priority.plan, label, f"objective-{objective.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def milestone_create(request: HttpRequest, pk: int) -> HttpResponse:
    objective = _objective(request, pk, "manage")
    plan = objective.priority.plan
    return form_page(
        request,
        MilestoneForm(request.POST or None),
        save=lambda form: services.milestone_create(
            objective=objective, actor=request.user, request=request, **form.cleaned_data
        ),
        success_message="Milestone added.",
        redirect_to=_at(plan, f"objective-{objective.pk}"),
        context={
            "caption": f"Objective {objective.priority.number}.{objective.number}: {objective.title}",
            "title": "Add a milestone",
            "submit": "Add milestone",
            "back": _at(plan, f"objective-{objective.pk}"),
            "crumbs": _plan_crumbs(plan, ("Add a milestone", "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_edit(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = _milestone(request, pk, "manage")
    objective = milestone.objective
    plan = objective.priority.plan
    initial = {"term": milestone.term, "description": milestone.description, "achieved": milestone.achieved}
    return form_page(
        request,
        MilestoneEditForm(request.POST or None, initial=initial),
        save=lambda form: services.milestone_update(
            milestone=milestone, actor=request.user, request=request, **form.cleaned_data
        ),
        success_message="Milestone saved.",
        redirect_to=_at(plan, f"objective-{objective.pk}"),
        context={
            "caption": f"Objective {objective.priority.number}.{objective.number}: {objective.title}",
            "title": "Edit a milestone",
            "submit": "Save milestone",
            "back": _at(plan, f"objective-{objective.pk}"),
            "crumbs": _plan_crumbs(plan, ("Edit a milestone", "")),
        },
    )


@login_required
@require_POST
def milestone_achieved(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = _milestone(request, pk, "update")
    achieved = request.POST.get("achieved") == "1"
    services.milestone_set_achieved(milestone=milestone, achieved=achieved, actor=request.user, request=request)
    if achieved:
        messages.success(request, f"Milestone achieved: {milestone.description}")
    else:
        messages.success(request, f"Milestone marked as not yet achieved: {milestone.description}")
    return _back_to(milestone.objective.priority.plan, f"objective-{milestone.objective_id}")


@login_required
@require_http_methods(["GET", "POST"])
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    objective = _objective(request, pk, "manage")
    plan = objective.priority.plan
    return form_page(
        request,
        ObjectiveActionForm(request.POST or None, people=selectors.plan_people(plan)),
        save=lambda form: services.objective_action_add(
            objective=objective,
            title=form.cleaned_data["title"],
            owner=form.cleaned_data["owner_person"],
            due_on=form.cleaned_data["due_on"],
            actor=request.user,
            request=request,
        ),
        success_message=lambda action: f"Action added for {action.owner}. It is in their list of actions.",
        redirect_to=_at(plan, f"objective-{objective.pk}"),
        context={
            "caption": f"Objective {objective.priority.number}.{objective.number}: {objective.title}",
            "title": "Add an action",
            "submit": "Add action",
            "back": _at(plan, f"objective-{objective.pk}"),
            "crumbs": _plan_crumbs(plan, ("Add an action", "")),
        },
    )


def _year_param(request: HttpRequest) -> int:
    raw = request.GET.get("year") or request.POST.get("year") or ""
    return int_param(raw, low=2000, high=2100) or current_academic_year()


def _labelled(year: int | None) -> tuple[int, str] | None:
    return (year, academic_year_label(year)) if year is not None else None


@login_required
@require_safe
def shared_priorities(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_object_or_404(Partnership, slug=slug)
    access.require(request, "view", partnership)
    year = _year_param(request)
    principal = access.principal_for(request.user)
    years = selectors.shared_priority_years(partnership)
    return render(
        request,
        "plans/shared_priorities.html",
        {
            "partnership": partnership,
            "matrix": selectors.shared_priorities_matrix(partnership, request.user, year),
            "year": year,
            "year_label": academic_year_label(year),
            "previous_year": _labelled(max((y for y in years if y < year), default=None)),
            "next_year": _labelled(min((y for y in years if y > year), default=None)),
            "own_school_id": principal.school_id,
            "can_form": access.can_within(request.user, "manage", partnership),
            "crumbs": _crumbs((f"{partnership.name}: shared priorities", "")),
        },
    )


@login_required
@require_POST
def working_party_create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_object_or_404(Partnership, slug=slug)
    access.require(request, "manage", partnership)
    year = _year_param(request)
    theme = Theme.objects.filter(slug=request.POST.get("theme", "")).first()
    back = f"{reverse('plans:shared_priorities', args=[slug])}?year={year}"
    if theme is None:
        messages.error(request, "Choose a theme from the table.")
        return redirect(back)
    try:
        network = services.working_party_from_theme(
            partnership=partnership, theme=theme, academic_year=year, actor=request.user, request=request
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(
        request,
        f"Working party “{network.name}” formed. Each school's lead for the priority has been added; add others below.",
    )
    return redirect("directory:network_detail", pk=network.pk)
