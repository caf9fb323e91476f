"""Comparative-judgement pages: create a session, set it up (scripts, anchors, boundary scripts,
judges), open judging, the judging screen, the results and their exports. Each view checks the
access policy (`run_cj` on the partnership; `view`, `manage` and `judge` on the CJ session), parses
input, calls one service or selector and renders. Everything works without JavaScript; with it, the
judging screen takes ArrowLeft / ArrowRight (or 1 / 2) to choose and "p" to pause."""

from __future__ import annotations

import time
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from partnership.core import access, audit, charts, exports
from partnership.core.errors import ApplicationError
from partnership.core.pages import form_error, form_page
from partnership.directory.models import Partnership
from partnership.moderation import cj_results, cj_sessions
from partnership.moderation.forms_cj import AnchorForm, BoundaryForm, CJSessionForm, JudgeForm, SourceForm
from partnership.moderation.models import CJJudge, CJPair, CJScript, CJSession, ModerationSession, SampleFile

PUPIL_VIEW = "view_pupils"  # the verb the outcomes app records for a view of pupil-level data


def _crumbs(*pairs: tuple[str, str]) -> list[tuple[str, str]]:
    return [("Home", reverse("home")), ("Moderation", reverse("moderation:index")), *pairs]


def _session_crumbs(session: CJSession, *pairs: tuple[str, str]) -> list[tuple[str, str]]:
    if not pairs:
        return _crumbs((session.name, ""))
    return _crumbs((session.name, reverse("moderation:cj_detail", args=[session.pk])), *pairs)


def _session(request: HttpRequest, pk: int, action: str = "view") -> CJSession:
    session = get_object_or_404(CJSession.objects.select_related("partnership"), pk=pk)
    access.require(request, action, session)
    return session


def _moderation_sessions(partnership_id: int) -> list[ModerationSession]:
    return list(ModerationSession.objects.filter(partnership_id=partnership_id).order_by("-date", "pk"))


# --- Create ----------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def cj_create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = get_object_or_404(Partnership, slug=slug)
    access.require(request, "run_cj", partnership)
    sessions = _moderation_sessions(partnership.pk)
    initial: dict[str, Any] = {"name": "Year 6 writing"}
    chosen = next((m for m in sessions if str(m.pk) == request.GET.get("source", "")), None)
    if chosen is not None:  # "compare these samples" from a moderation session's page
        initial = {
            "name": f"{chosen.year_group_label} {chosen.subject_label.lower()}, {chosen.date:%B %Y}",
            "subject": chosen.subject,
            "year_group": chosen.year_group,
            "sources": [chosen.pk],
        }
    form = CJSessionForm(request.POST or None, sessions=sessions, initial=initial)

    def save(form: CJSessionForm) -> CJSession:
        data = form.cleaned_data
        return cj_sessions.session_create(
            partnership=partnership,
            actor=request.user,
            name=data["name"],
            subject=data["subject"],
            year_group=data["year_group"],
            per_script=data["per_script"],
            cross_school_every=data["cross_school_every"],
            sources=data["sources"],
            request=request,
        )

    return form_page(
        request,
        form,
        save=save,
        success_message="Comparative-judgement session created. Check the scripts and invite the judges.",
        redirect_to=lambda s: reverse("moderation:cj_detail", args=[s.pk]),
        context={
            "title": "Set up a comparative-judgement session",
            "caption": partnership.name,
            "submit": "Create session",
            "back": reverse("moderation:index"),
            "crumbs": _crumbs(("Set up a comparative-judgement session", "")),
        },
    )


# --- Set-up page -------------------------------------------------------------------------------------


