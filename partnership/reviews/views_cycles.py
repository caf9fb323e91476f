"""Review cycle, rota, conflict of interest, visit and evidence note pages. Each view: check the access
policy, parse input, call one service or selector, render. Everything works without JavaScript; with
it, the notes page autosaves as the reviewer types (`static/reviews/notes.js`)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from partnership.core import access, audit
from partnership.core.errors import ApplicationError
from partnership.core.pages import form_error, form_page
from partnership.directory.models import Partnership, School
from partnership.directory.policy import school_ids_in
from partnership.reviews import cycle_queries, cycles
from partnership.reviews.forms_cycles import (
    ActivityForm,
    ConflictForm,
    CycleForm,
    EnquiryForm,
    FocusForm,
    PreReviewForm,
    ScheduleForm,
    TeamForm,
)
from partnership.reviews.models import (
    Activity,
    ConflictOfInterest,
    EvidenceNote,
    FocusArea,
    Framework,
    FrameworkArea,
    Review,
    ReviewCycle,
)


def _crumbs(*pairs: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Home", reverse("home")), ("Reviews", reverse("reviews:index")), *pairs]


def _cycle_crumbs(cycle: ReviewCycle, *pairs: tuple[str, str]) -> list[tuple[str, str]]:
    return _crumbs((cycle.name, reverse("reviews:cycle_detail", args=[cycle.pk])), *pairs)


def _review_crumbs(review: Review, *pairs: tuple[str, str]) -> list[tuple[str, str]]:
    return _crumbs((f"Peer review of {review.school.name}", reverse("reviews:review_detail", args=[review.pk])), *pairs)


def _cycle(request: HttpRequest, pk: int, action: str = "view") -> ReviewCycle:
    cycle = get_object_or_404(ReviewCycle.objects.select_related("partnership", "framework"), pk=pk)
    access.require(request, action, cycle)
    return cycle


def _review(request: HttpRequest, pk: int, action: str = "view") -> Review:
    review = get_object_or_404(Review.objects.select_related("cycle__framework", "cycle__partnership", "school"), pk=pk)
    access.require(request, action, review)
    return review


def _deny(request: HttpRequest, obj: Any, action: str) -> None:
    audit.record(request.user, "denied", obj, detail={"action": action, "path": request.path}, request=request)
    raise PermissionDenied("You do not have access to this.")


# --- Cycles and the rota -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def cycle_create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_object_or_404(Partnership, slug=slug)
    access.require(request, "open_review_cycle", partnership)
    frameworks = list(
        Framework.objects.filter(is_current=True, is_historic=False)
        .filter(Q(partnership__isnull=True) | Q(partnership=partnership))
        .order_by("partnership_id", "name")
    )
    form = CycleForm(request.POST or None, frameworks=frameworks)

    def save(form: CycleForm) -> ReviewCycle:
        data = form.cleaned_data
        return cycles.cycle_open(
            partnership=partnership,
            actor=request.user,
            name=data["name"],
            academic_year=data["academic_year"],
            framework=data["framework"],
            rounds=data["rounds"],
            team_size=data["team_size"],
            max_load=data["max_load"],
            include_deputies=data["include_deputies"],
            request=request,
        )

    return form_page(
        request,
        form,
        save=save,
        success_message="Review cycle opened. Propose the rota when the partnership's heads have declared any "
        "conflicts of interest.",
        redirect_to=lambda cycle: reverse("reviews:cycle_detail", args=[cycle.pk]),
        context={
            "title": "Open a review cycle",
            "caption": partnership.name,
            "submit": "Open review cycle",
            "back": reverse("reviews:index"),
            "crumbs": _crumbs(("Open a review cycle", "")),
        },
    )


def _cycle_context(
    request: HttpRequest, cycle: ReviewCycle, failed: dict[int, TeamForm] | None = None
) -> dict[str, Any]:
    context = cycle_queries.cycle_page(request.user, cycle)
    forms: dict[int, TeamForm] = {}
    if context["manage"] and cycle.status != ReviewCycle.Status.CLOSED:
        for _, rows in context["rounds"]:
            for row in rows:
                review = row.review
                if failed and review.pk in failed:
                    forms[review.pk] = failed[review.pk]
                    continue
                initial: dict[str, Any] = {f"reviewer_{i}": m.person_id for i, m in enumerate(row.team, start=1)}
                initial["lead"] = row.lead.person_id if row.lead else None
                forms[review.pk] = TeamForm(
                    initial=initial,
                    team_size=cycle.team_size,
                    reviewers=context["reviewers"],
                    prefix=f"team-{review.pk}",
                    prefix_label=f" for {review.school.name}",
                )
    for _, rows in context["rounds"]:
        for row in rows:
            row.review.team_form = forms.get(row.review.pk)  # type: ignore[attr-defined]
    return {
        **context,
        "cycle": cycle,
        "crumbs": _cycle_crumbs(cycle)[:-1] + [(cycle.name, "")],
        "planning": cycle.status == ReviewCycle.Status.PLANNING,
        "closing": context["manage"] and cycle.status != ReviewCycle.Status.PLANNING,
        "unfinished": cycles.cycle_unfinished(cycle) if cycle.status == ReviewCycle.Status.ACCEPTED else 0,
    }


@login_required
@require_safe
def cycle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(request, pk)
    return render(request, "reviews/cycles/cycle_detail.html", _cycle_context(request, cycle))


@login_required
@require_POST
def cycle_propose(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(request, pk, "manage")
    try:
        cycles.rota_propose(cycle=cycle, actor=request.user, request=request)
    except ApplicationError as exc:
        context = _cycle_context(request, cycle)
        return render(request, "reviews/cycles/cycle_detail.html", {**context, "rota_error": exc.message})
    messages.success(request, "Rota proposed. Check each team, change any that need it, then agree the rota.")
    return redirect("reviews:cycle_detail", pk=cycle.pk)


@login_required
@require_POST
def cycle_accept(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _cycle(request, pk, "manage")
    try:
        cycles.rota_accept(cycle=cycle, actor=request.user, request=request)
    except ApplicationError as exc:
        context = _cycle_context(request, cycle)
        return render(request, "reviews/cycles/cycle_detail.html", {**context, "rota_error": exc.message})
    messages.success(request, "Rota agreed. The teams and the schools can now plan their visits.")
    return redirect("reviews:cycle_detail", pk=cycle.pk)


def _cycle_step(request: HttpRequest, pk: int, step: Callable[..., ReviewCycle], done: str) -> HttpResponse:
    """Close or reopen a cycle: the coordinators' step, its refusal shown on the cycle's page."""
    cycle = _cycle(request, pk, "manage")
    try:
        step(cycle=cycle, actor=request.user, request=request)
    except ApplicationError as exc:
        context = _cycle_context(request, cycle)
        return render(request, "reviews/cycles/cycle_detail.html", {**context, "close_error": exc.message})
    messages.success(request, done)
    return redirect("reviews:cycle_detail", pk=cycle.pk)


@login_required
@require_POST
def cycle_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _cycle_step(
        request, pk, cycles.cycle_close, "Review cycle closed. Reports still in progress can be finished."
    )


@login_required
@require_POST
def cycle_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _cycle_step(request, pk, cycles.cycle_reopen, "Review cycle opened again. The rota stays agreed.")


@login_required
@require_POST
def review_team(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk, "manage")
    cycle = _cycle(request, review.cycle_id, "manage")
    reviewers = cycle_queries.cycle_page(request.user, cycle)["reviewers"]
    form = TeamForm(
        request.POST,
        team_size=cycle.team_size,
        reviewers=reviewers,
        prefix=f"team-{review.pk}",
        prefix_label=f" for {review.school.name}",
    )
    if form.is_valid():
        try:
            cycles.team_set(
                review=review,
                actor=request.user,
                members=form.members(),
                lead=form.cleaned_data["lead"],
                request=request,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Team for {review.school.name} saved.")
            return redirect(reverse("reviews:cycle_detail", args=[cycle.pk]) + f"#review-{review.pk}")
    context = _cycle_context(request, cycle, failed={review.pk: form})
    return render(request, "reviews/cycles/cycle_detail.html", {**context, "form": form})


# --- Conflicts of interest ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def conflict_list(request: HttpRequest) -> HttpResponse:
    principal = access.principal_for(request.user)
    schools = (
        School.objects.filter(pk__in=school_ids_in(principal.school_partnerships))
        .exclude(pk=principal.school_id or 0)
        .order_by("name")
    )
    form = ConflictForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        try:
            cycles.conflict_declare(
                person=request.user,
                school=form.cleaned_data["school"],
                reason=form.cleaned_data["reason"],
                request=request,
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, "Conflict of interest declared. The rota will not put you on that school's team.")
            return redirect("reviews:conflict_list")
    mine = list(ConflictOfInterest.objects.filter(person_id=request.user.pk).select_related("school"))
    return render(
        request,
        "reviews/cycles/conflicts.html",
        {"form": form, "mine": mine, "crumbs": _crumbs(("Conflicts of interest", ""))},
    )


@login_required
@require_POST
def conflict_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    conflict = get_object_or_404(ConflictOfInterest.objects.select_related("school"), pk=pk)
    access.require(request, "manage", conflict)
    cycles.conflict_withdraw(conflict=conflict, actor=request.user, request=request)
    messages.success(request, "Conflict of interest withdrawn.")
    return redirect("reviews:conflict_list")


# --- The review and its visit ------------------------------------------------------------------


@login_required
@require_safe
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    context = cycle_queries.review_page(request.user, review)
    return render(
        request,
        "reviews/cycles/review_detail.html",
        {**context, "review": review, "crumbs": _crumbs((f"Peer review of {review.school.name}", ""))},
    )


def _visit_form(
    request: HttpRequest, review: Review, form: Any, *, save: Any, title: str, submit: str, done: str
) -> HttpResponse:
    url = reverse("reviews:review_detail", args=[review.pk])
    return form_page(
        request,
        form,
        save=save,
        success_message=done,
        redirect_to=url,
        context={
            "title": title,
            "caption": f"Peer review of {review.school.name}",
            "submit": submit,
            "back": url,
            "crumbs": _review_crumbs(review, (title, "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    if not (access.can(request.user, "manage", review) or access.can(request.user, "finalise", review)):
        _deny(request, review, "schedule")
    initial = {"starts_on": review.visit_starts_on, "ends_on": review.visit_ends_on}
    return _visit_form(
        request,
        review,
        ScheduleForm(request.POST or None, initial=initial),
        save=lambda f: cycles.visit_schedule(review=review, actor=request.user, request=request, **f.cleaned_data),
        title="Visit dates",
        submit="Save dates",
        done="Visit dates saved.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_enquiry(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk, "respond")
    return _visit_form(
        request,
        review,
        EnquiryForm(request.POST or None, initial={"enquiry_question": review.enquiry_question}),
        save=lambda f: cycles.enquiry_set(
            review=review, actor=request.user, question=f.cleaned_data["enquiry_question"], request=request
        ),
        title="Enquiry question",
        submit="Save question",
        done="Enquiry question saved.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_prereview(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk, "plan_visit")
    initial = {"pre_review_on": review.pre_review_on, "pre_review_notes": review.pre_review_notes}
    return _visit_form(
        request,
        review,
        PreReviewForm(request.POST or None, initial=initial),
        save=lambda f: cycles.pre_review_set(
            review=review,
            actor=request.user,
            on=f.cleaned_data["pre_review_on"],
            notes=f.cleaned_data["pre_review_notes"],
            request=request,
        ),
        title="Pre-review meeting",
        submit="Save",
        done="Pre-review meeting saved.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_focus_add(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk, "plan_visit")
    return _visit_form(
        request,
        review,
        FocusForm(request.POST or None, framework_id=review.cycle.framework_id),
        save=lambda f: cycles.focus_add(review=review, actor=request.user, request=request, **f.cleaned_data),
        title="Agree a focus area",
        submit="Agree focus area",
        done="Focus area agreed.",
    )


@login_required
@require_POST
def visit_focus_remove(request: HttpRequest, pk: int, focus_pk: int) -> HttpResponse:
    review = _review(request, pk, "plan_visit")
    focus = get_object_or_404(FocusArea.objects.select_related("review"), pk=focus_pk, review=review)
    cycles.focus_remove(focus=focus, actor=request.user, request=request)
    messages.success(request, "Focus area removed.")
    return redirect("reviews:review_detail", pk=review.pk)


@login_required
@require_http_methods(["GET", "POST"])
def visit_activity_add(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk, "plan_visit")
    team = [m.person for m in review.team.select_related("person")]
    form = ActivityForm(
        request.POST or None,
        leaders=cycle_queries.school_leaders(review.school_id),
        team=team,
        initial={"day": review.visit_starts_on},
    )

    def save(f: ActivityForm) -> Activity:
        data = dict(f.cleaned_data)
        data.pop("reviewers", None)
        return cycles.activity_add(
            review=review, actor=request.user, request=request, reviewers=f.chosen_reviewers(), **data
        )

    return _visit_form(
        request,
        review,
        form,
        save=save,
        title="Add to the visit's schedule",
        submit="Add activity",
        done="Activity added.",
    )


@login_required
@require_POST
def visit_activity_remove(request: HttpRequest, pk: int, activity_pk: int) -> HttpResponse:
    review = _review(request, pk, "plan_visit")
    activity = get_object_or_404(Activity.objects.select_related("review"), pk=activity_pk, review=review)
    cycles.activity_remove(activity=activity, actor=request.user, request=request)
    messages.success(request, "Activity removed.")
    return redirect("reviews:review_detail", pk=review.pk)


# --- Evidence notes ----------------------------------------------------------------------------


def _notes_review(request: HttpRequest, pk: int) -> Review:
    review = _review(request, pk)
    if not cycle_queries.may_read_notes(request.user, review):
        _deny(request, review, "read_notes")
    return review


def _int(value: Any, default: int = 0) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@login_required
@require_http_methods(["GET", "POST"])
def note_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The notes page. A POST (the page's button, without or with JavaScript) saves every area whose
    text changed; a note saved elsewhere meanwhile is refused, its text kept in the box."""
    review = _notes_review(request, pk)
    errors: dict[int, str] = {}
    kept: dict[int, str] = {}
    if request.method == "POST":
        access.require(request, "write_notes", review)
        context = cycle_queries.notes_page(request.user, review)
        activities = {a.pk: a for a in context["activities"]}
        saved = 0
        for row in context["rows"]:
            name = f"text_{row.area.pk}"
            if name not in request.POST:
                continue
            text = request.POST[name]
            activity = activities.get(_int(request.POST.get(f"activity_{row.area.pk}")))
            unchanged = (row.mine.text if row.mine else "") == text and (
                (row.mine.activity_id if row.mine else None) == (activity.pk if activity else None)
            )
            if unchanged:
                continue
            try:
                cycles.note_save(
                    review=review,
                    area=row.area,
                    author=request.user,
                    text=text,
                    version=_int(request.POST.get(f"version_{row.area.pk}")),
                    activity=activity,
                    explicit=True,
                    request=request,
                )
                saved += 1
            except ApplicationError as exc:
                errors[row.area.pk] = exc.message
                kept[row.area.pk] = text
        if not errors:
            messages.success(request, "Notes saved." if saved else "No changes to save.")
            return redirect("reviews:note_page", pk=review.pk)
    context = cycle_queries.notes_page(request.user, review)
    for row in context["rows"]:
        row.area.error = errors.get(row.area.pk, "")  # type: ignore[attr-defined]
        row.area.kept = kept.get(row.area.pk)  # type: ignore[attr-defined]
    return render(
        request,
        "reviews/cycles/notes.html",
        {
            **context,
            "review": review,
            "errors": errors,
            "crumbs": _review_crumbs(review, ("Evidence notes", "")),
        },
    )


