from typing import Any

from allauth.account.forms import LoginForm
from django import forms
from django.conf import settings


class SignInForm(LoginForm):
    """allauth's sign-in form without its own "Forgot your password?" hint: the page has one
    "Forgotten your password?" link, below the button."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = ""


class ContactDetailsForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=150)
    job_title = forms.CharField(label="Job title", max_length=150, required=False)
    phone = forms.CharField(label="Phone", max_length=40, required=False)
    organisation = forms.CharField(
        label="Organisation", max_length=150, required=False, help_text="For external partners only."
    )


class ApiTokenForm(forms.Form):
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
        self.fields["lifetime_days"].choices = [(days, f"{days} days") for days in lengths]
        self.fields["lifetime_days"].initial = longest
