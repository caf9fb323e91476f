import datetime
from typing import Any

from django.apps import AppConfig

from partnership.core import registry


class OutcomesConfig(AppConfig):
    name = "partnership.outcomes"
    label = "outcomes"

    def ready(self) -> None:
        from partnership.outcomes import policy

        policy.register()
        _invalidate_figures_on_change()
        registry.register_nav(registry.NavItem("Outcomes", "outcomes:index", "outcomes", order=70))
        registry.register_demo(registry.DemoLoader("outcomes", _load_demo, 40))
        registry.register_evidence_source(registry.EvidenceSource("outcomes", _outcome_evidence, 20))
        registry.register_sharing_source(registry.SharingSource("outcomes", _outcome_sharing, 20))
        registry.register_practice_source(registry.PracticeSource("outcomes", _outcome_practice, 20))


def _invalidate_figures_on_change() -> None:
    """Saves and deletes one at a time (the admin, other apps' services) move the figures'
    generation on; the import service, which writes in bulk, moves it itself."""
    from django.db.models.signals import post_delete, post_save

    from partnership.directory.models import Partnership, School
    from partnership.outcomes import models, services

    def changed(**kwargs: object) -> None:
        services.figures_changed()

    for model in (
        Partnership,
        School,
        models.Pupil,
        models.PupilYear,
        models.Result,
        models.TeacherAssessment,
        models.NationalFigure,
    ):
        post_save.connect(changed, sender=model, dispatch_uid=f"figures-{model.__name__}-save", weak=False)
        post_delete.connect(changed, sender=model, dispatch_uid=f"figures-{model.__name__}-delete", weak=False)


def _outcome_evidence(user: Any, school: Any, academic_year: int) -> list[registry.SchoolEvidence]:
    from partnership.outcomes.evidence import school_outcome_evidence

    return school_outcome_evidence(user, school, academic_year)


def _outcome_sharing(school: Any) -> list[registry.SharingChoiceRecord]:
    from partnership.outcomes.sharing import school_outcome_sharing

    return school_outcome_sharing(school)


def _outcome_practice(user: Any, schools: list[Any], academic_year: int) -> dict[int, list[registry.SchoolEvidence]]:
    from partnership.outcomes.evidence import schools_outcome_practice

    return schools_outcome_practice(user, schools, academic_year)


def _load_demo(password: str, today: datetime.date) -> registry.DemoOutcome:
    from partnership.outcomes import demo, services

    outcome = demo.demo_outcome(password, today)
    services.figures_changed()  # the demo writes in bulk
    return outcome
