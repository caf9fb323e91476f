"""Framework and SEF pages. Each view: check the access policy, parse input, call one service or
selector (`sef.py`, `sef_queries.py`), render. Everything works without JavaScript."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from partnership.core import access, exports
from partnership.core.errors import ApplicationError
from partnership.core.pages import crumbs, form_error, form_page
from partnership.core.schoolyear import current_academic_year
from partnership.directory.models import Partnership, School
from partnership.reviews import forms_sef, sef, sef_queries
from partnership.reviews.models import Framework, SefEntry, SefEvidence, SelfEvaluation, Sharing

FORM = "reviews/sef/form.html"
# Service error fields -> form fields ("version" goes to the top of the form).
FIELD_NAMES = {"version": ""}


def _reviews(*pairs: tuple[str, str]) -> list[tuple[str, str]]:
    return crumbs(("Reviews", reverse("reviews:index")), *pairs)


def _framework_crumbs(*pairs: tuple[str, str]) -> list[tuple[str, str]]:
    return _reviews(("Frameworks", reverse("reviews:framework_list")), *pairs)


def _sef_url(obj: SelfEvaluation, anchor: str = "") -> str:
    url = reverse("reviews:sef_detail", args=[obj.pk])
    return f"{url}#{anchor}" if anchor else url


def _sef_crumbs(obj: SelfEvaluation, *pairs: tuple[str, str]) -> list[tuple[str, str]]:
    title = f"{obj.school.name}: self-evaluation {obj.year_label}"
    return _reviews((title, _sef_url(obj) if pairs else ""), *pairs)


def _get_sef(request: HttpRequest, pk: int, action: str = "view") -> SelfEvaluation:
    obj = get_object_or_404(sef_queries.sef_queryset(), pk=pk)
    access.require(request, action, obj)
    return obj


def _get_entry(request: HttpRequest, pk: int, entry_pk: int) -> SefEntry:
    obj = _get_sef(request, pk, "edit")
    entry = get_object_or_404(SefEntry.objects.select_related("area", "grade"), pk=entry_pk, sef=obj)
    entry.sef = obj
    return entry


def _get_framework(request: HttpRequest, pk: int, action: str = "view") -> Framework:
    framework = get_object_or_404(Framework.objects.select_related("partnership", "supersedes"), pk=pk)
    access.require(request, action, framework)
    return framework


# --- Frameworks ----------------------------------------------------------------------------------


@login_required
@require_safe
def framework_list(request: HttpRequest) -> HttpResponse:
    frameworks = sef_queries.framework_list(request.user)
    coordinated = list(
        Partnership.objects.filter(pk__in=access.principal_for(request.user).coordinates).order_by("name")
    )
    return render(
        request,
        "reviews/sef/framework_list.html",
        {
            "shipped": [f for f in frameworks if f.partnership_id is None],
            "own": [f for f in frameworks if f.partnership_id is not None],
            "coordinated": coordinated,
            "crumbs": _reviews(("Frameworks", "")),
        },
    )


@login_required
@require_safe
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _get_framework(request, pk)
    areas, grades = sef_queries.framework_with_parts(framework)
    return render(
        request,
        "reviews/sef/framework_detail.html",
        {
            "framework": framework,
            "areas": areas,
            "grades": grades,
            "versions": sef_queries.framework_versions(framework),
            "in_use": sef_queries.framework_in_use(framework),
            "can_manage": framework.is_current and access.can(request.user, "manage", framework),
            "crumbs": _framework_crumbs((str(framework), "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def framework_create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_object_or_404(Partnership, slug=slug)
    access.require(request, "manage", partnership)
    offered = sef_queries.framework_list(request.user)
    form = forms_sef.NewFrameworkForm(request.POST or None, frameworks=offered)

    def save(f: Any) -> Framework:
        data = f.cleaned_data
        return sef.framework_create(
            partnership=partnership,
            name=data["name"],
            description=data["description"],
            areas=data["areas"],
            grades=data["grades"],
            copy_of=f.frameworks.get(data["copy_of"]) if data.get("copy_of") else None,
            actor=request.user,
            request=request,
        )

    return form_page(
        request,
        form,
        save=save,
        success_message="Framework created.",
        redirect_to=lambda fw: reverse("reviews:framework_detail", args=[fw.pk]),
        template=FORM,
        context={
            "title": f"New framework for {partnership.name}",
            "submit": "Create framework",
            "back": reverse("reviews:framework_list"),
            "crumbs": _framework_crumbs(("New framework", "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def framework_edit(request: HttpRequest, pk: int) -> HttpResponse:
    framework = _get_framework(request, pk, "manage")
    in_use = sef_queries.framework_in_use(framework)
    form = forms_sef.FrameworkForm(
        request.POST or None,
        initial={
            "name": framework.name,
            "description": framework.description,
            "areas": sef.areas_text(framework),
            "grades": sef.grades_text(framework),
        },
    )
    return form_page(
        request,
        form,
        save=lambda f: sef.framework_update(framework=framework, actor=request.user, request=request, **f.cleaned_data),
        success_message=(
            "Saved as a new version. Self-evaluations and reviews that used the old one keep it."
            if in_use
            else "Framework saved."
        ),
        redirect_to=lambda fw: reverse("reviews:framework_detail", args=[fw.pk]),
        template=FORM,
        context={
            "title": f"Edit {framework}",
            "intro": "Self-evaluations or review cycles use this framework, so saving makes a new version; "
            "they keep the one they used."
            if in_use
            else "Nothing uses this framework yet, so it is changed in place.",
            "submit": "Save framework",
            "back": reverse("reviews:framework_detail", args=[framework.pk]),
            "crumbs": _framework_crumbs(
                (str(framework), reverse("reviews:framework_detail", args=[framework.pk])), ("Edit", "")
            ),
        },
    )


# --- Starting and copying a SEF ------------------------------------------------------------------


def _years(school: School, around: int) -> list[int]:
    taken = set(SelfEvaluation.objects.filter(school=school).values_list("academic_year", flat=True))
    return [year for year in (around - 1, around, around + 1) if year not in taken]


@login_required
@require_http_methods(["GET", "POST"])
def sef_start(request: HttpRequest, slug: str) -> HttpResponse:
    school = get_object_or_404(School, slug=slug)
    access.require(request, "manage_sef", school)
    historic = request.GET.get("historic") == "1"
    frameworks = sef_queries.frameworks_for_new_sef(request.user, include_historic=historic)
    form = forms_sef.SefStartForm(
        request.POST or None,
        years=_years(school, current_academic_year()),
        frameworks=frameworks,
        initial={"academic_year": current_academic_year(), "framework": frameworks[0].pk if frameworks else None},
    )
    return form_page(
        request,
        form,
        save=lambda f: sef.sef_start(
            school=school,
            academic_year=f.cleaned_data["academic_year"],
            framework=f.chosen_framework(),
            actor=request.user,
            request=request,
        ),
        success_message="Self-evaluation started. Only people at your school can see it until you choose to share it.",
        redirect_to=_sef_url,
        template=FORM,
        context={
            "title": "Start a self-evaluation",
            "caption": school.name,
            "intro": "" if historic else "Frameworks kept for past self-evaluations are not listed.",
            "more": None
            if historic
            else (f"{request.path}?historic=1", "Show frameworks kept for past self-evaluations too"),
            "submit": "Start self-evaluation",
            "back": reverse("reviews:index"),
            "crumbs": _reviews(("Start a self-evaluation", "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def sef_copy(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _get_sef(request, pk, "edit")
    frameworks = sef_queries.frameworks_for_new_sef(request.user, include_historic=True)
    current = next(
        (f for f in frameworks if f.key == obj.framework.key and f.partnership_id == obj.framework.partnership_id), None
    )
    form = forms_sef.SefCopyForm(
        request.POST or None,
        years=_years(obj.school, obj.academic_year + 1),
        frameworks=frameworks,
        initial={"academic_year": obj.academic_year + 1, "framework": (current or frameworks[0]).pk},
    )
    return form_page(
        request,
        form,
        save=lambda f: sef.sef_copy_forward(
            sef=obj,
            academic_year=f.cleaned_data["academic_year"],
            framework=f.chosen_framework(),
            actor=request.user,
            request=request,
        ),
        success_message="Copied. Areas the two frameworks share were copied with their evidence; only people "
        "at your school can see the new self-evaluation until you share it.",
        redirect_to=_sef_url,
        template=FORM,
        context={
            "title": "Copy this self-evaluation to a new year",
            "caption": f"{obj.school.name}, {obj.year_label}",
            "submit": "Copy self-evaluation",
            "back": _sef_url(obj),
            "crumbs": _sef_crumbs(obj, ("Copy to a new year", "")),
        },
    )


# --- The SEF page and its parts ------------------------------------------------------------------


@login_required
@require_safe
def sef_detail(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _get_sef(request, pk)
    return render(
        request,
        "reviews/sef/detail.html",
        {
            "sef": obj,
            **sef_queries.sef_page(obj),
            "can_edit": access.can_within(request.user, "edit", obj),
            "can_share": access.can_within(request.user, "share", obj),
            "crumbs": _sef_crumbs(obj),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def sef_summary(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _get_sef(request, pk, "edit")
    form = forms_sef.SummaryForm(request.POST or None, initial={"summary": obj.summary, "version": obj.version})
    return form_page(
        request,
        form,
        save=lambda f: sef.sef_update_summary(
            sef=obj,
            summary=f.cleaned_data["summary"],
            version=f.cleaned_data["version"],
            actor=request.user,
            request=request,
        ),
        success_message="Summary saved.",
        redirect_to=lambda _: _sef_url(obj, "summary"),
        field_names=FIELD_NAMES,
        template=FORM,
        context={
            "title": "Summary",
            "caption": f"{obj.school.name}, self-evaluation {obj.year_label}",
            "submit": "Save summary",
            "back": _sef_url(obj),
            "crumbs": _sef_crumbs(obj, ("Summary", "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def sef_entry_edit(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    entry = _get_entry(request, pk, entry_pk)
    obj = entry.sef
    met_initial = {True: "met", False: "not_met"}.get(entry.met, "") if entry.met is not None else ""
    form = forms_sef.EntryForm(
        request.POST or None,
        grades=list(obj.framework.grades.order_by("rank")),
        met_or_not=entry.area.met_or_not,
        initial={
            "grade": entry.grade_id,
            "met": met_initial,
            "narrative": entry.narrative,
            "strengths": entry.strengths,
            "development": entry.development,
            "version": obj.version,
        },
    )

    def save(f: Any) -> SefEntry:
        data = f.cleaned_data
        return sef.sef_update_entry(
            entry=entry,
            version=data["version"],
            actor=request.user,
            grade=data.get("grade"),
            met=f.met_value() if entry.area.met_or_not else None,
            narrative=data["narrative"],
            strengths=data["strengths"],
            development=data["development"],
            request=request,
        )

    return form_page(
        request,
        form,
        save=save,
        success_message=f"{entry.area.name} saved.",
        redirect_to=lambda e: _sef_url(obj, f"area-{e.area.key}"),
        field_names=FIELD_NAMES,
        template=FORM,
        context={
            "title": entry.area.name,
            "caption": f"{obj.school.name}, self-evaluation {obj.year_label}",
            "intro": entry.area.description,
            "submit": "Save",
            "back": _sef_url(obj, f"area-{entry.area.key}"),
            "crumbs": _sef_crumbs(obj, (entry.area.name, "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def sef_evidence_add(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    """Two forms on one page: link a document or web page, or pick what the platform holds."""
    entry = _get_entry(request, pk, entry_pk)
    obj = entry.sef
    offered = sef.offered_evidence(request.user, obj, entry)
    posted = request.POST if request.method == "POST" else None
    which = request.POST.get("form") if posted else None
    link_form = forms_sef.LinkForm(posted if which == "link" else None, prefix="link")
    offered_form = forms_sef.OfferedForm(posted if which == "offered" else None, offered=offered, prefix="offered")
    if posted is not None:
        form: Any = link_form if which == "link" else offered_form
        if form.is_valid():
            try:
                if which == "link":
                    sef.evidence_add_link(entry=entry, actor=request.user, request=request, **link_form.cleaned_data)
                else:
                    kind, ref = offered_form.kind_and_ref()
                    sef.evidence_add_offered(entry=entry, kind=kind, ref=ref, actor=request.user, request=request)
            except ApplicationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, "Evidence linked.")
                return redirect(_sef_url(obj, f"area-{entry.area.key}"))
    return render(
        request,
        "reviews/sef/evidence_form.html",
        {
            "sef": obj,
            "entry": entry,
            "link_form": link_form,
            "offered_form": offered_form,
            "offered": offered,
            "crumbs": _sef_crumbs(obj, (f"Evidence for {entry.area.name}", "")),
        },
    )


@login_required
@require_POST
def sef_evidence_remove(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponse:
    obj = _get_sef(request, pk, "edit")
    evidence = get_object_or_404(SefEvidence.objects.select_related("entry__area"), pk=evidence_pk, entry__sef=obj)
    evidence.entry.sef = obj
    sef.evidence_remove(evidence=evidence, actor=request.user, request=request)
    messages.success(request, f"Removed {evidence.label}.")
    return redirect(_sef_url(obj, f"area-{evidence.entry.area.key}"))


@login_required
@require_http_methods(["GET", "POST"])
def sef_sharing(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _get_sef(request, pk, "share")
    form = forms_sef.SharingForm(request.POST or None, initial={"sharing": obj.sharing})
    if request.method == "POST" and form.is_valid():
        try:
            sef.sef_share(sef=obj, level=form.cleaned_data["sharing"], actor=request.user, request=request)
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, f"Shared with: {Sharing(form.cleaned_data['sharing']).label.lower()}.")
            return redirect(_sef_url(obj, "sharing"))
    return render(
        request,
        "reviews/sef/sharing.html",
        {
            "sef": obj,
            "form": form,
            "history": sef_queries.sef_page(obj)["sharing_history"],
            "crumbs": _sef_crumbs(obj, ("Who can see it", "")),
        },
    )


@login_required
@require_safe
def sef_history(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _get_sef(request, pk)
    return render(
        request,
        "reviews/sef/history.html",
        {"sef": obj, "rows": sef_queries.version_history(obj), "crumbs": _sef_crumbs(obj, ("History", ""))},
    )


def _print_context(obj: SelfEvaluation) -> dict[str, Any]:
    return {
        "sef": obj,
        "title": f"{obj.school.name}: self-evaluation {obj.year_label}",
        "entries": sef_queries.sef_entries(obj),
        "printed_on": timezone.localdate(),
    }


@login_required
@require_safe
def sef_print(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _get_sef(request, pk)
    return render(request, "reviews/sef/print.html", {**_print_context(obj), "crumbs": _sef_crumbs(obj, ("Print", ""))})


@login_required
@require_safe
def sef_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _get_sef(request, pk)
    filename = f"self-evaluation-{obj.school.slug}-{obj.academic_year}.pdf"
    return exports.pdf_response(filename, "reviews/sef/sef_pdf.html", _print_context(obj), request)
