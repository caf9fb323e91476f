"""Writes for the directory: partnerships, membership, roles, networks, MoU and decisions."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from partnership.accounts.models import Invitation, User
from partnership.core import access, audit
from partnership.core.errors import ApplicationError
from partnership.core.roles import DEFAULT_ROLE_NETWORKS, PARTNERSHIP_ROLES, SCHOOL_ROLES, SUBJECTS, Role
from partnership.directory.models import (
    Decision,
    DecisionVote,
    Membership,
    MemorandumAgreement,
    MemorandumVersion,
    Network,
    NetworkMember,
    Partnership,
    RoleAssignment,
    School,
)


@transaction.atomic
def partnership_create(
    *, name: str, summary: str = "", actor: Any = None, request: HttpRequest | None = None
) -> Partnership:
    partnership = Partnership(name=name.strip(), slug=slugify(name.strip())[:160], summary=summary)
    partnership.full_clean()
    partnership.save()
    for network_name, role, subject in DEFAULT_ROLE_NETWORKS:
        network = Network(
            partnership=partnership,
            name=network_name,
            slug=slugify(network_name),
            kind=Network.Kind.ROLE,
            role=role,
            subject=subject,
        )
        network.full_clean()
        network.save()
    audit.record(actor, "create", partnership, request=request)
    return partnership


@transaction.atomic
def school_join_partnership(
    *,
    partnership: Partnership,
    school: School,
    joined_on: datetime.date | None = None,
    actor: Any = None,
    request: HttpRequest | None = None,
) -> Membership:
    if Membership.objects.filter(partnership=partnership, school=school, left_on__isnull=True).exists():
        raise ApplicationError(f"{school.name} is already a member of {partnership.name}.")
    membership = Membership(partnership=partnership, school=school, joined_on=joined_on or timezone.localdate())
    membership.full_clean()
    membership.save()
    audit.record(
        actor,
        "create",
        membership,
        detail={"school": school.name, "joined_on": str(membership.joined_on)},
        request=request,
        school_id=school.pk,
        partnership_id=partnership.pk,
    )
    return membership


@transaction.atomic
def school_leave_partnership(
    *,
    membership: Membership,
    left_on: datetime.date | None = None,
    actor: Any = None,
    request: HttpRequest | None = None,
) -> Membership:
    if membership.left_on is not None:
        raise ApplicationError("This school has already left.")
    left_on = left_on or timezone.localdate()
    if left_on < membership.joined_on:
        raise ApplicationError("The leaving date must be on or after the joining date.", field="left_on")
    membership.left_on = left_on
    membership.full_clean()
    membership.save(update_fields=["left_on"])
    audit.record(
        actor,
        "update",
        membership,
        detail={"left_on": [None, str(left_on)]},
        request=request,
        school_id=membership.school_id,
        partnership_id=membership.partnership_id,
    )
    return membership


SCHOOL_FIELDS = ["name", "phase", "establishment_type", "street", "locality", "town", "postcode", "website"]


@transaction.atomic
def school_update(*, school: School, data: dict[str, Any], actor: Any, request: HttpRequest | None = None) -> School:
    before = audit.snapshot(school, SCHOOL_FIELDS)
    for name in SCHOOL_FIELDS:
        if name in data:
            setattr(school, name, data[name])
    school.full_clean()
    school.save()
    diff = audit.changes(before, audit.snapshot(school, SCHOOL_FIELDS))
    if diff:
        audit.record(actor, "update", school, detail={"changes": diff}, request=request)
    return school


def _is_platform_admin(user: Any) -> bool:
    return bool(user is not None and user.is_active and (user.is_platform_admin or user.is_superuser))


def _heads(user: Any, school_id: int | None) -> bool:
    return user is not None and access.principal_for(user).heads(school_id)


def role_subject_check(*, roles: Iterable[str], subject: str) -> None:
    """A subject leader's role names the subject they lead (one of `SUBJECTS`); no other role has one."""
    if Role.SUBJECT_LEADER in roles:
        if not subject:
            raise ApplicationError("Choose the subject this person leads.", field="subject")
        if subject not in SUBJECTS:
            raise ApplicationError("Choose a subject from the list.", field="subject")
    elif subject:
        raise ApplicationError("Only subject or curriculum leaders have a subject.", field="subject")


