from typing import Any

from django.apps import AppConfig

from partnership.core import registry


class PlansConfig(AppConfig):
    name = "partnership.plans"
    label = "plans"

    def ready(self) -> None:
        from partnership.plans import demo, policy

        policy.register()
        registry.register_nav(registry.NavItem("Plans", "plans:index", "plans", order=60))
        registry.register_demo(registry.DemoLoader("plans", demo.demo_outcome, 20))
        registry.register_evidence_source(registry.EvidenceSource("plans", _plan_evidence, 30))
        registry.register_sharing_source(registry.SharingSource("plans", _plan_sharing, 10))
        registry.register_practice_source(registry.PracticeSource("plans", _plan_practice, 30))


def _plan_evidence(user: Any, school: Any, academic_year: int) -> list[registry.SchoolEvidence]:
    from partnership.plans.evidence import school_plan_evidence

    return school_plan_evidence(user, school, academic_year)


def _plan_sharing(school: Any) -> list[registry.SharingChoiceRecord]:
    from partnership.plans.sharing import school_plan_sharing

    return school_plan_sharing(school)


def _plan_practice(user: Any, schools: list[Any], academic_year: int) -> dict[int, list[registry.SchoolEvidence]]:
    from partnership.plans.evidence import schools_plan_practice

    return schools_plan_practice(user, schools, academic_year)
