"""Writes for accounts: invitations, acceptance, disabling accounts, API tokens, contact details."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from partnership.accounts.models import ApiToken, Invitation, User
from partnership.core import access, audit
from partnership.core.errors import ApplicationError
from partnership.core.roles import PARTNERSHIP_ROLES, SCHOOL_ROLES, Role
from partnership.directory.models import Partnership, RoleAssignment, School
from partnership.directory.services import needs_approval, role_subject_check


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
    link = reverse("accounts:invitation_accept", kwargs={"token": raw})
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


def end_sessions_for(user: User) -> int:
    """Delete every database session belonging to the user. Returns how many were ended."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def sign_out_everywhere(user: User) -> dict[str, int]:
    """End a disabled account's database sessions and revoke its API tokens."""
    return {
        "sessions_ended": end_sessions_for(user),
        "tokens_revoked": ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now()),
    }


@transaction.atomic
def user_set_active(*, user: User, active: bool, actor: User, request: HttpRequest | None = None) -> None:
    """Disable or re-enable an account. A disabled account is signed out everywhere for good: its
    sessions fail the session hash check from now on (`User.disabled_at`, even after re-enabling),
    its database sessions are deleted and its API tokens revoked. Nobody disables their own account
    (they would lock themselves out, perhaps as the school's only head)."""
    if actor is not None and actor.pk == user.pk:
        raise ApplicationError("You cannot disable your own account.")
    before = user.is_active
    user.is_active = active
    user.save(update_fields=["is_active"])
    detail: dict[str, Any] = {"is_active": [before, active]}
    if not active:
        detail.update(sign_out_everywhere(user))
    audit.record(actor, "update", user, detail=detail, request=request, school_id=user.school_id)


CONTACT_FIELDS = ["full_name", "job_title", "phone", "organisation"]


@transaction.atomic
def person_update_contact(
    *, person: User, actor: User, data: dict[str, Any], request: HttpRequest | None = None
) -> User:
    before = audit.snapshot(person, CONTACT_FIELDS)
    for name in CONTACT_FIELDS:
        if name in data:
            setattr(person, name, (data[name] or "").strip())
    person.full_clean(exclude=["password"])
    person.save(update_fields=CONTACT_FIELDS)
    diff = audit.changes(before, audit.snapshot(person, CONTACT_FIELDS))
    if diff:
        audit.record(actor, "update", person, detail={"changes": diff}, request=request, school_id=person.school_id)
    return person


@transaction.atomic
def api_token_create(
    *, user: User, name: str = "API token", lifetime_days: int | None = None, request: HttpRequest | None = None
) -> tuple[ApiToken, str]:
    """Make a personal API key; the raw key is returned once and only its hash is kept."""
    lifetime = settings.API_TOKEN_LIFETIME_DAYS if lifetime_days is None else lifetime_days
    if not 1 <= lifetime <= settings.API_TOKEN_LIFETIME_DAYS:
        raise ApplicationError(
            f"A token can last from 1 to {settings.API_TOKEN_LIFETIME_DAYS} days.", field="lifetime_days"
        )
    name = (name or "").strip() or "API token"
    raw = "sp_" + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        prefix=raw[:8],
        key_hash=ApiToken.hash_key(raw),
        expires_at=timezone.now() + timedelta(days=lifetime),
    )
    token.full_clean()
    token.save()
    audit.record(
        user,
        "create",
        token,
        detail={"name": name, "expires_at": token.expires_at.isoformat()},
        request=request,
        school_id=user.school_id,
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, actor: User, request: HttpRequest | None = None) -> ApiToken:
    """Stop a key working at once: its owner (or a platform administrator) may."""
    if not access.can(actor, "manage", token):
        raise ApplicationError("You can revoke only your own API tokens.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor, "revoke", token, detail={"name": token.name}, request=request, school_id=actor.school_id)
    return token


def roles_for_choice(*, at_school: bool) -> list[tuple[str, str]]:
    allowed = SCHOOL_ROLES if at_school else PARTNERSHIP_ROLES
    return [(value, label) for value, label in Role.choices if value in allowed]
