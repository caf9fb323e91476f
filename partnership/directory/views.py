"""Directory pages. Each view: parse input, check the access policy, call a service or selector, render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from partnership.accounts.models import Invitation, User
from partnership.accounts.services import user_set_active
from partnership.core import access, audit
from partnership.core.errors import ApplicationError
from partnership.core.exports import csv_response
from partnership.core.models import AuditEvent
from partnership.core.pages import crumbs, form_error, form_page, get_or_deny
from partnership.core.params import int_param
from partnership.core.roles import Role
from partnership.directory import selectors, services
from partnership.directory.forms import (
    AddNetworkMemberForm,
    AddSchoolForm,
    CloseDecisionForm,
    DecisionForm,
    InvitationAcceptForm,
    InvitationForm,
    MemorandumForm,
    RoleForm,
    SchoolDetailsForm,
    VoteForm,
    WorkingPartyForm,
)
from partnership.directory.models import (
    Decision,
    Membership,
    Network,
    NetworkMember,
    Partnership,
    RoleAssignment,
    School,
)

_get = get_or_deny


_form_error = form_error


_crumbs = crumbs


# --- Partnerships -------------------------------------------------------------------------------


@login_required
def partnership_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "directory/partnership_list.html",
        {"partnerships": selectors.partnerships_for(request.user), "crumbs": _crumbs(("Partnerships", ""))},
    )


@login_required
def partnership_detail(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _get(request, Partnership, slug=slug)
    memberships = list(selectors.partnership_schools(partnership))
    can_manage = access.can(request.user, "manage", partnership)
    return render(
        request,
        "directory/partnership_detail.html",
        {
            "partnership": partnership,
            "memberships": memberships,
            "coordinators": selectors.partnership_people_in_roles(partnership, Role.COORDINATOR),
            "externals": selectors.partnership_people_in_roles(partnership, Role.EXTERNAL_ADVISER),
            "networks": Network.objects.filter(partnership=partnership, closed_on__isnull=True),
            "memorandum": selectors.memorandum_status(partnership),
            "decisions": selectors.decisions_for(partnership)[:5],
            "can_manage": can_manage,
            "invitations": Invitation.objects.pending().filter(partnership=partnership) if can_manage else [],
            "crumbs": _crumbs(("Partnerships", reverse("directory:partnership_list")), (partnership.name, "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def partnership_add_school(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _get(request, Partnership, "manage", slug=slug)

    def save(form: AddSchoolForm) -> Membership:
        school = School.objects.filter(urn=form.cleaned_data["urn"]).first()
        if school is None:
            raise ApplicationError(
                "No school with this URN is on the platform yet. Ask an administrator to import it from GIAS.",
                field="urn",
            )
        return services.school_join_partnership(
            partnership=partnership,
            school=school,
            joined_on=form.cleaned_data["joined_on"],
            actor=request.user,
            request=request,
        )

    return form_page(
        request,
        AddSchoolForm(request.POST or None),
        save=save,
        success_message=lambda membership: f"{membership.school.name} has joined {partnership.name}.",
        redirect_to=reverse("directory:partnership_detail", args=[slug]),
        context={
            "title": f"Add a school to {partnership.name}",
            "submit": "Add school",
            "crumbs": _crumbs(
                (partnership.name, reverse("directory:partnership_detail", args=[slug])), ("Add a school", "")
            ),
        },
    )


@login_required
@require_POST
def membership_end(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _get(request, Partnership, "manage", slug=slug)
    membership = get_object_or_404(Membership, pk=pk, partnership=partnership)
    try:
        services.school_leave_partnership(membership=membership, actor=request.user, request=request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{membership.school.name} has left {partnership.name}.")
    return redirect("directory:partnership_detail", slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def partnership_invite(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _get(request, Partnership, "manage", slug=slug)
    return form_page(
        request,
        InvitationForm(request.POST or None, at_school=False),
        save=lambda form: _invite(request, form, partnership=partnership),
        success_message=lambda invitation: f"An invitation has been emailed to {invitation.email}.",
        redirect_to=reverse("directory:partnership_detail", args=[slug]),
        context={
            "title": f"Invite an external partner or coordinator to {partnership.name}",
            "submit": "Send invitation",
            "crumbs": _crumbs((partnership.name, reverse("directory:partnership_detail", args=[slug])), ("Invite", "")),
        },
    )


def _invite(request: HttpRequest, form: InvitationForm, **where: Any) -> Invitation:
    invitation, _ = services.invitation_create(
        invited_by=request.user,
        email=form.cleaned_data["email"],
        full_name=form.cleaned_data["full_name"],
        roles=form.cleaned_data["roles"],
        subject=form.cleaned_data.get("subject", ""),
        request=request,
        **where,
    )
    return invitation


@login_required
@require_http_methods(["GET", "POST"])
def working_party_create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _get(request, Partnership, "manage", slug=slug)
    return form_page(
        request,
        WorkingPartyForm(request.POST or None),
        save=lambda form: services.working_party_create(
            partnership=partnership, actor=request.user, request=request, **form.cleaned_data
        ),
        success_message=lambda network: f"Working party “{network.name}” created. Add its members below.",
        redirect_to=lambda network: reverse("directory:network_detail", args=[network.pk]),
        context={
            "title": "Set up a working party",
            "submit": "Create working party",
            "crumbs": _crumbs(
                (partnership.name, reverse("directory:partnership_detail", args=[slug])), ("New working party", "")
            ),
        },
    )


@login_required
def memorandum_detail(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _get(request, Partnership, slug=slug)
    status = selectors.memorandum_status(partnership)
    version = status["version"]
    principal = access.principal_for(request.user)
    own_row = next((r for r in status["rows"] if r["school"].pk == principal.school_id), None)
    return render(
        request,
        "directory/memorandum.html",
        {
            "partnership": partnership,
            "memorandum": status,
            "history": partnership.memorandum_versions.select_related("published_by").order_by("-number"),
            "can_manage": access.can(request.user, "manage", partnership),
            "can_agree": version is not None
            and own_row is not None
            and own_row["agreement"] is None
            and access.can(request.user, "agree", version),
            "crumbs": _crumbs(
                (partnership.name, reverse("directory:partnership_detail", args=[slug])),
                ("Memorandum of Understanding", ""),
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def memorandum_publish(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _get(request, Partnership, "manage", slug=slug)
    current = selectors.memorandum_current(partnership)
    form = MemorandumForm(
        request.POST or None, initial={"title": current.title, "body": current.body} if current else None
    )
    return form_page(
        request,
        form,
        save=lambda form: services.memorandum_publish(
            partnership=partnership, actor=request.user, request=request, **form.cleaned_data
        ),
        success_message=lambda version: (
            f"Version {version.number} published. Each school's headteacher is asked to agree it."
        ),
        redirect_to=reverse("directory:memorandum", args=[slug]),
        context={
            "title": "Publish a new version of the memorandum",
            "submit": "Publish",
            "crumbs": _crumbs(
                (partnership.name, reverse("directory:partnership_detail", args=[slug])),
                ("Memorandum", reverse("directory:memorandum", args=[slug])),
                ("New version", ""),
            ),
        },
    )


@login_required
@require_POST
def memorandum_agree(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _get(request, Partnership, slug=slug)
    version = selectors.memorandum_current(partnership)
    if version is None:
        raise Http404("There is no memorandum yet.")
    access.require(request, "agree", version)
    try:
        agreement = services.memorandum_agree(
            version=version, school=request.user.school, actor=request.user, request=request
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{agreement.school.name}'s agreement to version {version.number} is recorded.")
    return redirect("directory:memorandum", slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def decision_create(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _get(request, Partnership, "manage", slug=slug)
    return form_page(
        request,
        DecisionForm(request.POST or None),
        save=lambda form: services.decision_open(
            partnership=partnership, actor=request.user, request=request, **form.cleaned_data
        ),
        success_message="The decision is open for each school's vote.",
        redirect_to=lambda decision: reverse("directory:decision_detail", args=[decision.pk]),
        context={
            "title": "Put a decision to the schools",
            "submit": "Open for votes",
            "crumbs": _crumbs(
                (partnership.name, reverse("directory:partnership_detail", args=[slug])), ("New decision", "")
            ),
        },
    )


@login_required
def decision_list(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _get(request, Partnership, slug=slug)
    return render(
        request,
        "directory/decision_list.html",
        {
            "partnership": partnership,
            "decisions": selectors.decisions_for(partnership),
            "can_manage": access.can(request.user, "manage", partnership),
            "crumbs": _crumbs(
                (partnership.name, reverse("directory:partnership_detail", args=[slug])), ("Decisions", "")
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _get(request, Decision, pk=pk)
    partnership = decision.partnership
    vote_form = VoteForm(request.POST if request.POST.get("form") == "vote" else None)
    close_form = CloseDecisionForm(request.POST if request.POST.get("form") == "close" else None)
    if request.method == "POST":
        try:
            if request.POST.get("form") == "vote":
                access.require(request, "vote", decision)
                if vote_form.is_valid():
                    services.decision_vote(
                        decision=decision,
                        school=request.user.school,
                        actor=request.user,
                        choice=vote_form.cleaned_data["choice"],
                        request=request,
                    )
                    messages.success(request, "Your school's vote is recorded.")
                    return redirect("directory:decision_detail", pk=pk)
            elif request.POST.get("form") == "close":
                access.require(request, "close", decision)
                if close_form.is_valid():
                    services.decision_close(
                        decision=decision,
                        outcome=close_form.cleaned_data["outcome"],
                        actor=request.user,
                        request=request,
                    )
                    messages.success(request, "The decision is closed and its outcome recorded.")
                    return redirect("directory:decision_detail", pk=pk)
        except ApplicationError as exc:
            messages.error(request, exc.message)
    decision = selectors.decisions_for(partnership).get(pk=pk)
    members = list(selectors.partnership_schools(partnership))
    return render(
        request,
        "directory/decision_detail.html",
        {
            "decision": decision,
            "partnership": partnership,
            "tally": selectors.decision_tally(decision, members),
            "vote_form": vote_form,
            "close_form": close_form,
            "can_vote": access.can(request.user, "vote", decision),
            "can_close": access.can(request.user, "close", decision),
            "crumbs": _crumbs(
                (partnership.name, reverse("directory:partnership_detail", args=[partnership.slug])),
                ("Decisions", reverse("directory:decision_list", args=[partnership.slug])),
                (decision.title, ""),
            ),
        },
    )


@login_required
def partnership_audit(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _get(request, Partnership, "view_audit", slug=slug)
    school_ids = Membership.objects.filter(partnership=partnership).values("school_id")
    events = access.visible_to(request.user, AuditEvent).filter(
        Q(partnership_id=partnership.pk) | Q(school_id__in=school_ids)
    )
    return _audit_page(request, events, partnership.name, reverse("directory:partnership_detail", args=[slug]))


@login_required
def school_audit(request: HttpRequest, slug: str) -> HttpResponse:
    """A school's own audit log: its sign-ins, refusals, changes and every view of its pupils' data."""
    school = _get(request, School, "view_audit", slug=slug)
    events = access.visible_to(request.user, AuditEvent).filter(school_id=school.pk)
    return _audit_page(request, events, school.name, reverse("directory:school_detail", args=[slug]))


def _audit_page(request: HttpRequest, events: Any, owner_name: str, owner_url: str) -> HttpResponse:
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "directory/audit_log.html",
        {
            "owner_name": owner_name,
            "page": page,
            "rows": audit.rows_for_reader(request.user, page.object_list),
            "crumbs": _crumbs((owner_name, owner_url), ("Audit log", "")),
        },
    )


# --- Schools ------------------------------------------------------------------------------------


@login_required
def school_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    page = Paginator(selectors.schools_for(request.user, query), 50).get_page(request.GET.get("page"))
    return render(request, "directory/school_list.html", {"page": page, "q": query, "crumbs": _crumbs(("Schools", ""))})


@login_required
def school_detail(request: HttpRequest, slug: str) -> HttpResponse:
    school = _get(request, School, slug=slug)
    can_manage = access.can(request.user, "manage", school)
    waiting = selectors.roles_awaiting_approval(request.user, school=school) if can_manage else []
    yours = [row for row in selectors.approval_rows(request.user, waiting) if row["may_decide"]]
    return render(
        request,
        "directory/school_detail.html",
        {
            "school": school,
            # The school's plans, actions and meetings are its own people's: the links lead to the
            # lists that show them, so only the school's people are offered them.
            "is_own_school": access.principal_for(request.user).school_id == school.pk,
            "can_view_audit": access.can(request.user, "view_audit", school),
            "can_view_sharing": access.can(request.user, "view_sharing_record", school),
            "people": selectors.school_people(school),
            "memberships": selectors.school_partnerships(school),
            "can_manage": can_manage,
            "awaiting_your_approval": len(yours),
            "invitations": Invitation.objects.pending().filter(school=school) if can_manage else [],
            "crumbs": _crumbs(("Schools", reverse("directory:school_list")), (school.name, "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def school_edit(request: HttpRequest, slug: str) -> HttpResponse:
    school = _get(request, School, "manage", slug=slug)
    return form_page(
        request,
        SchoolDetailsForm(request.POST or None, instance=School.objects.get(pk=school.pk)),
        save=lambda form: services.school_update(
            school=school, data=form.cleaned_data, actor=request.user, request=request
        ),
        success_message="The school's details have been saved.",
        redirect_to=lambda school: reverse("directory:school_detail", args=[school.slug]),
        context={
            "title": f"Edit {school.name}",
            "submit": "Save details",
            "crumbs": _crumbs(
                ("Schools", reverse("directory:school_list")),
                (school.name, reverse("directory:school_detail", args=[slug])),
                ("Edit", ""),
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def school_invite(request: HttpRequest, slug: str) -> HttpResponse:
    school = _get(request, School, "manage", slug=slug)
    return form_page(
        request,
        InvitationForm(request.POST or None, at_school=True),
        save=lambda form: _invite(request, form, school=school),
        success_message=lambda invitation: f"An invitation has been emailed to {invitation.email}.",
        redirect_to=reverse("directory:school_detail", args=[slug]),
        context={
            "title": f"Invite a colleague to {school.name}",
            "submit": "Send invitation",
            "crumbs": _crumbs(
                ("Schools", reverse("directory:school_list")),
                (school.name, reverse("directory:school_detail", args=[slug])),
                ("Invite", ""),
            ),
        },
    )


# --- Roles awaiting approval ---------------------------------------------------------------------


@login_required
def role_pending(request: HttpRequest, slug: str) -> HttpResponse:
    school = _get(request, School, "manage", slug=slug)
    waiting = selectors.roles_awaiting_approval(request.user, school=school)
    return render(
        request,
        "directory/role_pending.html",
        {
            "school": school,
            "rows": selectors.approval_rows(request.user, waiting),
            "crumbs": _crumbs(
                ("Schools", reverse("directory:school_list")),
                (school.name, reverse("directory:school_detail", args=[slug])),
                ("Roles awaiting approval", ""),
            ),
        },
    )


@login_required
def role_pending_all(request: HttpRequest) -> HttpResponse:
    # Scoped by the policy: every school's waiting grants for platform administrators (a new
    # school's first head has no head to approve them); the rest see the grants they may see.
    waiting = selectors.roles_awaiting_approval(request.user)
    return render(
        request,
        "directory/role_pending.html",
        {
            "school": None,
            "rows": selectors.approval_rows(request.user, waiting),
            "crumbs": _crumbs(("People", reverse("directory:person_list")), ("Roles awaiting approval", "")),
        },
    )


def _role_decision(request: HttpRequest, slug: str, pk: int, decide: Any, done: str) -> HttpResponse:
    """Approve or refuse one waiting grant: the policy lets the school's head (or an administrator)
    try; the service refuses the giver and the grantee, and says why."""
    assignment = get_object_or_404(RoleAssignment.objects.select_related("person", "school"), pk=pk, school__slug=slug)
    access.require(request, "approve", assignment)
    person, role = assignment.person.full_name, f"{assignment} at {assignment.school.name}"
    try:
        decide(assignment=assignment, actor=request.user, request=request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done.format(person=person, role=role))
    if request.POST.get("back") == "all":
        return redirect("directory:role_pending_all")
    return redirect("directory:role_pending", slug=slug)


@login_required
@require_POST
def role_approve(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _role_decision(request, slug, pk, services.role_approve, "{person} is now {role}.")


@login_required
@require_POST
def role_refuse(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _role_decision(request, slug, pk, services.role_refuse, "{person} will not be {role}.")


# --- People -------------------------------------------------------------------------------------


def _people_filters(request: HttpRequest) -> dict[str, Any]:
    return {
        "query": request.GET.get("q", "").strip()[:100],
        "role": request.GET.get("role", "") if request.GET.get("role", "") in Role.values else "",
        "school_id": int_param(request.GET.get("school")),
    }


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    filters = _people_filters(request)
    page = Paginator(selectors.people_for(request.user, **filters), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "directory/person_list.html",
        {
            "page": page,
            "filters": filters,
            "roles": Role.choices,
            "schools": selectors.schools_for(request.user).only("pk", "name"),
            "export_query": request.GET.urlencode(),
            # Administrators approve the grants of schools without a head (a new school's first head).
            "shows_waiting_roles": access.principal_for(request.user).is_admin,
            "crumbs": _crumbs(("People", "")),
        },
    )


@login_required
def person_export(request: HttpRequest) -> HttpResponse:
    people = selectors.people_for(request.user, **_people_filters(request))
    rows = (
        [
            p.full_name,
            p.job_title,
            p.school.name if p.school else p.organisation,
            "; ".join(str(r) for r in p.current_roles),
            p.email,
            p.phone,
        ]
        for p in people
    )
    return csv_response("people.csv", ["Name", "Job title", "School or organisation", "Roles", "Email", "Phone"], rows)


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = _get(request, User, pk=pk)
    roles = RoleAssignment.objects.current().filter(person=person).select_related("school", "partnership")
    return render(
        request,
        "directory/person_detail.html",
        {
            "person": person,
            # An external partner's own school may be outside every partnership the viewer sees.
            "school_visible": person.school is not None and access.can(request.user, "view", person.school),
            "roles": roles,
            "waiting_roles": selectors.roles_awaiting_approval(request.user).filter(person=person),
            "networks": selectors.my_networks(person) if person.pk == request.user.pk else None,
            "can_manage_roles": access.can(request.user, "manage_roles", person),
            "role_form": RoleForm(),
            "crumbs": _crumbs(("People", reverse("directory:person_list")), (person.full_name, "")),
        },
    )


@login_required
@require_POST
def role_end(request: HttpRequest, pk: int, role_pk: int) -> HttpResponse:
    person = _get(request, User, "manage_roles", pk=pk)
    assignment = get_object_or_404(RoleAssignment, pk=role_pk, person=person)
    try:
        services.role_end(assignment=assignment, actor=request.user, request=request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{person.full_name} no longer holds the role {assignment}.")
    return redirect("directory:person_detail", pk=pk)


@login_required
@require_POST
def role_add(request: HttpRequest, pk: int) -> HttpResponse:
    person = _get(request, User, "manage_roles", pk=pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        try:
            assignment = services.role_assign(
                person=person,
                role=form.cleaned_data["role"],
                school=person.school,
                subject=form.cleaned_data["subject"],
                actor=request.user,
                request=request,
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"{person.full_name} is now {assignment}. Their networks follow from today.")
    return redirect("directory:person_detail", pk=pk)


@login_required
@require_POST
def invitation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation.objects.pending().select_related("school", "partnership"), pk=pk)
    target = invitation.school or invitation.partnership
    access.require(request, "manage", target)
    services.invitation_revoke(invitation=invitation, actor=request.user, request=request)
    messages.success(request, f"The invitation to {invitation.email} has been withdrawn.")
    if invitation.school:
        return redirect("directory:school_detail", slug=invitation.school.slug)
    return redirect("directory:partnership_detail", slug=invitation.partnership.slug)


@login_required
@require_POST
def person_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    person = _get(request, User, "manage_roles", pk=pk)
    active = request.POST.get("active") == "1"
    try:
        user_set_active(user=person, active=active, actor=request.user, request=request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, f"{person.full_name}'s account is {'enabled' if active else 'disabled and signed out'}."
        )
    return redirect("directory:person_detail", pk=pk)


# --- Networks -----------------------------------------------------------------------------------


@login_required
def network_list(request: HttpRequest) -> HttpResponse:
    mine = selectors.my_networks(request.user)
    mine_ids = {n.pk for n in mine}
    others = [n for n in selectors.networks_for(request.user) if n.pk not in mine_ids]
    return render(
        request, "directory/network_list.html", {"mine": mine, "others": others, "crumbs": _crumbs(("Networks", ""))}
    )


@login_required
@require_http_methods(["GET", "POST"])
def network_detail(request: HttpRequest, pk: int) -> HttpResponse:
    network = _get(request, Network, pk=pk)
    can_manage = access.can(request.user, "manage", network)
    members = selectors.network_members(network)
    form = None
    if can_manage:
        member_ids = {m["person"].pk for m in members}
        candidates = [p for p in selectors.people_for(request.user).select_related("school") if p.pk not in member_ids]
        form = AddNetworkMemberForm(request.POST or None, people=candidates)
        if request.method == "POST" and form.is_valid():
            person = form.cleaned_data["person"]
            try:
                services.network_member_add(network=network, person=person, actor=request.user, request=request)
            except ApplicationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, f"{person.full_name} added to {network.name}.")
                return redirect("directory:network_detail", pk=pk)
    elif request.method == "POST":
        access.require(request, "manage", network)
    return render(
        request,
        "directory/network_detail.html",
        {
            "network": network,
            "members": members,
            "form": form,
            "can_manage": can_manage,
            "sections": selectors.network_sections(request, network),
            "crumbs": _crumbs(("Networks", reverse("directory:network_list")), (network.name, "")),
        },
    )


@login_required
@require_POST
def network_member_remove(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    network = _get(request, Network, "manage", pk=pk)
    member = get_object_or_404(NetworkMember.objects.select_related("person", "network"), pk=member_pk, network=network)
    services.network_member_remove(member=member, actor=request.user, request=request)
    messages.success(request, f"{member.person.full_name} removed from {network.name}.")
    return redirect("directory:network_detail", pk=pk)


# --- Invitations ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = InvitationAcceptForm(request.POST or None, initial={"full_name": invitation.full_name})
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                raw_token=token,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
                request=request,
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            login(request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
            messages.success(request, "Welcome. Your account is ready.")
            return redirect("home")
    return render(request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation})
