from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from partnership.accounts.forms import ContactDetailsForm, InvitationAcceptForm
from partnership.accounts.services import invitation_accept, invitation_for_token, person_update_contact
from partnership.core.errors import ApplicationError


@require_http_methods(["GET", "POST"])
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_for_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    form = InvitationAcceptForm(request.POST or None, initial={"full_name": invitation.full_name})
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(
                raw_token=token,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
                request=request,
            )
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            login(request, user, backend="allauth.account.auth_backends.AuthenticationBackend")
            messages.success(request, "Welcome. Your account is ready.")
            return redirect("home")
    return render(request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation})


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
    return render(request, "accounts/profile.html", {"form": form, "mfa_enabled": is_mfa_enabled(user)})
