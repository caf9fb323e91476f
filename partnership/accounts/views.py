from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from partnership.accounts.forms import ApiTokenForm, ContactDetailsForm
from partnership.accounts.models import ApiToken
from partnership.accounts.services import (
    api_token_create,
    api_token_revoke,
    person_update_contact,
)
from partnership.core import access
from partnership.core.errors import ApplicationError
from partnership.core.pages import crumbs, form_error

NEW_TOKEN_SESSION_KEY = "new_api_token"


@login_required
@require_http_methods(["GET", "POST"])
def profile_view(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ContactDetailsForm(
        request.POST or None,
        initial={name: getattr(user, name) for name in ["full_name", "job_title", "phone", "organisation"]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            person_update_contact(person=user, actor=user, data=form.cleaned_data, request=request)
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Your details have been saved.")
            return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "mfa_enabled": is_mfa_enabled(user), "crumbs": crumbs(("Your account", ""))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens_view(request: HttpRequest) -> HttpResponse:
    """The person's API tokens: make one (its key shown once), see when each was last used, revoke."""
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = api_token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                lifetime_days=form.cleaned_data["lifetime_days"],
                request=request,
            )
        except ApplicationError as exc:
            form_error(form, exc)
        else:
            request.session[NEW_TOKEN_SESSION_KEY] = {"id": token.pk, "key": raw}
            return redirect("accounts:api_tokens")
    new = request.session.pop(NEW_TOKEN_SESSION_KEY, None)
    tokens = list(access.visible_to(request.user, ApiToken).order_by("-created_at"))
    new_token = next((t for t in tokens if new and t.pk == new["id"]), None)
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "tokens": [t for t in tokens if t.status() == "active"],
            "ended": [t for t in tokens if t.status() != "active"][:10],
            "new_token": new_token,
            "new_key": new["key"] if new_token else None,
            "crumbs": crumbs(("Your account", reverse("accounts:profile")), ("API tokens", "")),
        },
    )


@login_required
@require_POST
def api_token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk)
    access.require(request, "manage", token)
    try:
        api_token_revoke(token=token, actor=request.user, request=request)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"“{token.name}” is revoked. Programs using it can no longer reach the API.")
    return redirect("accounts:api_tokens")