@login_required
@require_POST
def note_autosave(request: HttpRequest, pk: int) -> HttpResponse:
    """Save one note as the reviewer types: JSON {area, text, version, activity, explicit} in, the
    note's new version out; 409 with the saved version when the note changed elsewhere."""
    review = get_object_or_404(Review.objects.select_related("cycle", "school"), pk=pk)
    access.require(request, "write_notes", review)
    data: Any
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except ValueError:
            return JsonResponse({"error": "The note could not be read. Reload the page and try again."}, status=400)
    else:  # a plain form post
        data = request.POST.dict()
    if not isinstance(data, dict) or not isinstance(data.get("text", ""), str):
        return JsonResponse({"error": "The note could not be read. Reload the page and try again."}, status=400)
    area = FrameworkArea.objects.filter(pk=_int(data.get("area")), framework_id=review.cycle.framework_id).first()
    if area is None:
        return JsonResponse({"error": "Choose an area of this review's framework."}, status=400)
    activity = Activity.objects.filter(pk=_int(data.get("activity")), review=review).first()
    try:
        note = cycles.note_save(
            review=review,
            area=area,
            author=request.user,
            text=data.get("text", ""),
            version=_int(data.get("version")),
            activity=activity,
            explicit=bool(data.get("explicit")),
            request=request,
        )
    except cycles.StaleNoteError as exc:
        current = exc.current
        return JsonResponse({"error": exc.message, "version": current.version if current else 0}, status=409)
    except ApplicationError as exc:
        return JsonResponse({"error": exc.message}, status=400)
    return JsonResponse({"version": note.version, "saved_at": note.updated_at.isoformat(), "saved_ms": _ms(note)})


def _ms(note: EvidenceNote) -> int:
    return int(note.updated_at.timestamp() * 1000)