def _detail_context(request: HttpRequest, session: CJSession, **forms: Any) -> dict[str, Any]:
    manage = access.can(request.user, "manage", session)
    scripts = list(CJScript.objects.filter(session=session).select_related("sample").order_by("position"))
    judges = list(CJJudge.objects.filter(session=session).select_related("person__school").order_by("pk"))
    pair_counts = {row["judge_id"]: row for row in _pair_counts(session)}  # judge -> {"planned": n, "decided": m}
    for judge in judges:
        counts = pair_counts.get(judge.pk, {})
        judge.planned = counts.get("planned", 0)  # type: ignore[attr-defined]
        judge.decided = counts.get("decided", 0)  # type: ignore[attr-defined]
    me = next((j for j in judges if j.person_id == request.user.pk), None)
    context: dict[str, Any] = {
        "session": session,
        "manage": manage,
        "scripts": scripts,
        "school_count": len({s.sample.school_id for s in scripts if not s.is_anchor}),
        "anchor_count": sum(1 for s in scripts if s.is_anchor),
        "judges": judges,
        "me": me,
        "planned": sum(getattr(j, "planned", 0) for j in judges),
        "decided": sum(getattr(j, "decided", 0) for j in judges),
        "crumbs": _session_crumbs(session),
        "setup": session.status == CJSession.Status.SETUP,
        "judging": session.status == CJSession.Status.JUDGING,
        "closed": session.status == CJSession.Status.CLOSED,
        "boundary_choices": CJScript.Boundary.choices,
        "error": forms.pop("error", None),
    }
    if manage and session.status != CJSession.Status.CLOSED:
        context["judge_form"] = forms.get("judge_form") or JudgeForm(
            people=_invitable(session, judges), auto_id="judge_%s"
        )
        if session.status == CJSession.Status.SETUP:
            context["source_form"] = forms.get("source_form") or SourceForm(
                sessions=_moderation_sessions(session.partnership_id), auto_id="source_%s"
            )
            context["anchor_sources"] = cj_sessions.anchor_sources(session)
    return context


def _pair_counts(session: CJSession) -> list[dict[str, Any]]:
    from django.db.models import Count, Q

    return list(
        CJPair.objects.filter(session=session)
        .values("judge_id")
        .annotate(planned=Count("pk"), decided=Count("pk", filter=~Q(chosen="")))
    )


def _invitable(session: CJSession, judges: list[CJJudge]) -> list[Any]:
    taken = {j.person_id for j in judges}
    return [p for p in cj_sessions.eligible_judges(session.partnership) if p.pk not in taken]


def _render_detail(request: HttpRequest, session: CJSession, status: int = 200, **forms: Any) -> HttpResponse:
    return render(request, "moderation/cj/detail.html", _detail_context(request, session, **forms), status=status)


@login_required
@require_safe
def cj_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _session(request, pk))


def _done(request: HttpRequest, session: CJSession, message: str, anchor: str = "") -> HttpResponse:
    messages.success(request, message)
    return redirect(reverse("moderation:cj_detail", args=[session.pk]) + anchor)


@login_required
@require_POST
def cj_scripts_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, "manage")
    form = SourceForm(request.POST, sessions=_moderation_sessions(session.partnership_id), auto_id="source_%s")
    if form.is_valid():
        try:
            added = cj_sessions.scripts_add(
                session=session, actor=request.user, source=form.cleaned_data["source"], request=request
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            return _done(request, session, f"{added} script{'s' if added != 1 else ''} added.", "#scripts")
    return _render_detail(request, session, source_form=form)


def _script(session: CJSession, script_pk: int) -> CJScript:
    return get_object_or_404(CJScript.objects.select_related("sample", "session"), pk=script_pk, session=session)


@login_required
@require_POST
def cj_script_remove(request: HttpRequest, pk: int, script_pk: int) -> HttpResponse:
    session = _session(request, pk, "manage")
    script = _script(session, script_pk)
    try:
        cj_sessions.script_remove(script=script, actor=request.user, request=request)
    except ApplicationError as exc:
        return _render_detail(request, session, error=exc.message)
    return _done(request, session, f"Script {script.sample.code} removed.", "#scripts")


@login_required
@require_POST
def cj_script_boundary(request: HttpRequest, pk: int, script_pk: int) -> HttpResponse:
    session = _session(request, pk, "manage")
    script = _script(session, script_pk)
    form = BoundaryForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, session, error="Choose a boundary from the list.")
    try:
        cj_sessions.script_boundary(
            script=script, actor=request.user, boundary=form.cleaned_data["boundary"], request=request
        )
    except ApplicationError as exc:
        return _render_detail(request, session, error=exc.message)
    label = dict(CJScript.Boundary.choices)[form.cleaned_data["boundary"]]
    text = "is no longer a boundary script" if not form.cleaned_data["boundary"] else f"marks the {label.lower()}"
    return _done(request, session, f"Script {script.sample.code} {text}.", "#scripts")


