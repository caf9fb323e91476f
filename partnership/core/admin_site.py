"""The Django admin, reached only through the platform's own sign-in.

Django's admin has a password-only login form of its own, which would skip the second factor.
Here it is replaced: signed-out visitors are sent to the app's sign-in (password, then the
authenticator code), signed-in people without admin rights are refused, and nothing signs in
through `/admin/login/`.
"""

from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

from partnership.core import audit


class PartnershipAdminSite(admin.AdminSite):
    site_header = "School partnership administration"
    site_title = "School partnership administration"

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff and (user.is_platform_admin or user.is_superuser))

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        index = reverse("admin:index", current_app=self.name)
        next_url = request.GET.get("next") or index
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = index
        if request.user.is_authenticated:
            if self.has_permission(request):
                return HttpResponseRedirect(next_url)
            detail = {"action": "admin", "path": request.path}
            audit.record(request.user, "denied", None, detail=detail, request=request)
            raise PermissionDenied("The administration site is for platform administrators.")
        return HttpResponseRedirect(reverse("account_login") + "?" + urlencode({"next": next_url}))
