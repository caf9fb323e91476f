from django import forms
from django.conf import settings

from partnership.accounts.services import roles_for_choice
from partnership.core.roles import SUBJECTS, Role


class InvitationAcceptForm(forms.Form):
    full_name = forms.CharField(label="Your full name", max_length=150)
    password1 = forms.CharField(
        label="Choose a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters. A few unrelated words make a strong password.",
    )
    password2 = forms.CharField(
        label="Type the password again", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self) -> dict:  # type: ignore[type-arg]
        data = super().clean() or {}
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", "The two passwords do not match.")
        return data


class InvitationForm(forms.Form):
    full_name = forms.CharField(label="Full name", max_length=150)
    email = forms.EmailField(label="Email address")
    roles = forms.MultipleChoiceField(label="Roles", widget=forms.CheckboxSelectMultiple)
    subject = forms.ChoiceField(
        label="Subject (for subject or curriculum leaders)",
        required=False,
        choices=[("", "Not a subject leader")] + [(s, s) for s in SUBJECTS],
    )

    def __init__(self, *args, at_school: bool = True, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = roles_for_choice(at_school=at_school)
        if not at_school:
            del self.fields["subject"]

    def clean(self) -> dict:  # type: ignore[type-arg]
        data = super().clean() or {}
        if Role.SUBJECT_LEADER not in data.get("roles", []):
            data["subject"] = ""  # the subject field is only for subject leaders; the service checks it
        return data


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