@login_required
@require_http_methods(["GET", "POST"])
def cj_anchors(request: HttpRequest, pk: int, earlier_pk: int) -> HttpResponse:
    session = _session(request, pk, "manage")
    earlier = get_object_or_404(CJSession, pk=earlier_pk)
    if earlier not in cj_sessions.anchor_sources(session):
        return _render_detail(
            request,
            session,
            status=400,
            error="Anchors come from an earlier closed session of this partnership and subject.",
        )
    scripts = list(
        CJScript.objects.filter(session=earlier, score__isnull=False)
        .select_related("sample", "session")
        .order_by("-score", "pk")
    )
    form = AnchorForm(request.POST or None, earlier=earlier, scripts=scripts)
    url = reverse("moderation:cj_detail", args=[session.pk])

    def save(form: AnchorForm) -> int:
        return cj_sessions.anchors_add(
            session=session, actor=request.user, scripts=form.cleaned_data["scripts"], request=request
        )

    return form_page(
        request,
        form,
        save=save,
        success_message=lambda n: f"{n} anchor script{'s' if n != 1 else ''} added from {earlier.name}.",
        redirect_to=url + "#scripts",
        context={
            "title": "Anchor to an earlier session",
            "caption": session.name,
            "submit": "Add anchors",
            "back": url,
            "crumbs": _session_crumbs(session, ("Anchor to an earlier session", "")),
        },
    )


