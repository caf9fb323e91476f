"""Forms for the outcomes pages. They only parse input: the checks on a file's contents live in the
import service, which the command and the API call too."""

from __future__ import annotations

from typing import Any

from django import forms

from partnership.core import uploads
from partnership.core.errors import ApplicationError
from partnership.core.forms import GovukErrorMessages
from partnership.outcomes.imports import MAX_BYTES, TOO_BIG


class ResultFileForm(GovukErrorMessages, forms.Form):
    required_messages = {"file": "Choose a results file to upload"}

    file = forms.FileField(
        label="Results file",
        help_text=f"The CSV template or a CTF exported from your MIS, up to {uploads.size_label(MAX_BYTES)}.",
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            uploads.check_size(upload.size, MAX_BYTES, too_big=TOO_BIG)
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message) from None
        return upload
