"""Forms of the comparative-judgement pages."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms

from partnership.core.forms import GovukErrorMessages, PersonChoiceField
from partnership.moderation.models import CJScript, CJSession, ModerationSession
from partnership.moderation.scales import SUBJECTS, YEAR_GROUPS


def _session_label(s: ModerationSession) -> str:
    return f"{s.title}, {s.date:%-d %B %Y}"


class CJSessionForm(GovukErrorMessages, forms.Form):
    required_messages: ClassVar[dict[str, str]] = {
        "name": "Enter a name for the session",
        "sources": "Choose the moderation session whose samples are the scripts",
    }

    name = forms.CharField(label="Name", max_length=150)
    subject = forms.ChoiceField(label="Subject", choices=SUBJECTS, initial="writing")
    year_group = forms.ChoiceField(label="Year group", choices=YEAR_GROUPS, initial="6")
    sources = forms.MultipleChoiceField(
        label="Scripts from",
        widget=forms.CheckboxSelectMultiple,
        help_text="The samples (with at least one page) of these moderation sessions become the scripts.",
    )
    per_script = forms.IntegerField(
        label="Judgements per script",
        min_value=1,
        max_value=40,
        initial=10,
        help_text="10 is usual; 20 for a tight scale.",
    )
    cross_school_every = forms.IntegerField(
        label="Every how many pairs shows two other schools' scripts side by side",
        min_value=0,
        max_value=50,
        initial=5,
        help_text="5 means every fifth pair; 0 turns this off.",
    )

    def __init__(self, *args: Any, sessions: list[ModerationSession], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sessions = {str(s.pk): s for s in sessions}
        sources: Any = self.fields["sources"]
        sources.choices = [(str(s.pk), _session_label(s)) for s in sessions]

    def clean_sources(self) -> list[ModerationSession]:
        return [self.sessions[v] for v in self.cleaned_data["sources"]]


class SourceForm(GovukErrorMessages, forms.Form):
    required_messages: ClassVar[dict[str, str]] = {"source": "Choose a moderation session"}

    source = forms.ChoiceField(label="Add the samples of")

    def __init__(self, *args: Any, sessions: list[ModerationSession], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sessions = {str(s.pk): s for s in sessions}
        source: Any = self.fields["source"]
        source.choices = [("", "Choose a moderation session")] + [(str(s.pk), _session_label(s)) for s in sessions]

    def clean_source(self) -> ModerationSession:
        return self.sessions[self.cleaned_data["source"]]


class JudgeForm(GovukErrorMessages, forms.Form):
    required_messages: ClassVar[dict[str, str]] = {"person": "Choose a person to invite"}

    person = PersonChoiceField(label="Invite a judge")

    def __init__(self, *args: Any, people: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].set_people(people)  # type: ignore[attr-defined]


class BoundaryForm(GovukErrorMessages, forms.Form):
    boundary = forms.ChoiceField(label="Boundary", choices=CJScript.Boundary.choices, required=False)


class AnchorForm(GovukErrorMessages, forms.Form):
    required_messages: ClassVar[dict[str, str]] = {"scripts": "Choose at least one script to anchor to"}

    scripts = forms.MultipleChoiceField(label="Scripts to anchor to", widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, earlier: CJSession, scripts: list[CJScript], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.by_pk = {str(s.pk): s for s in scripts}
        field: Any = self.fields["scripts"]
        field.choices = [(str(s.pk), f"{s.sample.code} (score {s.score:.2f})") for s in scripts if s.score is not None]
        field.label = f"Scripts of {earlier.name} to anchor to"

    def clean_scripts(self) -> list[CJScript]:
        return [self.by_pk[v] for v in self.cleaned_data["scripts"]]
