from typing import Any

from allauth.account.forms import (
    ChangePasswordForm,
    LoginForm,
    ReauthenticateForm,
    ResetPasswordForm,
    ResetPasswordKeyForm,
)
from allauth.mfa.base.forms import AuthenticateForm
from allauth.mfa.base.forms import ReauthenticateForm as CodeReauthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm
from django import forms
from django.conf import settings
from django.template.defaultfilters import pluralize

from partnership.core.forms import GovukErrorMessages


class SignInForm(GovukErrorMessages, LoginForm):
    """allauth's sign-in form without its own "Forgot your password?" hint: the page has one
    "Forgotten your password?" link, below the button."""

    required_messages = {"login": "Enter your email address", "password": "Enter your password"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = ""


# allauth's other forms, with GOV.UK messages for fields left empty (ACCOUNT_FORMS and MFA_FORMS).
CODE_MISSING = "Enter the 6-digit code from your authenticator app"
NEW_PASSWORD_MISSING = {"password1": "Enter a new password", "password2": "Enter the new password again"}


class PasswordResetRequestForm(GovukErrorMessages, ResetPasswordForm):
    required_messages = {"email": "Enter your email address"}


class NewPasswordForm(GovukErrorMessages, ResetPasswordKeyForm):
    required_messages = NEW_PASSWORD_MISSING


class PasswordChangeForm(GovukErrorMessages, ChangePasswordForm):
    required_messages = {"oldpassword": "Enter your current password", **NEW_PASSWORD_MISSING}


class PasswordReauthenticateForm(GovukErrorMessages, ReauthenticateForm):
    required_messages = {"password": "Enter your password"}


class CodeForm(GovukErrorMessages, AuthenticateForm):
    required_messages = {"code": CODE_MISSING}


class CodeReauthenticationForm(GovukErrorMessages, CodeReauthenticateForm):
    required_messages = {"code": CODE_MISSING}


class AuthenticatorSetupForm(GovukErrorMessages, ActivateTOTPForm):
    required_messages = {"code": CODE_MISSING}


class ContactDetailsForm(GovukErrorMessages, forms.Form):
    required_messages = {"full_name": "Enter your full name"}

    full_name = forms.CharField(label="Full name", max_length=150)
    job_title = forms.CharField(label="Job title", max_length=150, required=False)
    phone = forms.CharField(label="Phone", max_length=40, required=False)
    organisation = forms.CharField(
        label="Organisation", max_length=150, required=False, help_text="For external partners only."
    )


class ApiTokenForm(GovukErrorMessages, forms.Form):
    required_messages = {"name": "Enter what the token is for", "lifetime_days": "Choose how long it works"}

    name = forms.CharField(
        label="What the token is for",
        max_length=100,
        help_text="For example, the name of the spreadsheet or program that will use it.",
    )
    lifetime_days = forms.TypedChoiceField(
        label="How long it works",
        coerce=int,
        choices=[],
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        longest = settings.API_TOKEN_LIFETIME_DAYS
        lengths = sorted({days for days in (7, 30, longest) if days <= longest})
        self.fields["lifetime_days"].choices = [(days, f"{days} day{pluralize(days)}") for days in lengths]
        self.fields["lifetime_days"].initial = longest