@login_required
@require_POST
def cj_judge_invite(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, "manage")
    judges = list(CJJudge.objects.filter(session=session))
    form = JudgeForm(request.POST, people=_invitable(session, judges), auto_id="judge_%s")
    if form.is_valid():
        try:
            judge = cj_sessions.judge_invite(
                session=session, actor=request.user, person=form.cleaned_data["person"], request=request
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            extra = ""
            if session.status == CJSession.Status.JUDGING:
                n = CJPair.objects.filter(judge=judge).count()
                extra = f" They have {n} pair{'s' if n != 1 else ''} to judge."
            return _done(request, session, f"{judge.person.full_name} invited to judge.{extra}", "#judges")
    return _render_detail(request, session, judge_form=form)


@login_required
@require_POST
def cj_judge_remove(request: HttpRequest, pk: int, judge_pk: int) -> HttpResponse:
    session = _session(request, pk, "manage")
    judge = get_object_or_404(CJJudge.objects.select_related("person", "session"), pk=judge_pk, session=session)
    try:
        cj_sessions.judge_remove(judge=judge, actor=request.user, request=request)
    except ApplicationError as exc:
        return _render_detail(request, session, error=exc.message)
    return _done(request, session, f"{judge.person.full_name} is no longer a judge.", "#judges")


@login_required
@require_POST
def cj_open(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, "manage")
    try:
        n = cj_sessions.session_open(session=session, actor=request.user, request=request)
    except ApplicationError as exc:
        return _render_detail(request, session, error=exc.message)
    return _done(request, session, f"Judging is open: {n} pair{'s' if n != 1 else ''} planned.")


@login_required
@require_POST
def cj_close(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, "manage")
    try:
        cj_sessions.session_close(session=session, actor=request.user, request=request)
    except ApplicationError as exc:
        return _render_detail(request, session, error=exc.message)
    messages.success(request, "Session closed. Each script's score is kept, so a later session can anchor to it.")
    return redirect("moderation:cj_results", pk=session.pk)


# --- Judging ---------------------------------------------------------------------------------------


def _judge(request: HttpRequest, session: CJSession) -> CJJudge:
    access.require(request, "judge", session)
    return get_object_or_404(CJJudge.objects.select_related("person"), session=session, person_id=request.user.pk)


def _pace(judge: CJJudge) -> tuple[int, int, float | None]:
    """(pairs planned, pairs decided, median seconds a pair) for the judge."""
    from django.db.models import Count, Q

    counts = CJPair.objects.filter(judge=judge).aggregate(
        planned=Count("pk"), decided=Count("pk", filter=~Q(chosen=""))
    )
    seconds: list[float] = sorted(
        s
        for s in CJPair.objects.filter(judge=judge, seconds__isnull=False).values_list("seconds", flat=True)
        if s is not None
    )
    median = None
    if seconds:
        mid = len(seconds) // 2
        median = seconds[mid] if len(seconds) % 2 else (seconds[mid - 1] + seconds[mid]) / 2
    return counts["planned"], counts["decided"], median


def _judging_context(session: CJSession, judge: CJJudge, error: str = "") -> dict[str, Any]:
    planned, decided, median = _pace(judge)
    pair = cj_sessions.next_pair(judge) if session.status == CJSession.Status.JUDGING else None
    files: dict[int, list[SampleFile]] = {}
    if pair is not None:
        for f in SampleFile.objects.filter(sample_id__in=[pair.left.sample_id, pair.right.sample_id]).order_by(
            "number"
        ):
            files.setdefault(f.sample_id, []).append(f)
    return {
        "session": session,
        "judge": judge,
        "pair": pair,
        "left_files": files.get(pair.left.sample_id, []) if pair else [],
        "right_files": files.get(pair.right.sample_id, []) if pair else [],
        "planned": planned,
        "decided": decided,
        "median_seconds": median,
        "expected_seconds": session.seconds_per_pair,
        "started": f"{time.time():.3f}",
        "paused": judge.paused_at is not None,
        "error": error,
        "nav_items": [],  # a focused page: no service navigation
    }


@login_required
@require_http_methods(["GET", "POST"])
def cj_judging(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    judge = _judge(request, session)
    if request.method == "POST":
        try:
            pair = cj_sessions.pair_decide(
                judge=judge,
                pair_id=request.POST.get("pair"),
                chosen=request.POST.get("choice", ""),
                started=request.POST.get("started", ""),
                request=request,
            )
        except ApplicationError as exc:
            judge.refresh_from_db()
            return render(request, "moderation/cj/judging.html", _judging_context(session, judge, exc.message))
        del pair
        return redirect("moderation:cj_judging", pk=session.pk)
    return render(request, "moderation/cj/judging.html", _judging_context(session, judge))


@login_required
@require_POST
def cj_pause(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    judge = _judge(request, session)
    cj_sessions.judging_pause(judge=judge, request=request)
    return redirect("moderation:cj_judging", pk=session.pk)


@login_required
@require_POST
def cj_resume(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    judge = _judge(request, session)
    cj_sessions.judging_resume(judge=judge, request=request)
    return redirect("moderation:cj_judging", pk=session.pk)


# --- Results and exports ---------------------------------------------------------------------------


def _results(request: HttpRequest, session: CJSession) -> cj_results.Results:
    res = cj_results.results(request.user, session)
    if res.moderate_next:
        audit.record(
            request.user,
            PUPIL_VIEW,
            session,
            detail={
                "count": len(res.moderate_next),
                "page": "cj_results",
                "school": res.own_school.pk if res.own_school else None,
            },
            request=request,
            school_id=res.own_school.pk if res.own_school else None,
        )
    return res


@login_required
@require_safe
def cj_results_page(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    res = _results(request, session)
    return render(
        request,
        "moderation/cj/results.html",
        {
            "session": session,
            "res": res,
            "manage": access.can(request.user, "manage", session),
            "chart": charts.spec_json(cj_results.scale_chart(res)),
            "crumbs": _session_crumbs(session, ("Results", "")),
        },
    )


def _stem(session: CJSession) -> str:
    return f"cj-session-{session.pk}"


SCALE_HEADER = [
    "Rank",
    "Script",
    "Score (logits)",
    "Standard error",
    "95% low",
    "95% high",
    "Reading (0 to 100)",
    "Judgements",
    "Anchor",
    "Boundary",
]


def _scale_rows(res: cj_results.Results) -> list[list[Any]]:
    return [
        [
            r.rank,
            r.code,
            round(r.score, 3),
            None if r.standard_error is None else round(r.standard_error, 3),
            round(r.low, 3),
            round(r.high, 3),
            round(r.reading, 1),
            r.judgements,
            "Yes" if r.anchor else "",
            r.script.boundary,
        ]
        for r in res.rows
    ]


@login_required
@require_safe
def cj_export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, "manage")
    res = cj_results.results(request.user, session)
    judges = [
        [
            j.label,
            j.judgements,
            None if j.infit is None else round(j.infit, 3),
            "Yes" if j.misfit else "",
            j.median_seconds,
        ]
        for j in res.judges
    ]
    schools = [
        [
            s.label,
            s.scripts,
            round(s.minimum, 3),
            round(s.lower_quartile, 3),
            round(s.median, 3),
            round(s.upper_quartile, 3),
            round(s.maximum, 3),
            s.agree,
            s.generous,
            s.harsh,
        ]
        for s in res.schools
    ]
    audit.record(request.user, "cj_export", session, detail={"format": "xlsx"}, request=request)
    return exports.xlsx_response(
        f"{_stem(session)}.xlsx",
        [
            ("Scale", SCALE_HEADER, _scale_rows(res)),
            ("Judges", ["Judge", "Judgements", "Infit", "Misfit", "Median seconds a pair"], judges),
            (
                "Schools",
                [
                    "School",
                    "Scripts",
                    "Lowest",
                    "Lower quartile",
                    "Median",
                    "Upper quartile",
                    "Highest",
                    "Agree",
                    "Generous",
                    "Harsh",
                ],
                schools,
            ),
        ],
    )


@login_required
@require_safe
def cj_export_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk, "manage")
    res = cj_results.results(request.user, session)
    audit.record(request.user, "cj_export", session, detail={"format": "pdf"}, request=request)
    return exports.pdf_response(
        f"{_stem(session)}.pdf",
        "moderation/cj/results_print.html",
        {"session": session, "res": res, "chart_svg": charts.svg(cj_results.scale_chart(res))},
        request=request,
    )


@login_required
@require_safe
def cj_export_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """Every judgement: pair number, judge (number and name: coordinators only reach this), the
    two scripts' codes, the chosen one, when and how long it took."""
    session = _session(request, pk, "manage")
    judges = list(CJJudge.objects.filter(session=session).select_related("person").order_by("pk"))
    number = {j.pk: i for i, j in enumerate(judges, start=1)}
    name = {j.pk: j.person.full_name for j in judges}
    pairs = (
        CJPair.objects.filter(session=session)
        .exclude(chosen="")
        .select_related("left__sample", "right__sample")
        .order_by("decided_at", "pk")
    )
    rows = [
        [
            p.number,
            number[p.judge_id],
            name[p.judge_id],
            p.left.sample.code,
            p.right.sample.code,
            (p.left if p.chosen == "L" else p.right).sample.code,
            p.decided_at.isoformat() if p.decided_at else "",
            p.seconds,
        ]
        for p in pairs
    ]
    audit.record(request.user, "cj_export", session, detail={"format": "csv", "rows": len(rows)}, request=request)
    return exports.csv_response(
        f"{_stem(session)}-judgements.csv",
        ["Pair", "Judge number", "Judge", "Left", "Right", "Chosen", "Decided at", "Seconds"],
        rows,
    )
