"""Moderation session, sample, agreement, exemplar bank and attendance pages. Each view: check the
access policy, parse input, call one service or selector, render. A sample's pupil and teacher are
shown to the sample's own school only; everyone else sees its code."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from partnership.core import access, audit, charts
from partnership.core.errors import ApplicationError
from partnership.core.pages import form_error, form_page, run_action
from partnership.directory.models import Partnership, School
from partnership.moderation import agreement_queries, sample_queries, samples, sessions
from partnership.moderation.forms_samples import (
    AttendanceForm,
    ExemplarFilterForm,
    ExemplarForm,
    JudgementForm,
    PersonForm,
    SampleForm,
    SessionForm,
    StatusForm,
)
from partnership.moderation.models import Attendance, Exemplar, ModerationSession, Moderator, Sample, SampleFile
from partnership.moderation.scales import KS2_WRITING_STATEMENTS, MAX_PIECES, grid_standard, has_evidence_grid

PUPIL_VIEW = "view_pupils"


def _crumbs(*pairs: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Home", reverse("home")), ("Moderation", reverse("moderation:index")), *pairs]


def _session_crumbs(session: ModerationSession, *pairs: tuple[str, str]) -> list[tuple[str, str]]:
    return _crumbs((session.title, reverse("moderation:session_detail", args=[session.pk])), *pairs)


def _session(request: HttpRequest, pk: int, action: str = "view") -> ModerationSession:
    session = get_object_or_404(ModerationSession.objects.select_related("partnership", "host_school"), pk=pk)
    access.require(request, action, session)
    return session


def _sample(request: HttpRequest, pk: int, action: str = "view") -> Sample:
    sample = get_object_or_404(
        Sample.objects.select_related("session__partnership", "session__host_school", "school", "teacher"), pk=pk
    )
    access.require(request, action, sample)
    return sample


def _partnership(request: HttpRequest, slug: str, action: str) -> Partnership:
    partnership = get_object_or_404(Partnership, slug=slug)
    access.require(request, action, partnership)
    return partnership


def _audit_pupils(request: HttpRequest, school_id: int, codes: list[str], where: str) -> None:
    """Every page that shows pupils' names is audited, on the school whose pupils they are."""
    if codes:
        school = School.objects.get(pk=school_id)
        audit.record(request.user, PUPIL_VIEW, school, detail={"samples": codes, "page": where}, request=request)


