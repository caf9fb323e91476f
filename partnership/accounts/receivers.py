"""Sign-in events reach the audit log through Django's auth signals: they are the only hook the
authentication framework offers, so this is the one place side effects hang off signals."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from partnership.accounts.lockout import username_from_attempt
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
