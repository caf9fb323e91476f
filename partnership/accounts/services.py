"""Writes for accounts: invitations, acceptance, disabling accounts, API tokens, contact details."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from partnership.accounts.models import ApiToken, User
from partnership.core import access, audit
from partnership.core.errors import ApplicationError


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