@login_required
@require_safe
def sample_file(request: HttpRequest, pk: int) -> FileResponse:
    """One page of a sample, shown inline to whoever may view the sample. The name it is served
    under is the sample's code, never the uploader's file name."""
    page = get_object_or_404(SampleFile.objects.select_related("sample"), pk=pk)
    access.require(request, "view", page.sample)
    extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(page.content_type, "bin")
    response = FileResponse(
        page.file.open("rb"), content_type=page.content_type, filename=f"{page.sample.code}-{page.number}.{extension}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# Sessions


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug, "run_moderation")
    form = SessionForm(request.POST or None, schools=sessions.member_schools(partnership))

    def save(f: SessionForm) -> ModerationSession:
        return sessions.create_session(partnership=partnership, actor=request.user, request=request, **f.cleaned_data)

    return form_page(
        request,
        form,
        save=save,
        success_message="Session set up. Schools can now submit samples.",
        redirect_to=lambda s: reverse("moderation:session_detail", args=[s.pk]),
        context={
            "title": "Set up a moderation session",
            "caption": partnership.name,
            "submit": "Set up session",
            "back": reverse("moderation:index"),
            "crumbs": _crumbs(("Set up a session", "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, "manage")
    fields = ["kind", "subject", "year_group", "date", "start_time", "venue", "sample_rule", "samples_due", "notes"]
    initial = {name: getattr(session, name) for name in fields} | {"host_school": session.host_school_id}
    form = SessionForm(request.POST or None, initial=initial, schools=sessions.member_schools(session.partnership))

    def save(f: SessionForm) -> ModerationSession:
        return sessions.update_session(session, actor=request.user, request=request, **f.cleaned_data)

    return form_page(
        request,
        form,
        save=save,
        success_message="Session details saved.",
        redirect_to=reverse("moderation:session_detail", args=[session.pk]),
        context={
            "title": "Change the session's details",
            "caption": session.title,
            "submit": "Save",
            "back": reverse("moderation:session_detail", args=[session.pk]),
            "crumbs": _session_crumbs(session, ("Change details", "")),
        },
    )


@login_required
@require_safe
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    context = sample_queries.session_context(request.user, session)
    own = context["own_samples"]
    if own:
        _audit_pupils(request, own[0].school_id, [s.code for s in own], "session")
    people = list(sessions.partnership_people(session.partnership)) if context["can_manage"] else []
    taken = {m.person_id for m in context["moderators"]}
    return render(
        request,
        "moderation/session_detail.html",
        {
            **context,
            "session": session,
            "moderator_form": PersonForm(people=[p for p in people if p.pk not in taken]) if people else None,
            "status_form": StatusForm(initial={"status": session.status}) if context["can_manage"] else None,
            "crumbs": _session_crumbs(session)[:-1] + [(session.title, "")],
        },
    )


@login_required
@require_POST
def session_status(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, "manage")
    form = StatusForm(request.POST)
    if form.is_valid():
        run_action(
            request,
            lambda: sessions.set_status(session, form.cleaned_data["status"], actor=request.user, request=request),
            "Stage changed.",
        )
    else:
        messages.error(request, "Choose a stage for the session.")
    return redirect("moderation:session_detail", session.pk)


@login_required
@require_POST
def moderator_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, "manage")
    form = PersonForm(request.POST, people=sessions.partnership_people(session.partnership))
    if form.is_valid():
        run_action(
            request,
            lambda: sessions.add_moderator(session, form.cleaned_data["person"], actor=request.user, request=request),
            f"{form.cleaned_data['person']} added as a moderator.",
        )
    else:
        messages.error(request, "Choose a person to add as a moderator.")
    return redirect("moderation:session_detail", session.pk)


@login_required
@require_POST
def moderator_remove(request: HttpRequest, pk: int) -> HttpResponse:
    place = get_object_or_404(Moderator.objects.select_related("session__partnership", "person"), pk=pk)
    access.require(request, "manage", place.session)
    run_action(
        request,
        lambda: sessions.remove_moderator(place, actor=request.user, request=request),
        f"{place.person} is no longer a moderator of this session.",
    )
    return redirect("moderation:session_detail", place.session_id)


@login_required
@require_http_methods(["GET", "POST"])
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    can_manage = access.can(request.user, "manage", session)
    people = list(sessions.partnership_people(session.partnership)) if can_manage else []
    form = AttendanceForm(request.POST or None, people=people)
    if request.method == "POST":
        access.require(request, "manage", session)
        if form.is_valid():
            try:
                sessions.record_attendance(
                    session,
                    form.cleaned_data["person"],
                    form.cleaned_data["status"],
                    actor=request.user,
                    request=request,
                )
            except ApplicationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, f"Attendance recorded for {form.cleaned_data['person']}.")
                return redirect("moderation:attendance", session.pk)
    rows = list(session.attendance.select_related("person", "school").order_by("school__name", "person__full_name"))
    counts = {status: sum(1 for r in rows if r.status == status) for status in Attendance.Status.values}
    return render(
        request,
        "moderation/attendance.html",
        {
            "session": session,
            "rows": rows,
            "counts": counts,
            "form": form if can_manage else None,
            "can_manage": can_manage,
            "crumbs": _session_crumbs(session, ("Attendance", "")),
        },
    )


@login_required
@require_POST
def attendance_remove(request: HttpRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(Attendance.objects.select_related("session__partnership", "person"), pk=pk)
    access.require(request, "manage", row.session)
    sessions.remove_attendance(row, actor=request.user, request=request)
    messages.success(request, f"{row.person} taken off the attendance list.")
    return redirect("moderation:attendance", row.session_id)


# Samples


def _teachers(school_id: int | None) -> list[Any]:
    from partnership.accounts.models import User

    if school_id is None:
        return []
    return list(User.objects.filter(school_id=school_id, is_active=True).select_related("school").order_by("full_name"))


def _grid_context(session: ModerationSession, pieces: list[str], grid: dict[str, list[int]]) -> dict[str, Any]:
    if not has_evidence_grid(session.subject, session.year_group):
        return {"has_grid": False}
    titles = (pieces + [""] * MAX_PIECES)[:MAX_PIECES]
    shown = max(len(pieces), 4)
    return {
        "has_grid": True,
        "piece_slots": [(i, titles[i]) for i in range(shown)],
        "grid_rows": [
            {"statement": s, "ticks": [(i, i in grid.get(s.key, [])) for i in range(shown)]}
            for s in KS2_WRITING_STATEMENTS
        ],
    }


def _read_grid(sample: Sample) -> dict[str, Any]:
    if not has_evidence_grid(sample.session.subject, sample.session.year_group):
        return {"has_grid": False}
    pieces, grid = list(sample.pieces), dict(sample.grid)
    return {
        "has_grid": True,
        "piece_titles": pieces,
        "read_rows": [
            {"statement": s, "ticks": [i in grid.get(s.key, []) for i in range(len(pieces))]}
            for s in KS2_WRITING_STATEMENTS
        ],
        "grid_suggests": grid_standard(grid, len(pieces)),
    }


@login_required
@require_http_methods(["GET", "POST"])
def sample_submit(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, "submit_samples")
    principal = access.principal_for(request.user)
    school = get_object_or_404(School, pk=principal.school_id)
    form = SampleForm(request.POST or None, session=session, teachers=_teachers(school.pk))
    pieces, grid = form.pieces_and_grid() if request.method == "POST" else ([], {})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sample = samples.submit_sample(
                session=session,
                school=school,
                actor=request.user,
                teacher_judgement=data["teacher_judgement"],
                pupil_name=data["pupil_name"],
                upn=data["upn"],
                teacher=data["teacher"],
                selection=data["selection"],
                context=data["context"],
                pieces=pieces,
                grid=grid,
                files=request.FILES.getlist("files"),
                request=request,
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, f"Sample {sample.code} submitted.")
            return redirect("moderation:sample_detail", sample.pk)
    return render(
        request,
        "moderation/sample_form.html",
        {
            "form": form,
            "session": session,
            "school": school,
            "title": "Submit a sample",
            "submit": "Submit sample",
            "with_files": True,
            **_grid_context(session, pieces, grid),
            "crumbs": _session_crumbs(session, ("Submit a sample", "")),
        },
    )


@login_required
@require_safe
def sample_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sample = _sample(request, pk)
    context = sample_queries.sample_context(request.user, sample)
    if context["is_own"]:
        _audit_pupils(request, sample.school_id, [sample.code], "sample")
    judgement_form = None
    if context["can_moderate"]:
        mine = context["my_judgement"]
        judgement_form = JudgementForm(
            initial={"judgement": mine.judgement, "comment": mine.comment} if mine else None, session=sample.session
        )
    return render(
        request,
        "moderation/sample_detail.html",
        {
            **context,
            "sample": sample,
            "session": sample.session,
            "judgement_form": judgement_form,
            "exemplar_form": ExemplarForm() if context["can_offer_exemplar"] else None,
            **_read_grid(sample),
            "crumbs": _session_crumbs(sample.session, (f"Sample {sample.code}", "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def sample_edit(request: HttpRequest, pk: int) -> HttpResponse:
    sample = _sample(request, pk, "edit")
    identity = getattr(sample, "identity", None)
    if identity is not None:
        # the pupil is pupil-level data: the school's staff only, never an administrator
        access.require(request, "view", identity)
    initial = {
        "pupil_name": identity.pupil_name if identity else "",
        "upn": identity.upn if identity else "",
        "teacher": sample.teacher_id,
        "teacher_judgement": sample.teacher_judgement,
        "selection": sample.selection,
        "context": sample.context,
    }
    form = SampleForm(
        request.POST or None, initial=initial, session=sample.session, teachers=_teachers(sample.school_id)
    )
    pieces, grid = form.pieces_and_grid() if request.method == "POST" else (list(sample.pieces), dict(sample.grid))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            samples.update_sample(
                sample,
                actor=request.user,
                teacher_judgement=data["teacher_judgement"],
                context=data["context"],
                selection=data["selection"],
                pieces=pieces,
                grid=grid,
                teacher=data["teacher"],
                request=request,
            )
            samples.update_identity(
                sample, actor=request.user, pupil_name=data["pupil_name"], upn=data["upn"], request=request
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            messages.success(request, f"Sample {sample.code} saved.")
            return redirect("moderation:sample_detail", sample.pk)
    _audit_pupils(request, sample.school_id, [sample.code], "sample_edit")
    return render(
        request,
        "moderation/sample_form.html",
        {
            "form": form,
            "session": sample.session,
            "sample": sample,
            "school": sample.school,
            "title": f"Change sample {sample.code}",
            "submit": "Save",
            "with_files": False,
            **_grid_context(sample.session, pieces, grid),
            "crumbs": _session_crumbs(
                sample.session,
                (f"Sample {sample.code}", reverse("moderation:sample_detail", args=[sample.pk])),
                ("Change", ""),
            ),
        },
    )


@login_required
@require_POST
def sample_pages_add(request: HttpRequest, pk: int) -> HttpResponse:
    sample = _sample(request, pk, "edit")
    try:
        made = samples.add_pages(sample, request.FILES.getlist("files"), actor=request.user, request=request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{len(made)} page{'s' if len(made) != 1 else ''} added.")
    return redirect("moderation:sample_detail", sample.pk)


@login_required
@require_POST
def sample_page_remove(request: HttpRequest, pk: int) -> HttpResponse:
    page = get_object_or_404(SampleFile.objects.select_related("sample__session"), pk=pk)
    access.require(request, "edit", page.sample)
    run_action(
        request,
        lambda: samples.remove_page(page, actor=request.user, request=request),
        f"Page {page.number} removed.",
    )
    return redirect("moderation:sample_detail", page.sample_id)


@login_required
@require_POST
def sample_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    sample = _sample(request, pk, "edit")
    try:
        samples.withdraw_sample(sample, actor=request.user, request=request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("moderation:sample_detail", sample.pk)
    messages.success(request, f"Sample {sample.code} withdrawn.")
    return redirect("moderation:session_detail", sample.session_id)


@login_required
@require_POST
def sample_judge(request: HttpRequest, pk: int) -> HttpResponse:
    sample = _sample(request, pk, "moderate")
    form = JudgementForm(request.POST, session=sample.session)
    if form.is_valid():
        run_action(
            request,
            lambda: samples.record_judgement(
                sample,
                actor=request.user,
                judgement=form.cleaned_data["judgement"],
                comment=form.cleaned_data["comment"],
                request=request,
            ),
            f"Your judgement of sample {sample.code} is saved.",
        )
    else:
        messages.error(request, "Choose your judgement.")
    return redirect("moderation:sample_detail", sample.pk)


@login_required
@require_POST
def exemplar_offer(request: HttpRequest, pk: int) -> HttpResponse:
    sample = _sample(request, pk, "offer_exemplar")
    form = ExemplarForm(request.POST)
    if form.is_valid():
        run_action(
            request,
            lambda: samples.offer_exemplar(
                sample, actor=request.user, annotation=form.cleaned_data["annotation"], request=request
            ),
            f"Sample {sample.code} is in the exemplar bank.",
        )
    else:
        messages.error(request, str(next(iter(form.errors.values()))[0]))
    return redirect("moderation:sample_detail", sample.pk)


@login_required
@require_POST
def exemplar_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    exemplar = get_object_or_404(Exemplar.objects.select_related("sample__session"), pk=pk)
    access.require(request, "withdraw", exemplar)
    run_action(
        request,
        lambda: samples.withdraw_exemplar(exemplar, actor=request.user, request=request),
        f"Sample {exemplar.sample.code} is out of the exemplar bank.",
    )
    return redirect("moderation:sample_detail", exemplar.sample_id)


@login_required
@require_safe
def exemplar_bank(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_object_or_404(Partnership, slug=slug)
    access.require(request, "view", partnership)
    filters = ExemplarFilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    rows = sample_queries.exemplar_bank(request.user, partnership, **{k: v for k, v in chosen.items() if v})
    return render(
        request,
        "moderation/exemplar_bank.html",
        {
            "partnership": partnership,
            "rows": rows,
            "filters": filters,
            "crumbs": _crumbs((f"{partnership.name} exemplar bank", "")),
        },
    )


# Agreement


def _agreement_chart(table: dict[str, Any], title: str) -> str | None:
    rows = agreement_queries.chart_rows(table)
    if not any(r["value"] is not None for r in rows) or len(table["years"]) < 2:
        return None
    return charts.spec_json(
        charts.trend_lines(
            rows,
            title=title,
            description="Exact agreement between teachers and moderators, year by year.",
            series_field="series",
            year_field="year",
            value_field="value",
            value_title="Exact agreement (%)",
        )
    )


@login_required
@require_safe
def agreement_partnership(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug, "view_moderation_agreement")
    table = agreement_queries.partnership_agreement(request.user, partnership, request.GET.get("by", "school"))
    return render(
        request,
        "moderation/agreement.html",
        {
            "table": table,
            "title": f"{partnership.name}: moderation agreement",
            "partnership": partnership,
            "options": [("school", "School"), ("year_group", "Year group"), ("subject", "Subject")],
            "chart": _agreement_chart(table, f"Exact agreement by {table['by_label'].lower()}"),
            "crumbs": _crumbs(("Agreement", "")),
        },
    )


@login_required
@require_safe
def agreement_school(request: HttpRequest, slug: str) -> HttpResponse:
    school = get_object_or_404(School, slug=slug)
    access.require(request, "view_school_agreement", school)
    table = agreement_queries.school_agreement(school, request.GET.get("by", "year_group"))
    return render(
        request,
        "moderation/agreement.html",
        {
            "table": table,
            "title": f"{school.name}: moderation agreement",
            "school": school,
            "options": [("year_group", "Year group"), ("subject", "Subject")],
            "chart": _agreement_chart(table, f"Exact agreement by {table['by_label'].lower()}"),
            "crumbs": _crumbs((f"{school.name} agreement", "")),
        },
    )
