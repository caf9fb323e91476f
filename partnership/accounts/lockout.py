from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def username_from_attempt(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The email a sign-in attempt was for, whichever form sent it (allauth posts `login`)."""
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username") or credentials.get("login")
    if not value and request is not None and request.method == "POST":
        value = request.POST.get("login") or request.POST.get("email") or request.POST.get("username")
    return str(value or "").strip().lower()


class AccountAndAddressLockoutHandler(AxesDatabaseHandler):
    """Locks out a username + IP pair after a few failures, and an IP after many more.

    Axes compares one failure count with one limit. A school's staff share one address, so the
    address-wide limit (`AXES_IP_FAILURE_LIMIT`, across every username: password spraying) is far
    higher than the per-account one (`AXES_FAILURE_LIMIT`). Each lockout parameter's failures are
    scaled to the per-account limit, so axes locks out when any one of them reaches its own limit.
    """

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        per_account = get_failure_limit(request, credentials)
        scaled = 0
        parameters = get_lockout_parameters(request, credentials)
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            limit = settings.AXES_IP_FAILURE_LIMIT if parameter in ("ip_address", ["ip_address"]) else per_account
            scaled = max(scaled, failures * per_account // max(limit, 1))
        return scaled

    def reset_user_attempts(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        """A successful sign-in clears that account's failures from that address, nobody else's."""
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address).delete()
        return count