def role_grant_check(
    *,
    person: Any,
    role: str,
    actor: Any,
    school: School | None = None,
    partnership: Partnership | None = None,
    subject: str = "",
) -> tuple[School | None, Partnership | None]:
    """Raise ApplicationError unless `actor` may give `person` this role. Returns where the role is
    held (a school or a partnership). Used by `role_assign` and by the admin's form."""
    if actor is not None and person.pk is not None and person.pk == actor.pk:
        raise ApplicationError("Nobody can give themselves a role. Ask a colleague who manages roles.", field="person")
    if role in SCHOOL_ROLES:
        if person.school_id is None:
            raise ApplicationError("School roles can only be given to people at a school.", field="role")
        if school is None or person.school_id != school.pk:
            raise ApplicationError("School roles are held at the person's own school.", field="role")
        partnership = None
    elif role in PARTNERSHIP_ROLES:
        if partnership is None:
            raise ApplicationError("This role is held in a partnership.", field="role")
        school = None
    else:
        raise ApplicationError("That role cannot be assigned here.", field="role")
    role_subject_check(roles=[role], subject=subject)
    held = RoleAssignment.objects.filter(
        person=person, role=role, school=school, partnership=partnership, subject=subject
    )
    if held.current().exists():
        raise ApplicationError(f"{person} already holds this role.", field="role")
    if held.awaiting_approval().exists():
        raise ApplicationError(f"{person} has already been given this role, awaiting approval.", field="role")
    return school, partnership


def _acting_for(school: School | None, actor: Any, doing: str) -> School:
    """The school a head agrees or votes for: their own, so an account without one has none."""
    if school is None:
        raise ApplicationError(f"Your account is not at a school, so there is no school to {doing} for.")
    if actor is not None and actor.school_id != school.pk:
        raise ApplicationError(f"You can {doing} only for your own school.")
    return school


def needs_approval(*, role: str, actor: Any, school: School | None) -> bool:
    """A role that opens pupil data counts at once only when the school's own headteacher gives it."""
    return role in access.PUPIL_DATA_ROLES and not (school is not None and _heads(actor, school.pk))


@transaction.atomic
def role_assign(
    *,
    person: Any,
    role: str,
    actor: Any,
    school: School | None = None,
    partnership: Partnership | None = None,
    subject: str = "",
    started_on: datetime.date | None = None,
    request: HttpRequest | None = None,
    via: str = "app",
) -> RoleAssignment:
    """Give a person a role. School roles are held at the person's own school, so only people at a
    school hold them; a subject leader's role names its subject. Nobody gives themselves a role; a
    pupil-data role given by anyone but the school's headteacher waits for approval (`role_approve`)
    and gives no access until then."""
    school, partnership = role_grant_check(
        person=person, role=role, actor=actor, school=school, partnership=partnership, subject=subject
    )
    pending = needs_approval(role=role, actor=actor, school=school)
    granter = actor if getattr(actor, "is_authenticated", False) else None
    assignment = RoleAssignment(
        person=person,
        role=role,
        school=school,
        partnership=partnership,
        subject=subject,
        started_on=started_on or timezone.localdate(),
        granted_by=granter,
        approved_by=None if pending else granter,
        approved_at=None if pending else timezone.now(),
    )
    assignment.full_clean()
    assignment.save()
    detail: dict[str, Any] = {"person": person.email, "role": role, "subject": subject}
    if pending:
        detail["awaiting_approval"] = True
    if via != "app":
        detail["via"] = via
    audit.record(actor, "create", assignment, detail=detail, request=request)
    return assignment


def role_grant_refused(
    *, actor: Any, person: Any, role: str, reason: str, request: HttpRequest | None = None, via: str = "app"
) -> None:
    """Audit a refused grant (for instance someone trying to give themselves a role)."""
    audit.record(
        actor,
        "denied",
        person if person is not None and person.pk is not None else None,
        detail={"action": "grant_role", "role": role, "reason": reason, "via": via},
        request=request,
        school_id=getattr(person, "school_id", None),
    )


def role_approval_check(*, assignment: RoleAssignment, actor: Any) -> None:
    """Raise ApplicationError unless `actor` may approve or refuse this waiting grant: the
    school's headteacher, or a platform administrator other than the one who gave it, and
    never the person who would hold it."""
    if assignment.approved_at is not None:
        raise ApplicationError("This role has already been approved.")
    if assignment.ended_on is not None and assignment.ended_on <= timezone.localdate():
        raise ApplicationError("This role has ended.")
    if actor is None or actor.pk == assignment.person_id:
        raise ApplicationError("Nobody can approve a role given to themselves.")
    if actor.pk == assignment.granted_by_id:
        raise ApplicationError("A second person must approve this: not the one who gave the role.")
    if not (_heads(actor, assignment.school_id) or _is_platform_admin(actor)):
        raise ApplicationError("Only the school's headteacher or another platform administrator can approve this.")


