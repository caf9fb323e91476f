"""Action log pages. Each view: parse input, check the access policy, call a service or selector, render.

Three lists (mine, my school's, the partnership's) share one template and one export; an action's page
carries its notes, a note form and, for those who may change it, an edit form with the version it was
loaded at, so a second person's save is refused instead of silently overwriting the first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.views.decorators.http import require_GET, require_http_methods

from partnership.actions import selectors, services
from partnership.actions.forms import (
    ActionCreateForm,
    ActionEditForm,
    ActionFilterForm,
    ActionNoteForm,
    Difference,
)
from partnership.actions.models import Action
from partnership.core import access
from partnership.core.errors import ApplicationError
from partnership.core.exports import table_response
from partnership.core.pages import crumbs, form_error, form_page
from partnership.directory.models import Partnership, School

PAGE_SIZE = 25
EXPORT_FORMATS = ("csv", "xlsx")


@dataclass(frozen=True)
class ActionList:
    key: str
    title: str
    url_name: str
    file_stem: str
    lede: str
    empty: str


LISTS: dict[str, ActionList] = {
    spec.key: spec
    for spec in [
        ActionList(
            "mine",
            "My actions",
            "actions:mine",
            "my-actions",
            "Everything you have agreed to do, wherever it was agreed.",
            "You have no actions that match.",
        ),
        ActionList(
            "school",
            "My school's actions",
            "actions:school",
            "school-actions",
            "Actions for your school, including partnership actions owned by your colleagues.",
            "Your school has no actions that match.",
        ),
        ActionList(
            "partnership",
            "Partnership actions",
            "actions:partnership",
            "partnership-actions",
            "Actions agreed across the partnership: at network meetings, boards and working parties.",
            "There are no partnership actions that match.",
        ),
    ]
}


_crumbs = crumbs


_form_error = form_error


# --- The three lists ------------------------------------------------------------------------------


def _filtered(request: HttpRequest, which: str) -> tuple[ActionFilterForm, Any]:
    form = ActionFilterForm(
        request.GET,
        owners=selectors.action_owners(request.user, which),
        partnerships=selectors.action_partnerships(request.user, which),
    )
    return form, selectors.action_filter(selectors.actions_list(request.user, which), **form.filters())


def _new_action_links(request: HttpRequest) -> list[tuple[str, str]]:
    """Where this person may raise an action: their own school, and partnerships they coordinate."""
    principal = access.principal_for(request.user)
    schools = School.objects.filter(pk=principal.school_id).only("name", "slug") if principal.school_id else []
    links = [
        (f"New action for {school.name}", reverse("actions:create_school", args=[school.slug]))
        for school in schools
        if access.can(request.user, "add_action", school)
    ]
    links += [
        (f"New partnership action for {p.name}", reverse("actions:create_partnership", args=[p.slug]))
        for p in Partnership.objects.filter(pk__in=principal.coordinates).only("name", "slug").order_by("name")
    ]
    return links


def _list_page(request: HttpRequest, which: str) -> HttpResponse:
    spec = LISTS[which]
    form, actions = _filtered(request, which)
    page = Paginator(actions, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_source_links(page.object_list, request.user)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "actions/list.html",
        {
            "spec": spec,
            "lists": [(s, s.key == which) for s in LISTS.values()],
            "form": form,
            "page": page,
            "no_school": which == "school" and access.principal_for(request.user).school_id is None,
            "csv_url": f"{reverse('actions:export', args=[which, 'csv'])}?{query.urlencode()}",
            "xlsx_url": f"{reverse('actions:export', args=[which, 'xlsx'])}?{query.urlencode()}",
            "new_action_links": _new_action_links(request),
            "crumbs": _crumbs(("Actions", reverse("actions:mine")), (spec.title, "")),
        },
    )


@login_required
@require_GET
def action_list_mine(request: HttpRequest) -> HttpResponse:
    return _list_page(request, "mine")


@login_required
@require_GET
def action_list_school(request: HttpRequest) -> HttpResponse:
    return _list_page(request, "school")


@login_required
@require_GET
def action_list_partnership(request: HttpRequest) -> HttpResponse:
    return _list_page(request, "partnership")


EXPORT_HEADER = [
    "Action",
    "More detail",
    "Owner",
    "Owner email",
    "School",
    "Partnership",
    "Due by",
    "Status",
    "Overdue",
    "Priority",
    "Objective",
    "Where it arose",
    "Notes",
    "Last changed",
    "Link",
]


@login_required
@require_GET
def action_export(request: HttpRequest, which: str, fmt: str) -> HttpResponse:
    """The filtered list as CSV or Excel: every matching row, not just the page on screen."""
    if which not in LISTS or fmt not in EXPORT_FORMATS:
        raise Http404("No such download.")
    _, actions = _filtered(request, which)
    rows = (
        [
            a.title,
            a.description,
            a.owner.full_name,
            a.owner.email,
            a.school.name if a.school_id else "",
            a.partnership.name if a.partnership_id else "",
            a.due_on,
            a.get_status_display(),
            "Yes" if a.is_overdue() else "No",
            str(a.priority) if a.priority_id else "",
            str(a.objective) if a.objective_id else "",
            a.source_label,
            a.note_count,
            date_format(a.updated_at, "Y-m-d H:i"),
            request.build_absolute_uri(reverse("actions:detail", args=[a.pk])),
        ]
        for a in actions
    )
    return table_response(fmt, LISTS[which].file_stem, EXPORT_HEADER, rows)


# --- One action -----------------------------------------------------------------------------------


def _owner_choices(request: HttpRequest, action: Action) -> list[Any]:
    return list(
        selectors.action_owner_choices(
            request.user,
            school_id=action.school_id,
            partnership_id=action.partnership_id,
            current_owner_id=action.owner_id,
        )
    )


def _as_data(initial: dict[str, Any]) -> dict[str, Any]:
    return {name: "" if value is None else value for name, value in initial.items()}


def _stale_edit_form(action: Action, people: list[Any], message: str) -> ActionEditForm:
    """The edit form as the action is stored now (with its new version), carrying the refusal."""
    form = ActionEditForm(_as_data(ActionEditForm.initial_for(action)), people=people)
    form.is_valid()
    form.add_error(None, message)
    return form


@login_required
@require_http_methods(["GET", "POST"])
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(selectors.action_for_page(), pk=pk)
    access.require(request, "view", action)
    can_change = access.can(request.user, "change", action)
    people = _owner_choices(request, action) if can_change else []
    edit_form = ActionEditForm(initial=ActionEditForm.initial_for(action), people=people)
    note_form = ActionNoteForm(initial={"version": action.version})
    your_changes: list[Difference] = []

    if request.method == "POST":
        access.require(request, "change", action)
        submitted = request.POST.get("form")
        if submitted == "edit":
            edit_form = ActionEditForm(request.POST, people=people)
            if edit_form.is_valid():
                try:
                    services.action_update(
                        action=action,
                        expected_version=edit_form.cleaned_data["version"],
                        actor=request.user,
                        data=edit_form.changes(),
                        request=request,
                    )
                except services.StaleActionError as exc:
                    action = get_object_or_404(selectors.action_for_page(), pk=pk)
                    your_changes = edit_form.differences_from(action)
                    people = _owner_choices(request, action)
                    edit_form = _stale_edit_form(action, people, exc.message)
                    note_form = ActionNoteForm(initial={"version": action.version})
                except ApplicationError as exc:
                    _form_error(edit_form, exc)
                else:
                    messages.success(request, "Your changes to this action have been saved.")
                    return redirect("actions:detail", pk=pk)
        elif submitted == "note":
            note_form = ActionNoteForm(request.POST)
            if note_form.is_valid():
                try:
                    services.action_add_note(
                        action=action,
                        author=request.user,
                        text=note_form.cleaned_data["text"],
                        evidence_url=note_form.cleaned_data["evidence_url"],
                        status=note_form.cleaned_data["status"],
                        expected_version=note_form.cleaned_data["version"],
                        request=request,
                    )
                except services.StaleActionError as exc:
                    # Nothing was saved: keep the note as typed, against the version stored now.
                    action = get_object_or_404(selectors.action_for_page(), pk=pk)
                    data = request.POST.copy()
                    data["version"] = str(action.version)
                    note_form = ActionNoteForm(data)
                    note_form.is_valid()
                    note_form.add_error(None, exc.message)
                    edit_form = ActionEditForm(initial=ActionEditForm.initial_for(action), people=people)
                except ApplicationError as exc:
                    _form_error(note_form, exc)
                else:
                    messages.success(request, "Your note has been added.")
                    return redirect(f"{reverse('actions:detail', args=[pk])}#notes")
        else:
            return HttpResponse("Unknown form.", status=400)

    action = selectors.with_source_links([action], request.user)[0]
    return render(
        request,
        "actions/detail.html",
        {
            "action": action,
            "notes": selectors.action_notes(action),
            "can_change": can_change,
            "edit_form": edit_form,
            "note_form": note_form,
            "your_changes": your_changes,
            "crumbs": _crumbs(("Actions", reverse("actions:mine")), (action.title, "")),
        },
    )


# --- New actions ----------------------------------------------------------------------------------


def create_page(
    request: HttpRequest,
    *,
    school: School | None,
    partnership: Partnership | None,
    title: str,
    back: tuple[str, str],
    initial: dict[str, Any] | None = None,
    source_label: str = "",
) -> HttpResponse:
    """The new-action form and its handling, for the caller's already-checked `school` and/or
    `partnership`. With both, the action belongs to that school and the partnership, and its owner
    may be anyone in the partnership (a board's flag becoming a school's action). `initial` fills
    the form in; `source_label` records where the action arose."""
    school_id = school.pk if school else None
    partnership_id = partnership.pk if partnership else None
    form = ActionCreateForm(
        request.POST or None,
        initial={"owner": request.user.pk, **(initial or {})},
        people=selectors.action_owner_choices(request.user, school_id=school_id, partnership_id=partnership_id),
        priorities=selectors.action_priority_choices(request.user, school_id=school_id, partnership_id=partnership_id),
    )

    def save(form: ActionCreateForm) -> Action:
        owner = form.cleaned_data["owner"]
        return services.action_create(
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            owner=owner,
            created_by=request.user,
            # A partnership action also shows in its owner's school list, as actions from meetings do.
            school=school if school is not None else owner.school,
            partnership=partnership,
            due_on=form.cleaned_data["due_on"],
            priority=form.cleaned_data["priority"],
            source_label=source_label,
            request=request,
        )

    return form_page(
        request,
        form,
        save=save,
        success_message=lambda action: f"Action “{action.title}” added for {action.owner.full_name}.",
        redirect_to=lambda action: reverse("actions:detail", args=[action.pk]),
        template="actions/create.html",
        context={"title": title, "crumbs": _crumbs(("Actions", reverse("actions:mine")), back, (title, ""))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_create_for_school(request: HttpRequest, slug: str) -> HttpResponse:
    school = get_object_or_404(School, slug=slug)
    access.require(request, "add_action", school)
    return create_page(
        request,
        school=school,
        partnership=None,
        title=f"New action for {school.name}",
        back=("My school's actions", reverse("actions:school")),
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_create_for_partnership(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_object_or_404(Partnership, slug=slug)
    access.require(request, "manage", partnership)  # its coordinators raise partnership actions
    return create_page(
        request,
        school=None,
        partnership=partnership,
        title=f"New partnership action for {partnership.name}",
        back=("Partnership actions", reverse("actions:partnership")),
    )
