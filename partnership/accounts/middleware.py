from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from partnership.accounts.second_factor import has_authenticator, session_passed_second_factor
from partnership.core import audit

# Paths a signed-in person without an authenticator may still reach: setting one up, signing out,
# assets, and the footer's privacy notice and accessibility statement (public, no personal data).
MFA_SETUP_ALLOWED_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/logout/",
    "/accounts/reauthenticate/",
    "/static/",
    "/healthz",
    "/privacy",
    "/accessibility",
)
# Paths a session that skipped its account's second factor may reach: nothing but assets.
UNVERIFIED_ALLOWED_PREFIXES = ("/static/", "/healthz")


class RequireMFAMiddleware:
    """Every session of an account with an authenticator must have passed it, whatever path it
    signed in by; with REQUIRE_MFA on, every signed-in account must set up an authenticator first.

    Every account can read the people directory (personal data), so the rule applies to all.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        if has_authenticator(user):
            if not session_passed_second_factor(request) and not request.path.startswith(UNVERIFIED_ALLOWED_PREFIXES):
                # Signed in by a path that skipped the code: end the session and start again properly.
                audit.record(user, "denied", user, detail={"action": "session_without_second_factor"}, request=request)
                logout(request)
                return redirect(reverse("account_login") + "?" + urlencode({"next": request.get_full_path()}))
        elif settings.REQUIRE_MFA and not request.path.startswith(MFA_SETUP_ALLOWED_PREFIXES):
            return redirect(reverse("mfa_activate_totp") + "?next=" + quote(request.path))
        return self.get_response(request)
