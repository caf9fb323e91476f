"""Needs, "find support", support requests, ledgers and the partnership's matrix. Each view: check
the access policy, parse input, call one service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from partnership.core import access, exports
from partnership.core.pages import form_page, run_action
from partnership.core.schoolyear import academic_year_label, current_academic_year
from partnership.directory.models import Partnership, RoleAssignment, School
from partnership.goodpractice import needs, selectors, support
from partnership.goodpractice.forms import (
    ActionForm,
    DeclineForm,
    ImpactForm,
    NeedForm,
    PlanForm,
    RequestForm,
    SessionForm,
)
from partnership.goodpractice.models import Need, PracticeArea, RegisterEntry, SupportRequest
from partnership.goodpractice.suggestions import suggestions_for
from partnership.goodpractice.views import crumbs


def _school(request: HttpRequest, slug: str, action: str) -> School:
    school = get_object_or_404(School, slug=slug)
    access.require(request, action, school)
    return school


def _needs_crumbs(school: School, *pairs: tuple[str, str]) -> list[tuple[str, str]]:
    return crumbs((f"{school.name}: needs", reverse("goodpractice:school_needs", args=[school.slug])), *pairs)


def _request(request: HttpRequest, pk: int, action: str = "view") -> SupportRequest:
    req = get_object_or_404(
        SupportRequest.objects.select_related(
            "entry__contact", "requesting_school", "supporting_school", "area", "partnership", "requested_by"
        ),
        pk=pk,
    )
    access.require(request, action, req)
    return req


@login_required
@require_safe
def school_needs(request: HttpRequest, slug: str) -> HttpResponse:
    school = _school(request, slug, "view_needs")
    year = current_academic_year()
    items = needs.school_needs(request.user, school, year)
    return render(
        request,
        "goodpractice/needs.html",
        {
            "school": school,
            "items": items,
            "own_staff": access.principal_for(request.user).school_id == school.pk,
            "year_label": academic_year_label(year),
            "can_find": access.can(request.user, "find_support", school),
            "requests": selectors.request_list(request.user, school=school),
            "crumbs": crumbs((f"{school.name}: needs", "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def need_create(request: HttpRequest, slug: str) -> HttpResponse:
    school = _school(request, slug, "find_support")
    form = NeedForm(request.POST or None)
    year = current_academic_year()
    return form_page(
        request,
        form,
        save=lambda f: needs.need_add(
            school=school, academic_year=year, actor=request.user, request=request, **f.cleaned_data
        ),
        success_message="Need added. Find support for it below.",
        redirect_to=reverse("goodpractice:school_needs", args=[school.slug]),
        context={
            "title": "Add a need",
            "caption": f"{school.name}, {academic_year_label(year)}",
            "submit": "Add need",
            "back": reverse("goodpractice:school_needs", args=[school.slug]),
            "crumbs": _needs_crumbs(school, ("Add a need", "")),
        },
    )


@login_required
@require_POST
def need_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_object_or_404(Need.objects.select_related("school"), pk=pk)
    access.require(request, "edit", need)
    run_action(
        request, lambda: needs.need_resolve(need=need, actor=request.user, request=request), "Need marked as met."
    )
    return redirect("goodpractice:school_needs", need.school.slug)


def _need_and_area(request: HttpRequest, school: School) -> tuple[needs.NeedItem, PracticeArea, list[PracticeArea]]:
    """The need (`need`, its key) and the area (`area`) the page is about, from the query string:
    a need this person may see for this school, an area of the managed list."""
    item = needs.find_need(request.user, school, current_academic_year(), request.GET.get("need", ""))
    if item is None:
        raise Http404("That need is not one of this school's current needs.")
    areas = list(item.areas) or selectors.active_areas()
    wanted = request.GET.get("area", "")
    area = next((a for a in selectors.active_areas() if a.key == wanted), None) if wanted else None
    if area is None:
        if wanted:
            raise Http404("That area is not in the list.")
        area = areas[0]
    return item, area, areas


@login_required
@require_safe
def find_support(request: HttpRequest, slug: str) -> HttpResponse:
    school = _school(request, slug, "view_needs")
    item, area, areas = _need_and_area(request, school)
    asked = selectors.asked_already(request.user, school, item)
    matches = [
        (match, entry, asked.get(entry.pk)) for match, entry in suggestions_for(request.user, school, item, area.key)
    ]
    return render(
        request,
        "goodpractice/find_support.html",
        {
            "school": school,
            "item": item,
            "area": area,
            "areas": areas if item.areas else [],
            "other_areas": [] if item.areas else areas,
            "matches": matches,
            "can_ask": access.can(request.user, "find_support", school),
            "crumbs": _needs_crumbs(school, ("Find support", "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest, slug: str, entry_pk: int) -> HttpResponse:
    school = _school(request, slug, "find_support")
    item, area, _ = _need_and_area(request, school)
    entry = get_object_or_404(
        access.visible_to(request.user, RegisterEntry).select_related("school", "partnership"), pk=entry_pk
    )
    form = RequestForm(request.POST or None)
    find = reverse("goodpractice:find_support", args=[school.slug]) + f"?{request.GET.urlencode()}"
    return form_page(
        request,
        form,
        save=lambda f: support.request_create(
            entry=entry,
            school=school,
            need=item,
            area=area,
            message=f.cleaned_data["message"],
            sessions=f.cleaned_data["sessions"],
            actor=request.user,
            request=request,
        ),
        success_message=lambda r: f"Request sent to {r.supporting_school.name}.",
        redirect_to=lambda r: reverse("goodpractice:request_detail", args=[r.pk]),
        context={
            "title": f"Ask {entry.school.name} for support",
            "caption": f"{item.title} ({area.name}): “{entry.title}”",
            "submit": "Send request",
            "back": find,
            "crumbs": _needs_crumbs(school, ("Find support", find), ("Ask for support", "")),
        },
    )


def _people_of(*schools: School) -> list[Any]:
    rows = (
        RoleAssignment.objects.current()
        .filter(school__in=schools)
        .select_related("person__school")
        .order_by("person__full_name")
    )
    return list({row.person.pk: row.person for row in rows}.values())


def _request_crumbs(req: SupportRequest, *pairs: tuple[str, str]) -> list[tuple[str, str]]:
    return crumbs(
        ("Support requests", reverse("goodpractice:requests")),
        (
            f"{req.requesting_school.name} from {req.supporting_school.name}",
            reverse("goodpractice:request_detail", args=[req.pk]),
        ),
        *pairs,
    )


@login_required
@require_safe
def request_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.request_list(request.user)
    return render(
        request,
        "goodpractice/requests.html",
        {"rows": rows, "crumbs": crumbs(("Support requests", ""))},
    )


@login_required
@require_safe
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = _request(request, pk)
    can = {
        name: access.can(request.user, name, req)
        for name in ("respond", "withdraw", "agree_plan", "log_session", "record_impact", "close", "add_action")
    }
    return render(
        request,
        "goodpractice/request_detail.html",
        {
            "req": req,
            "sessions": list(req.sessions.select_related("logged_by")),
            "actions": support.request_actions(req),
            "can": can,
            # Where the need came from is a page of the asking school's (its plan, its outcomes): linked
            # for its own staff, who can open it; everyone else reads the need's title.
            "need_link": req.need_url
            if access.principal_for(request.user).school_id == req.requesting_school_id
            else "",
            "free": max(0, req.entry.capacity - support.reserved_sessions(req.entry)),
            "crumbs": _request_crumbs(req)[:-1]
            + [(f"{req.requesting_school.name} from {req.supporting_school.name}", "")],
        },
    )


@login_required
@require_POST
def request_accept(request: HttpRequest, pk: int) -> HttpResponse:
    req = _request(request, pk, "respond")
    run_action(
        request,
        lambda: support.request_accept(req=req, actor=request.user, request=request),
        lambda r: f"Accepted: {r.reserved} sessions held for {r.requesting_school.name}. Agree the plan next.",
    )
    return redirect("goodpractice:request_detail", req.pk)


@login_required
@require_POST
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    req = _request(request, pk, "withdraw")
    run_action(
        request, lambda: support.request_withdraw(req=req, actor=request.user, request=request), "Request withdrawn."
    )
    return redirect("goodpractice:request_detail", req.pk)


@login_required
@require_POST
def request_close(request: HttpRequest, pk: int) -> HttpResponse:
    req = _request(request, pk, "close")
    run_action(
        request,
        lambda: support.request_close(req=req, actor=request.user, request=request),
        "Closed. Its sessions are free again in the register.",
    )
    return redirect("goodpractice:request_detail", req.pk)


def _step(
    request: HttpRequest, req: SupportRequest, form: Any, *, title: str, submit: str, save: Any, success: str
) -> HttpResponse:
    back = reverse("goodpractice:request_detail", args=[req.pk])
    return form_page(
        request,
        form,
        save=save,
        success_message=success,
        redirect_to=back,
        context={
            "title": title,
            "caption": f"{req.requesting_school.name} from {req.supporting_school.name}: {req.area.name}",
            "submit": submit,
            "back": back,
            "crumbs": _request_crumbs(req, (title, "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_decline(request: HttpRequest, pk: int) -> HttpResponse:
    req = _request(request, pk, "respond")
    return _step(
        request,
        req,
        DeclineForm(request.POST or None),
        title="Decline the request",
        submit="Decline",
        save=lambda f: support.request_decline(
            req=req, reason=f.cleaned_data["reason"], actor=request.user, request=request
        ),
        success="Request declined. The school has your reason.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_plan(request: HttpRequest, pk: int) -> HttpResponse:
    req = _request(request, pk, "agree_plan")
    initial = {
        "plan": req.plan,
        "sessions": req.planned_sessions or req.sessions_requested,
        "visits": req.planned_visits or 0,
        "starts_on": req.starts_on,
        "ends_on": req.ends_on,
        "cost": req.cost,
        "impact_target": req.impact_target,
    }
    return _step(
        request,
        req,
        PlanForm(request.POST or None, initial=initial),
        title="Agree the plan",
        submit="Save the plan",
        save=lambda f: support.plan_agree(req=req, actor=request.user, request=request, **f.cleaned_data),
        success="Plan agreed.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest, pk: int) -> HttpResponse:
    req = _request(request, pk, "log_session")
    return _step(
        request,
        req,
        SessionForm(request.POST or None),
        title="Log a session",
        submit="Log session",
        save=lambda f: support.session_log(req=req, actor=request.user, request=request, **f.cleaned_data),
        success="Session logged.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def impact_create(request: HttpRequest, pk: int) -> HttpResponse:
    req = _request(request, pk, "record_impact")
    form = ImpactForm(
        request.POST or None, initial={"target": req.impact_target, "impact": req.impact, "note": req.impact_note}
    )
    return _step(
        request,
        req,
        form,
        title="Record the impact",
        submit="Record impact",
        save=lambda f: support.impact_record(req=req, actor=request.user, request=request, **f.cleaned_data),
        success="Impact recorded. Close the request when the support has ended.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_action(request: HttpRequest, pk: int) -> HttpResponse:
    req = _request(request, pk, "add_action")
    form = ActionForm(request.POST or None, people=_people_of(req.requesting_school, req.supporting_school))
    return _step(
        request,
        req,
        form,
        title="Add an action",
        submit="Add action",
        save=lambda f: support.request_action_create(req=req, actor=request.user, request=request, **f.cleaned_data),
        success="Action added to the action log.",
    )


def _ledger_rows(ledger: selectors.Ledger) -> list[list[Any]]:
    rows = []
    for line in [*ledger.given, *ledger.received]:
        req = line.request
        rows.append(
            [
                "Given" if line.direction == "given" else "Received",
                line.other.name,
                req.area.name,
                req.need_title,
                req.year_label,
                req.get_status_display(),
                line.sessions,
                float(line.days),
                req.get_impact_display() if req.impact else "",
            ]
        )
    return rows


LEDGER_HEADER = ["Support", "With", "Area", "Need", "Year", "Status", "Sessions", "Days", "Impact"]


@login_required
@require_safe
def school_ledger(request: HttpRequest, slug: str) -> HttpResponse:
    school = _school(request, slug, "view_needs")
    ledger = selectors.school_ledger(request.user, school)
    return render(
        request,
        "goodpractice/ledger.html",
        {"school": school, "ledger": ledger, "crumbs": _needs_crumbs(school, ("Support ledger", ""))},
    )


@login_required
@require_safe
def school_ledger_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    school = _school(request, slug, "view_needs")
    ledger = selectors.school_ledger(request.user, school)
    given, received = ledger.given_totals, ledger.received_totals
    totals = [["Given", given[0], float(given[1])], ["Received", received[0], float(received[1])]]
    return exports.xlsx_response(
        f"{school.slug}-support-ledger.xlsx",
        [("Ledger", LEDGER_HEADER, _ledger_rows(ledger)), ("Totals", ["Support", "Sessions", "Days"], totals)],
    )


def _matrix_partnership(request: HttpRequest, slug: str) -> Partnership:
    partnership = get_object_or_404(Partnership, slug=slug)
    access.require(request, "view_support_matrix", partnership)
    return partnership


@login_required
@require_safe
def support_matrix(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _matrix_partnership(request, slug)
    matrix = selectors.support_matrix(request.user, partnership)
    return render(
        request,
        "goodpractice/matrix.html",
        {
            "partnership": partnership,
            "matrix": matrix,
            "totals": selectors.partnership_ledger(request.user, partnership),
            "requests": selectors.request_list(request.user, partnership=partnership),
            "crumbs": crumbs((f"{partnership.name}: who could help whom", "")),
        },
    )


@login_required
@require_safe
def partnership_ledger_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _matrix_partnership(request, slug)
    totals = selectors.partnership_ledger(request.user, partnership)
    rows = [
        [t.school.name, t.given_sessions, float(t.given_days), t.received_sessions, float(t.received_days)]
        for t in totals
    ]
    requests = [
        [
            r.requesting_school.name,
            r.supporting_school.name,
            r.area.name,
            r.need_title,
            r.get_status_display(),
            r.session_count,  # type: ignore[attr-defined]
        ]
        for r in selectors.request_list(request.user, partnership=partnership)
    ]
    return exports.xlsx_response(
        f"{partnership.slug}-support-ledger.xlsx",
        [
            ("Schools", ["School", "Sessions given", "Days given", "Sessions received", "Days received"], rows),
            ("Requests", ["School supported", "Supporting school", "Area", "Need", "Status", "Sessions"], requests),
        ],
    )