@transaction.atomic
def role_approve(
    *, assignment: RoleAssignment, actor: Any, request: HttpRequest | None = None, via: str = "app"
) -> RoleAssignment:
    assignment = RoleAssignment.objects.select_for_update().select_related("person").get(pk=assignment.pk)
    role_approval_check(assignment=assignment, actor=actor)
    assignment.approved_by = actor
    assignment.approved_at = timezone.now()
    assignment.full_clean()
    assignment.save(update_fields=["approved_by", "approved_at"])
    detail: dict[str, Any] = {
        "person": assignment.person.email,
        "role": assignment.role,
        "granted_by": assignment.granted_by_id,
    }
    if via != "app":
        detail["via"] = via
    audit.record(actor, "approve", assignment, detail=detail, request=request)
    return assignment


@transaction.atomic
def role_refuse(
    *, assignment: RoleAssignment, actor: Any, request: HttpRequest | None = None, via: str = "app"
) -> None:
    """Refuse a waiting grant: the row goes, the audit log keeps the request and the refusal."""
    assignment = RoleAssignment.objects.select_for_update().select_related("person").get(pk=assignment.pk)
    role_approval_check(assignment=assignment, actor=actor)
    detail: dict[str, Any] = {
        "person": assignment.person.email,
        "role": assignment.role,
        "granted_by": assignment.granted_by_id,
    }
    if via != "app":
        detail["via"] = via
    audit.record(actor, "refuse", assignment, detail=detail, request=request)
    assignment.delete()


@transaction.atomic
def role_end(
    *, assignment: RoleAssignment, actor: Any, ended_on: datetime.date | None = None, request: HttpRequest | None = None
) -> RoleAssignment:
    """End a role (a leaver, or a change of job). Role networks drop the person from that day."""
    ended_on = ended_on or timezone.localdate()
    if assignment.ended_on is not None and assignment.ended_on <= timezone.localdate():
        raise ApplicationError("This role has already ended.")
    assignment.ended_on = max(ended_on, assignment.started_on)
    assignment.save(update_fields=["ended_on"])
    audit.record(actor, "update", assignment, detail={"ended_on": [None, str(assignment.ended_on)]}, request=request)
    return assignment


@transaction.atomic
def working_party_create(
    *, partnership: Partnership, name: str, remit: str, actor: Any, request: HttpRequest | None = None
) -> Network:
    network = Network(
        partnership=partnership,
        name=name.strip(),
        slug=slugify(name.strip())[:160],
        remit=remit.strip(),
        kind=Network.Kind.WORKING_PARTY,
    )
    if Network.objects.filter(partnership=partnership, slug=network.slug).exists():
        raise ApplicationError("There is already a network or working party with this name.", field="name")
    network.full_clean()
    network.save()
    audit.record(actor, "create", network, detail={"remit": network.remit}, request=request)
    return network


@transaction.atomic
def network_member_add(
    *, network: Network, person: Any, actor: Any, request: HttpRequest | None = None
) -> NetworkMember:
    try:
        with transaction.atomic():
            member = NetworkMember.objects.create(network=network, person=person, added_by=actor)
    except IntegrityError as exc:
        raise ApplicationError(f"{person} is already a member of {network.name}.") from exc
    audit.record(
        actor, "create", member, detail={"person": person.email}, request=request, partnership_id=network.partnership_id
    )
    return member


@transaction.atomic
def network_member_remove(*, member: NetworkMember, actor: Any, request: HttpRequest | None = None) -> None:
    audit.record(
        actor,
        "delete",
        member,
        detail={"person": member.person.email},
        request=request,
        partnership_id=member.network.partnership_id,
    )
    member.delete()


@transaction.atomic
def memorandum_publish(
    *,
    partnership: Partnership,
    title: str,
    body: str,
    change_summary: str,
    actor: Any,
    request: HttpRequest | None = None,
) -> MemorandumVersion:
    """Publish a new version. Earlier versions and their agreements are kept; schools agree again."""
    last = MemorandumVersion.objects.select_for_update().filter(partnership=partnership).order_by("-number").first()
    version = MemorandumVersion(
        partnership=partnership,
        number=(last.number + 1) if last else 1,
        title=title.strip() or "Memorandum of Understanding",
        body=body,
        change_summary=change_summary.strip(),
        published_by=actor,
    )
    version.full_clean()
    version.save()
    audit.record(actor, "create", version, detail={"number": version.number}, request=request)
    return version


