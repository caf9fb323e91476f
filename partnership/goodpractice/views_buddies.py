"""Buddy pair pages: a partnership's pairs, pairing people (pick a person, see suggestions, pick a
buddy, say what they will work on), and one pair with its meeting log, end and renew. Each view:
check the access policy, parse input, call one service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from partnership.core import access
from partnership.core.errors import ApplicationError
from partnership.core.pages import form_error, run_action
from partnership.core.schoolyear import academic_year_label
from partnership.directory.models import Partnership
from partnership.goodpractice import buddies, buddy_queries
from partnership.goodpractice.forms_buddies import ROLE_CHOICES, BuddyFindForm, BuddyPairForm, MeetingForm
from partnership.goodpractice.models import BuddyPair


def _crumbs(partnership: Partnership, *pairs: tuple[str, str]) -> list[tuple[str, str]]:
    return [
        ("Home", reverse("home")),
        ("Partnerships", reverse("directory:partnership_list")),
        (partnership.name, reverse("directory:partnership_detail", args=[partnership.slug])),
        ("Buddy pairs", reverse("goodpractice:buddy_list", args=[partnership.slug])),
        *pairs,
    ]


def _partnership(request: HttpRequest, slug: str, action: str = "view") -> Partnership:
    partnership = get_object_or_404(Partnership, slug=slug)
    access.require(request, action, partnership)
    return partnership


def _pair(request: HttpRequest, pk: int, action: str = "view") -> BuddyPair:
    pair = get_object_or_404(
        BuddyPair.objects.select_related("partnership", "first", "second", "first_school", "second_school"), pk=pk
    )
    access.require(request, action, pair)
    return pair


@login_required
@require_safe
def buddy_list(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership(request, slug)
    context = buddy_queries.pairs_page(request.user, partnership)
    crumbs = _crumbs(partnership)
    return render(
        request,
        "goodpractice/buddies/list.html",
        {**context, "partnership": partnership, "crumbs": crumbs[:-1] + [("Buddy pairs", "")]},
    )


def _who_may_be_paired(request: HttpRequest, partnership: Partnership) -> list[Any]:
    """A coordinator pairs anyone in the partnership; a school's leader starts from their own staff."""
    principal = access.principal_for(request.user)
    everyone = principal.is_admin or partnership.pk in principal.coordinates
    return buddies.pairable_people(partnership, school_id=None if everyone else principal.school_id)


@login_required
@require_http_methods(["GET", "POST"])
def buddy_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Pair people, in two steps on one page: who needs a buddy (a GET), then the suggestions, the
    buddy and the focus (the POST carries the first step's answers again)."""
    partnership = _partnership(request, slug, "make_buddy_pair")
    source = request.POST if request.method == "POST" else request.GET
    find = BuddyFindForm(source if "person" in source else None, people=_who_may_be_paired(request, partnership))
    suggestions: list[buddies.Suggestion] = []
    others: list[buddies.Suggestion] = []
    pair_form = None
    chosen: dict[str, Any] = {}
    if find.is_bound and find.is_valid():
        chosen = find.cleaned_data
        ranked = buddies.suggest_buddies(
            partnership, chosen["person"], chosen["role"], chosen["year_group"], chosen["subject"], limit=None
        )
        suggestions, others = ranked[:5], ranked[5:]
        pair_form = BuddyPairForm(
            request.POST if request.method == "POST" else None, candidates=[s.person for s in ranked]
        )
        if request.method == "POST" and pair_form.is_valid():
            try:
                pair = buddies.pair_create(
                    partnership=partnership,
                    first=chosen["person"],
                    second=pair_form.cleaned_data["second"],
                    role=chosen["role"],
                    year_group=chosen["year_group"],
                    subject=chosen["subject"],
                    focus=pair_form.cleaned_data["focus"],
                    actor=request.user,
                    request=request,
                )
            except ApplicationError as exc:
                form_error(pair_form, exc)
            else:
                messages.success(
                    request,
                    f"{pair.first.full_name} and {pair.second.full_name} are buddies for the rest of "
                    f"{academic_year_label(pair.academic_year)}.",
                )
                return redirect("goodpractice:buddy_pair", pair.pk)
    errors = bool(find.errors) or bool(pair_form is not None and pair_form.errors)
    return render(
        request,
        "goodpractice/buddies/pair_form.html",
        {
            "partnership": partnership,
            "find": find,
            "form": pair_form,
            "errors": errors,
            "chosen": chosen,
            "role_label": dict(ROLE_CHOICES).get(chosen.get("role", ""), ""),
            "year_group_label": buddies.year_group_label(chosen.get("year_group", "")),
            "suggestions": suggestions,
            "others": others,
            "crumbs": _crumbs(partnership, ("Pair people", "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def buddy_pair(request: HttpRequest, pk: int) -> HttpResponse:
    """A pair's page: who, since when and until when, the meeting log. Its two people log a meeting here."""
    pair = _pair(request, pk)
    form = MeetingForm(request.POST or None)
    if request.method == "POST":
        access.require(request, "log_meeting", pair)
        if form.is_valid():
            try:
                buddies.meeting_log(
                    pair,
                    day=form.cleaned_data["day"],
                    note=form.cleaned_data["note"],
                    actor=request.user,
                    request=request,
                )
            except ApplicationError as exc:
                form_error(form, exc)
            else:
                messages.success(request, "Meeting added to the log.")
                return redirect("goodpractice:buddy_pair", pair.pk)
    context = buddy_queries.pair_page(request.user, pair)
    title = f"{pair.first.full_name} and {pair.second.full_name}"
    return render(
        request,
        "goodpractice/buddies/pair_detail.html",
        {
            **context,
            "form": form if context["state"].can_log else None,
            "title": title,
            "crumbs": _crumbs(pair.partnership, (title, "")),
        },
    )


@login_required
@require_POST
def buddy_end(request: HttpRequest, pk: int) -> HttpResponse:
    pair = _pair(request, pk, "manage")
    run_action(
        request,
        lambda: buddies.pair_end(pair, actor=request.user, request=request),
        f"The pair of {pair.first.full_name} and {pair.second.full_name} has ended.",
    )
    return redirect("goodpractice:buddy_pair", pair.pk)


@login_required
@require_POST
def buddy_renew(request: HttpRequest, pk: int) -> HttpResponse:
    pair = _pair(request, pk, "manage")
    if run_action(
        request,
        lambda: buddies.pair_renew(pair, actor=request.user, request=request),
        lambda renewed: f"The pair is renewed for {academic_year_label(renewed.academic_year)}.",
    ):
        renewed = BuddyPair.objects.filter(renewed_from=pair).order_by("pk").first()
        if renewed is not None:
            return redirect("goodpractice:buddy_pair", renewed.pk)
    return redirect("goodpractice:buddy_pair", pair.pk)
