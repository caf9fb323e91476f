"""The good practice register's pages: the front page, a partnership's register (filters, PDF), an
entry (details, evidence, resources, endorsement, withdrawal). Each view: check the access policy,
parse input, call one service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from partnership.core import access, exports
from partnership.core.pages import form_page, run_action
from partnership.directory.models import Membership, Partnership, RoleAssignment
from partnership.goodpractice import entries, selectors
from partnership.goodpractice.forms import (
    EndorseForm,
    EntryForm,
    EvidenceChoiceForm,
    EvidenceNoteForm,
    RegisterFilterForm,
    ResourceForm,
)
from partnership.goodpractice.models import EntryEvidence, EntryResource, RegisterEntry


def crumbs(*pairs: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Home", reverse("home")), ("Good practice", reverse("goodpractice:index")), *pairs]


def register_crumbs(partnership: Partnership, *pairs: tuple[str, str]) -> list[tuple[str, str]]:
    return crumbs((f"{partnership.name} register", reverse("goodpractice:register", args=[partnership.slug])), *pairs)


def _partnership(request: HttpRequest, slug: str, action: str = "view") -> Partnership:
    partnership = get_object_or_404(Partnership, slug=slug)
    access.require(request, action, partnership)
    return partnership


def _entry(request: HttpRequest, pk: int, action: str = "view") -> RegisterEntry:
    entry = get_object_or_404(RegisterEntry.objects.select_related("partnership", "school", "area", "contact"), pk=pk)
    access.require(request, action, entry)
    return entry


def _school_people(school: Any) -> list[Any]:
    rows = (
        RoleAssignment.objects.current()
        .filter(school=school)
        .select_related("person__school")
        .order_by("person__full_name")
    )
    return list({row.person.pk: row.person for row in rows}.values())


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    principal = access.principal_for(request.user)
    partnerships = list(access.visible_to(request.user, Partnership).filter(pk__in=principal.partnership_ids))
    school = None
    if principal.school_id:
        from partnership.directory.models import School

        school = School.objects.get(pk=principal.school_id)
    return render(
        request,
        "goodpractice/index.html",
        {
            "partnerships": [
                {
                    "partnership": p,
                    "can_propose": access.can(request.user, "propose_entry", p),
                    "can_matrix": access.can(request.user, "view_support_matrix", p),
                    "can_pair": access.can(request.user, "make_buddy_pair", p),
                }
                for p in partnerships
            ],
            "school": school,
            "sees_needs": school is not None and access.can(request.user, "view_needs", school),
            "requests": selectors.my_requests(request.user),
            "crumbs": crumbs()[:-1] + [("Good practice", "")],
        },
    )


def _register_context(request: HttpRequest, partnership: Partnership) -> dict[str, Any]:
    areas = selectors.active_areas()
    schools = [m.school for m in Membership.objects.current().filter(partnership=partnership).select_related("school")]
    schools.sort(key=lambda s: s.name)
    form = RegisterFilterForm(request.GET or None, areas=areas, schools=schools)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = list(
        selectors.register_entries(
            request.user,
            partnership,
            area=filters.get("area", ""),
            school=filters.get("school", ""),
            status=filters.get("status", ""),
            query=filters.get("q", ""),
        )
    )
    for row in rows:
        row.free = max(0, row.capacity - (row.reserved_now or 0))  # type: ignore[attr-defined]
    return {"partnership": partnership, "filters": form, "rows": rows, "filtered": bool(request.GET)}


@login_required
@require_safe
def register(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    context = _register_context(request, partnership)
    return render(
        request,
        "goodpractice/register.html",
        {
            **context,
            "can_propose": access.can(request.user, "propose_entry", partnership),
            "pdf_query": request.GET.urlencode(),
            "crumbs": crumbs((f"{partnership.name} register", "")),
        },
    )


@login_required
@require_safe
def register_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    context = _register_context(request, partnership)
    return exports.pdf_response(
        f"{partnership.slug}-good-practice-register.pdf", "goodpractice/register_pdf.html", context, request
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug, "propose_entry")
    principal = access.principal_for(request.user)
    from partnership.directory.models import School

    school = get_object_or_404(School, pk=principal.school_id)
    form = EntryForm(request.POST or None, people=_school_people(school), initial={"contact": request.user.pk})

    def save(f: EntryForm) -> RegisterEntry:
        return entries.entry_propose(
            partnership=partnership, school=school, actor=request.user, request=request, **f.cleaned_data
        )

    return form_page(
        request,
        form,
        save=save,
        success_message="Entry put forward. Link its evidence next: measured evidence ranks it higher.",
        redirect_to=lambda e: reverse("goodpractice:entry_detail", args=[e.pk]),
        context={
            "title": "Put forward an entry for the register",
            "caption": f"{school.name}, {partnership.name}",
            "submit": "Put forward",
            "back": reverse("goodpractice:register", args=[partnership.slug]),
            "crumbs": register_crumbs(partnership, ("Put forward an entry", "")),
        },
    )


@login_required
@require_safe
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk)
    can_edit = access.can(request.user, "edit", entry)
    held = entries_reserved(entry)
    return render(
        request,
        "goodpractice/entry_detail.html",
        {
            "entry": entry,
            "evidence": list(entry.evidence.all()),
            "resources": list(entry.resources.all()),
            "requests": selectors.entry_requests(request.user, entry),
            "reserved": held,
            "free": max(0, entry.capacity - held),
            "can_edit": can_edit,
            "can_endorse": entry.status == RegisterEntry.Status.PROPOSED and access.can(request.user, "endorse", entry),
            "crumbs": register_crumbs(entry.partnership, (entry.title, "")),
        },
    )


def entries_reserved(entry: RegisterEntry) -> int:
    from partnership.goodpractice.support import reserved_sessions

    return reserved_sessions(entry)


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk, "edit")
    initial = {
        "area": entry.area_id,
        "title": entry.title,
        "description": entry.description,
        "contact": entry.contact_id,
        "capacity": entry.capacity,
        "inspection": entry.inspection,
    }
    form = EntryForm(request.POST or None, initial=initial, people=_school_people(entry.school))

    def save(f: EntryForm) -> RegisterEntry:
        return entries.entry_update(entry=entry, data=f.cleaned_data, actor=request.user, request=request)

    return form_page(
        request,
        form,
        save=save,
        success_message="Entry saved.",
        redirect_to=reverse("goodpractice:entry_detail", args=[entry.pk]),
        context={
            "title": "Change the entry",
            "caption": entry.title,
            "submit": "Save",
            "back": reverse("goodpractice:entry_detail", args=[entry.pk]),
            "crumbs": register_crumbs(
                entry.partnership, (entry.title, reverse("goodpractice:entry_detail", args=[entry.pk])), ("Change", "")
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """Link evidence the platform holds (the school's strengths), or note an inspection finding or
    a document."""
    entry = _entry(request, pk, "edit")
    offered = entries.offered_evidence(request.user, entry)
    which = request.POST.get("form", "")
    choice_form = EvidenceChoiceForm(request.POST if which == "offered" else None, offered=offered)
    note_form = EvidenceNoteForm(request.POST if which == "note" else None)
    back = reverse("goodpractice:entry_detail", args=[entry.pk])
    if request.method == "POST":
        if which == "offered" and choice_form.is_valid():
            kind, _, ref = choice_form.cleaned_data["choice"].partition("|")
            if run_action(
                request,
                lambda: entries.evidence_link(entry=entry, kind=kind, ref=ref, actor=request.user, request=request),
                "Evidence linked.",
            ):
                return redirect(back)
        elif which == "note" and note_form.is_valid():
            if run_action(
                request,
                lambda: entries.evidence_add_note(
                    entry=entry, actor=request.user, request=request, **note_form.cleaned_data
                ),
                "Evidence added.",
            ):
                return redirect(back)
        elif which not in ("offered", "note"):
            messages.error(request, "Choose evidence to add.")
    return render(
        request,
        "goodpractice/entry_evidence.html",
        {
            "entry": entry,
            "offered": offered,
            "choice_form": choice_form,
            "note_form": note_form,
            "has_errors": choice_form.errors or note_form.errors,
            "crumbs": register_crumbs(entry.partnership, (entry.title, back), ("Add evidence", "")),
        },
    )


@login_required
@require_POST
def evidence_remove(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_object_or_404(EntryEvidence.objects.select_related("entry"), pk=pk)
    access.require(request, "edit", evidence.entry)
    run_action(
        request,
        lambda: entries.evidence_remove(evidence=evidence, actor=request.user, request=request),
        "Evidence removed.",
    )
    return redirect("goodpractice:entry_detail", evidence.entry_id)


@login_required
@require_http_methods(["GET", "POST"])
def resource_add(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk, "edit")
    form = ResourceForm(request.POST or None, request.FILES or None)

    def save(f: ResourceForm) -> EntryResource:
        upload = f.cleaned_data.get("file")
        return entries.resource_add(
            entry=entry,
            title=f.cleaned_data["title"],
            upload=upload,
            name=upload.name if upload else "",
            size=upload.size if upload else 0,
            url=f.cleaned_data.get("url") or "",
            actor=request.user,
            request=request,
        )

    back = reverse("goodpractice:entry_detail", args=[entry.pk])
    return form_page(
        request,
        form,
        save=save,
        success_message=lambda r: f"“{r.title}” added.",
        redirect_to=back,
        context={
            "title": "Add a resource",
            "caption": entry.title,
            "submit": "Add resource",
            "multipart": True,
            "back": back,
            "crumbs": register_crumbs(entry.partnership, (entry.title, back), ("Add a resource", "")),
        },
    )


@login_required
@require_safe
def resource_file(request: HttpRequest, pk: int) -> FileResponse:
    resource = get_object_or_404(EntryResource.objects.select_related("entry"), pk=pk)
    access.require(request, "view", resource.entry)
    if not resource.file:
        from django.http import Http404

        raise Http404("This resource is a link.")
    response = FileResponse(
        resource.file.open("rb"),
        content_type=resource.content_type or "application/octet-stream",
        as_attachment=True,
        filename=resource.file.name.rsplit("/", 1)[-1],
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def resource_remove(request: HttpRequest, pk: int) -> HttpResponse:
    resource = get_object_or_404(EntryResource.objects.select_related("entry"), pk=pk)
    access.require(request, "edit", resource.entry)
    run_action(
        request,
        lambda: entries.resource_remove(resource=resource, actor=request.user, request=request),
        "Resource removed.",
    )
    return redirect("goodpractice:entry_detail", resource.entry_id)


@login_required
@require_http_methods(["GET", "POST"])
def entry_endorse(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk, "endorse")
    form = EndorseForm(request.POST or None)
    back = reverse("goodpractice:entry_detail", args=[entry.pk])
    return form_page(
        request,
        form,
        save=lambda f: entries.entry_endorse(
            entry=entry, note=f.cleaned_data["note"], actor=request.user, request=request
        ),
        success_message="Entry endorsed for the Raising Achievement Board.",
        redirect_to=back,
        context={
            "title": "Endorse the entry",
            "caption": entry.title,
            "submit": "Endorse",
            "back": back,
            "crumbs": register_crumbs(entry.partnership, (entry.title, back), ("Endorse", "")),
        },
    )


@login_required
@require_POST
def entry_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk, "edit")
    run_action(
        request,
        lambda: entries.entry_withdraw(entry=entry, actor=request.user, request=request),
        "Entry withdrawn from the register.",
    )
    return redirect("goodpractice:entry_detail", entry.pk)


@login_required
@require_POST
def entry_restore(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk, "edit")
    run_action(
        request,
        lambda: entries.entry_restore(entry=entry, actor=request.user, request=request),
        "Entry put forward again.",
    )
    return redirect("goodpractice:entry_detail", entry.pk)