@transaction.atomic
def memorandum_agree(
    *, version: MemorandumVersion, school: School | None, actor: Any, request: HttpRequest | None = None
) -> MemorandumAgreement:
    """Record that `school` (the actor's own) agrees the current version."""
    school = _acting_for(school, actor, "agree")
    latest = MemorandumVersion.objects.filter(partnership_id=version.partnership_id).order_by("-number").first()
    if latest is None or latest.pk != version.pk:
        raise ApplicationError("Only the current version of the memorandum can be agreed.")
    if not Membership.objects.current().filter(partnership_id=version.partnership_id, school=school).exists():
        raise ApplicationError(f"{school.name} is not a current member of this partnership.")
    agreement, created = MemorandumAgreement.objects.get_or_create(
        version=version, school=school, defaults={"agreed_by": actor}
    )
    if not created:
        raise ApplicationError(f"{school.name} has already agreed this version.")
    audit.record(
        actor,
        "create",
        agreement,
        detail={"version": version.number},
        request=request,
        school_id=school.pk,
        partnership_id=version.partnership_id,
    )
    return agreement


@transaction.atomic
def decision_open(
    *,
    partnership: Partnership,
    title: str,
    description: str,
    closes_on: datetime.date | None,
    actor: Any,
    request: HttpRequest | None = None,
) -> Decision:
    decision = Decision(
        partnership=partnership, title=title.strip(), description=description, closes_on=closes_on, proposed_by=actor
    )
    decision.full_clean()
    decision.save()
    audit.record(actor, "create", decision, request=request)
    return decision


@transaction.atomic
def decision_vote(
    *, decision: Decision, school: School | None, choice: str, actor: Any, request: HttpRequest | None = None
) -> DecisionVote:
    """Record the school's vote (the actor's own school): one per school; a school may change its vote
    while the decision is open."""
    school = _acting_for(school, actor, "vote")
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != Decision.Status.OPEN:
        raise ApplicationError("Voting on this decision has closed.")
    if not Membership.objects.current().filter(partnership_id=decision.partnership_id, school=school).exists():
        raise ApplicationError(f"{school.name} is not a current member of this partnership.")
    if choice not in DecisionVote.Choice.values:
        raise ApplicationError("Choose for, against or abstain.", field="choice")
    vote = DecisionVote.objects.filter(decision=decision, school=school).first()
    before = vote.choice if vote else None
    if vote is None:
        vote = DecisionVote(decision=decision, school=school, choice=choice, cast_by=actor)
    else:
        vote.choice, vote.cast_by, vote.cast_at = choice, actor, timezone.now()
    vote.full_clean()
    vote.save()
    audit.record(
        actor,
        "vote",
        decision,
        detail={"school": school.name, "choice": [before, choice]},
        request=request,
        school_id=school.pk,
        partnership_id=decision.partnership_id,
    )
    return vote


@transaction.atomic
def decision_close(*, decision: Decision, outcome: str, actor: Any, request: HttpRequest | None = None) -> Decision:
    if decision.status != Decision.Status.OPEN:
        raise ApplicationError("This decision is already closed.")
    decision.status = Decision.Status.CLOSED
    decision.outcome = outcome.strip()
    decision.closed_at = timezone.now()
    decision.full_clean()
    decision.save()
    audit.record(
        actor, "update", decision, detail={"status": ["open", "closed"], "outcome": decision.outcome}, request=request
    )
    return decision


__all__ = [
    "partnership_create",
    "school_join_partnership",
    "school_leave_partnership",
    "school_update",
    "role_subject_check",
    "role_grant_check",
    "needs_approval",
    "role_assign",
    "role_grant_refused",
    "role_approval_check",
    "role_approve",
    "role_refuse",
    "role_end",
    "working_party_create",
    "network_member_add",
    "network_member_remove",
    "memorandum_publish",
    "memorandum_agree",
    "decision_open",
    "decision_vote",
    "decision_close",
]


# --- Invitations: how people join (an account, and the roles they are invited to) -------------


