"""The evaluation frameworks shipped with the platform, as plain data (DOMAIN.md "The inspection
framework"). The data migration loads them; a partnership builds its own in the app."""

from __future__ import annotations

from typing import Any

OFSTED_2025 = "ofsted-report-card-2025"
EIF_2019 = "ofsted-eif-2019"
PEER_REVIEW = "peer-review-estimates"

FRAMEWORKS: list[dict[str, Any]] = [
    {
        "key": OFSTED_2025,
        "name": "Ofsted report card (from November 2025)",
        "description": "Ofsted's school inspection toolkit for report-card inspections from November 2025: "
        "each evaluation area is graded on a five-point scale; safeguarding is judged met or not met. "
        "These grades are not comparable with the 2019 framework's.",
        "source_url": "https://www.gov.uk/government/publications/school-inspection-toolkit-operating-guide-and-information",
        "is_default": True,
        "is_historic": False,
        "areas": [
            ("inclusion", "Inclusion", False, False),
            ("curriculum-teaching", "Curriculum and teaching", False, False),
            ("achievement", "Achievement", False, False),
            ("attendance-behaviour", "Attendance and behaviour", False, False),
            ("personal-development", "Personal development and well-being", False, False),
            ("leadership-governance", "Leadership and governance", False, False),
            ("early-years", "Early years", False, True),
            ("safeguarding", "Safeguarding", True, False),
        ],
        "grades": ["Exceptional", "Strong standard", "Expected standard", "Needs attention", "Urgent improvement"],
    },
    {
        "key": EIF_2019,
        "name": "Ofsted education inspection framework (2019)",
        "description": "The framework Ofsted used until November 2025, kept for past self-evaluations.",
        "source_url": "https://www.gov.uk/government/publications/education-inspection-framework",
        "is_default": False,
        "is_historic": True,
        "areas": [
            ("quality-of-education", "Quality of education", False, False),
            ("behaviour-attitudes", "Behaviour and attitudes", False, False),
            ("personal-development", "Personal development", False, False),
            ("leadership-management", "Leadership and management", False, False),
            ("early-years", "Early years", False, True),
        ],
        "grades": ["Outstanding", "Good", "Requires improvement", "Inadequate"],
    },
    {
        "key": PEER_REVIEW,
        "name": "Peer review estimates",
        "description": "A peer-review scale in the style of Challenge Partners' QA Review: the team's "
        "estimate for each area. Like that review, it leaves safeguarding and governance to others.",
        "source_url": "",
        "is_default": False,
        "is_historic": False,
        "areas": [
            ("leadership", "Leadership at all levels", False, False),
            ("quality-of-provision", "Quality of provision and outcomes", False, False),
            ("disadvantaged-send", "Provision for disadvantaged pupils and pupils with SEND", False, False),
            ("curriculum", "Curriculum", False, False),
            ("early-years", "Early years", False, True),
        ],
        "grades": ["Leading", "Effective", "Working towards", "Ineffective"],
    },
]


def load(framework_model: Any, area_model: Any, grade_model: Any) -> None:
    """Create the shipped frameworks that are not there yet (safe to run again)."""
    for spec in FRAMEWORKS:
        framework, created = framework_model.objects.get_or_create(
            key=spec["key"],
            version=1,
            partnership=None,
            defaults={
                "name": spec["name"],
                "description": spec["description"],
                "source_url": spec["source_url"],
                "is_default": spec["is_default"],
                "is_historic": spec["is_historic"],
            },
        )
        if not created:
            continue
        for number, (key, name, met_or_not, optional) in enumerate(spec["areas"], start=1):
            area_model.objects.create(
                framework=framework, number=number, key=key, name=name, met_or_not=met_or_not, optional=optional
            )
        for rank, label in enumerate(spec["grades"], start=1):
            grade_model.objects.create(framework=framework, rank=rank, label=label)
