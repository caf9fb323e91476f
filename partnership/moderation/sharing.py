"""The moderation part of a school's data-sharing record: each of its samples in a partnership's
exemplar bank, there with the school's consent (who gave it, when, and any withdrawal), read from
the exemplar itself; earlier consents and withdrawals of the same sample come from the audit log."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from partnership.core.models import AuditEvent
from partnership.core.registry import SharingChoiceRecord, SharingDecision
from partnership.moderation.models import Exemplar

IN_BANK = "In the partnership's exemplar bank (pseudonymised)"
WITHDRAWN = "Withdrawn from the exemplar bank"
NOTE = (
    "The bank shows the work, its standard and the moderators' annotation under the sample's code; the "
    "pupil's name, UPN and class teacher stay with the school."
)


def _actor(event: AuditEvent) -> str:
    return str(event.actor) if event.actor is not None else event.actor_label


def school_exemplar_sharing(school: Any) -> list[SharingChoiceRecord]:
    """One record per exemplar of the school's samples, newest consent first. Two queries, whatever
    the exemplars: the exemplars (with their sessions and the people who decided) and their audit
    events."""
    exemplars = list(
        Exemplar.objects.filter(sample__school=school)
        .select_related("sample__session__partnership", "consented_by", "withdrawn_by")
        .order_by("-consented_at", "-pk")
    )
    if not exemplars:
        return []
    earlier: dict[str, list[AuditEvent]] = {}
    for event in (
        AuditEvent.objects.filter(
            object_type="moderation.exemplar",
            object_id__in=[str(exemplar.pk) for exemplar in exemplars],
            verb__in=["consent", "withdraw"],
        )
        .select_related("actor")
        .order_by("-at", "-id")
    ):
        earlier.setdefault(event.object_id, []).append(event)
    records = []
    for exemplar in exemplars:
        sample, session = exemplar.sample, exemplar.sample.session
        decisions = [SharingDecision(IN_BANK, str(exemplar.consented_by), exemplar.consented_at)]
        if exemplar.withdrawn_at is not None:
            by = exemplar.withdrawn_by
            decisions.insert(0, SharingDecision(WITHDRAWN, str(by) if by else "", exemplar.withdrawn_at))
        # The exemplar keeps its latest consent; a consent given (and withdrawn) before that is in the log.
        decisions += [
            SharingDecision(IN_BANK if event.verb == "consent" else WITHDRAWN, _actor(event), event.at)
            for event in earlier.get(str(exemplar.pk), [])
            if event.at < exemplar.consented_at
        ]
        records.append(
            SharingChoiceRecord(
                subject="Moderation exemplars",
                item=f"Moderation exemplar {sample.code}: {session.title}, {session.year_label}",
                partnership=session.partnership.name,
                current=decisions[0],
                history=tuple(decisions[1:]),
                url=reverse("moderation:sample_detail", args=[sample.pk]),
                note=NOTE,
            )
        )
    return records
