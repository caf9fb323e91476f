from django import forms

from partnership.core.forms import GovukErrorMessages, PersonChoiceField
from partnership.core.roles import SCHOOL_ROLES, SUBJECTS, Role
from partnership.directory.models import DecisionVote, School
from partnership.directory.services import roles_for_choice


class SchoolDetailsForm(GovukErrorMessages, forms.ModelForm):
    required_messages = {"name": "Enter the school's name", "phase": "Choose the school's phase"}

    website = forms.URLField(label="Website", required=False, assume_scheme="https")

    class Meta:
        model = School
        fields = ["name", "phase", "establishment_type", "street", "locality", "town", "postcode", "website"]


class AddSchoolForm(GovukErrorMessages, forms.Form):
    required_messages = {"urn": "Enter the school's URN"}

    urn = forms.RegexField(
        label="School URN",
        regex=r"^\d{6}$",
        error_messages={"invalid": "Enter the school's 6-digit URN."},
        help_text="The unique reference number from Get information about schools.",
    )
    joined_on = forms.DateField(label="Date joined (YYYY-MM-DD)", required=False)


class WorkingPartyForm(GovukErrorMessages, forms.Form):
    required_messages = {"name": "Enter a name for the working party", "remit": "Enter the working party's remit"}

    name = forms.CharField(label="Name", max_length=150)
    remit = forms.CharField(
        label="Remit", widget=forms.Textarea, help_text="What the working party is for and what it will produce."
    )


class MemorandumForm(GovukErrorMessages, forms.Form):
    required_messages = {"title": "Enter a title", "body": "Enter the text of the memorandum"}

    title = forms.CharField(label="Title", max_length=200, initial="Memorandum of Understanding")
    body = forms.CharField(label="Text of the memorandum", widget=forms.Textarea)
    change_summary = forms.CharField(label="What changed from the last version", max_length=300, required=False)


class DecisionForm(GovukErrorMessages, forms.Form):
    required_messages = {"title": "Enter the decision to be made"}

    title = forms.CharField(label="Decision to be made", max_length=200)
    description = forms.CharField(label="Background", widget=forms.Textarea, required=False)
    closes_on = forms.DateField(label="Voting closes on (YYYY-MM-DD)", required=False)


class VoteForm(GovukErrorMessages, forms.Form):
    required_messages = {"choice": "Choose your school's vote"}

    choice = forms.ChoiceField(
        label="Your school's vote", choices=DecisionVote.Choice.choices, widget=forms.RadioSelect
    )


class CloseDecisionForm(GovukErrorMessages, forms.Form):
    required_messages = {"outcome": "Enter the outcome"}

    outcome = forms.CharField(label="Outcome", max_length=300)


class AddNetworkMemberForm(GovukErrorMessages, forms.Form):
    required_messages = {"person": "Choose a person"}

    person = PersonChoiceField(label="Person")

    def __init__(self, *args, people=(), **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.people = self.fields["person"].set_people(people)


class RoleForm(GovukErrorMessages, forms.Form):
    required_messages = {"role": "Choose a role"}

    role = forms.ChoiceField(label="Role", choices=[(v, label) for v, label in Role.choices if v in SCHOOL_ROLES])
    subject = forms.ChoiceField(
        label="Subject (for subject or curriculum leaders)",
        required=False,
        choices=[("", "Not a subject leader")] + [(s, s) for s in SUBJECTS],
    )

    def clean(self) -> dict:  # type: ignore[type-arg]
        data = super().clean() or {}
        if data.get("role") != Role.SUBJECT_LEADER:  # the service checks a subject leader's subject
            data["subject"] = ""
        return data


class InvitationAcceptForm(GovukErrorMessages, forms.Form):
    required_messages = {
        "full_name": "Enter your full name",
        "password1": "Enter a password",
        "password2": "Enter the password again",
    }

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


class InvitationForm(GovukErrorMessages, forms.Form):
    required_messages = {
        "full_name": "Enter their full name",
        "email": "Enter their email address",
        "roles": "Choose at least one role",
    }

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
