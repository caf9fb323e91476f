"""Sign-in events reach the audit log through Django's auth signals, and a new authenticator marks
its session as having passed the second factor through allauth's: they are the only hooks the
authentication framework offers, so this is the one place side effects hang off signals."""

from typing import Any

from allauth.mfa.signals import authenticator_added
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from partnership.accounts.lockout import username_from_attempt
from partnership.accounts.second_factor import record_second_factor
from partnership.core import audit


@receiver(user_logged_in)
def audit_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit.record(user, "login", user, request=request)


@receiver(user_logged_out)
def audit_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(user, "logout", user, request=request)


@receiver(user_login_failed)
def audit_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    audit.record(None, "login_failed", None, request=request, actor_label=username_from_attempt(request, credentials))


@receiver(authenticator_added)
def second_factor_on_set_up(sender: Any, request: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    if request is not None and authenticator.type == "totp":
        record_second_factor(request, user, authenticator)
    audit.record(user, "mfa_added", user, detail={"type": authenticator.type}, request=request)
