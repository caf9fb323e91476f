"""Whether a person, and this session, have passed the second factor.

allauth keeps a log of the authentication steps of each session (password, then mfa). An account
with an authenticator must have an "mfa" step in the session it uses, whichever way it signed in;
under `REQUIRE_MFA` an account without an authenticator may use neither pages nor API tokens
until it sets one up.
"""

from typing import Any

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.http import HttpRequest


def has_authenticator(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and is_mfa_enabled(user))


def session_passed_second_factor(request: HttpRequest) -> bool:
    return any(record.get("method") == "mfa" for record in get_authentication_records(request))


def may_use_api_token(user: Any) -> bool:
    """Tokens bypass the sign-in pages, so the second-factor rule is checked on each use."""
    return not settings.REQUIRE_MFA or has_authenticator(user)


def record_second_factor(request: HttpRequest, user: Any, authenticator: Any) -> None:
    """Setting up an authenticator proves possession of it (a valid code was entered): the session
    that did so counts as having passed the second factor."""
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type, activated=True)