@transaction.atomic
def invitation_create(
    *,
    invited_by: User,
    email: str,
    full_name: str,
    roles: list[str],
    school: School | None = None,
    partnership: Partnership | None = None,
    subject: str = "",
    request: HttpRequest | None = None,
) -> tuple[Invitation, str]:
    """Create an invitation and email its link. Returns the invitation and the raw token. An invited
    subject leader's `subject` is the one they lead; no other role takes a subject."""
    email = email.strip().lower()
    if not roles:
        raise ApplicationError("Choose at least one role.", field="roles")
    role_subject_check(roles=roles, subject=subject)
    if school is not None:
        if not set(roles) <= SCHOOL_ROLES:
            raise ApplicationError("Those roles are not held at a school.", field="roles")
        existing = User.objects.filter(email=email).first()
        if existing and existing.has_usable_password() and existing.school_id not in (None, school.pk):
            raise ApplicationError(
                "This person already has an account at another school. A person belongs to one school.",
                field="email",
            )
    elif partnership is not None:
        if not set(roles) <= PARTNERSHIP_ROLES:
            raise ApplicationError("Those roles are not held in a partnership.", field="roles")
    else:
        raise ApplicationError("An invitation is to a school or to a partnership.")
    if Invitation.objects.pending().filter(email=email, school=school, partnership=partnership).exists():
        raise ApplicationError(
            "This person already has an invitation waiting. Revoke it to send a new one.", field="email"
        )

    raw, token_hash = Invitation.new_token()
    invitation = Invitation(
        email=email,
        full_name=full_name.strip(),
        school=school,
        partnership=partnership,
        roles=sorted(set(roles)),
        subject=subject,
        invited_by=invited_by,
        token_hash=token_hash,
        expires_at=timezone.now() + Invitation.VALID_FOR,
    )
    invitation.full_clean()
    invitation.save()
    audit.record(
        invited_by,
        "invite",
        invitation,
        detail={"email": email, "roles": invitation.roles},
        request=request,
        school_id=school.pk if school else None,
        partnership_id=partnership.pk if partnership else None,
    )
    link = reverse("directory:invitation_accept", kwargs={"token": raw})
    if request is not None:
        link = request.build_absolute_uri(link)
    context = {"invitation": invitation, "link": link, "site_name": settings.SITE_NAME}
    send_mail(
        subject=f"You are invited to {settings.SITE_NAME}",
        message=render_to_string("accounts/email/invitation.txt", context),
        from_email=None,
        recipient_list=[email],
    )
    return invitation, raw


def invitation_for_token(raw: str) -> Invitation | None:
    invitation = (
        Invitation.objects.select_related("school", "partnership").filter(token_hash=Invitation.hash_token(raw)).first()
    )
    return invitation if invitation is not None and invitation.is_usable else None


@transaction.atomic
def invitation_accept(*, raw_token: str, full_name: str, password: str, request: HttpRequest | None = None) -> User:
    invitation = Invitation.objects.select_for_update().filter(token_hash=Invitation.hash_token(raw_token)).first()
    if invitation is None or not invitation.is_usable:
        raise ApplicationError("This invitation has expired or has already been used. Ask for a new one.")
    user = User.objects.filter(email=invitation.email).first()
    if user is not None and user.has_usable_password():
        raise ApplicationError("An account with this email already exists. Sign in instead.")
    if user is None:
        user = User(email=invitation.email)
    user.full_name = full_name.strip() or invitation.full_name
    if invitation.school_id:
        user.school_id = invitation.school_id
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), field="password1") from exc
    user.set_password(password)
    user.is_active = True
    user.full_clean(exclude=["password"])
    user.save()
    for role in invitation.roles:
        # As in `role_assign`: a pupil-data role from anyone but the school's head waits for approval.
        pending = needs_approval(role=role, actor=invitation.invited_by, school=invitation.school)
        RoleAssignment.objects.get_or_create(
            person=user,
            role=role,
            school_id=invitation.school_id,
            partnership_id=invitation.partnership_id,
            subject=invitation.subject if role == Role.SUBJECT_LEADER else "",
            ended_on=None,
            defaults={
                "granted_by": invitation.invited_by,
                "approved_by": None if pending else invitation.invited_by,
                "approved_at": None if pending else timezone.now(),
            },
        )
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    audit.record(
        user,
        "invitation_accepted",
        invitation,
        request=request,
        school_id=invitation.school_id,
        partnership_id=invitation.partnership_id,
    )
    return user


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User, request: HttpRequest | None = None) -> None:
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit.record(actor, "invitation_revoked", invitation, request=request, school_id=invitation.school_id)


def roles_for_choice(*, at_school: bool) -> list[tuple[str, str]]:
    allowed = SCHOOL_ROLES if at_school else PARTNERSHIP_ROLES
    return [(value, label) for value, label in Role.choices if value in allowed]
