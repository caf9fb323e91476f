"""The managed list of register areas as shipped: (key, name, framework area keys that bear on it).

Keys are the registry's `SchoolEvidence.topics` words, so a data flag in maths finds the maths
entries. The list lives in the database (`PracticeArea`, changed in the admin); this is what the
migration puts there and what the tests and demo start from."""

from __future__ import annotations

from typing import Any

SHIPPED_AREAS: tuple[tuple[str, str, str], ...] = (
    ("eal", "EAL (English as an additional language)", ""),
    ("maths", "Maths", ""),
    ("reading", "Reading", ""),
    ("writing", "Writing", ""),
    ("phonics", "Phonics and early reading", ""),
    ("eyfs", "Early years (EYFS)", "early-years"),
    ("send", "SEND", "inclusion,disadvantaged-send"),
    ("disadvantaged", "Disadvantaged pupils", "inclusion,disadvantaged-send"),
    ("science", "Science", ""),
    ("pe", "PE and sport", ""),
    ("arts", "Art and design", ""),
    ("music", "Music", ""),
    ("safeguarding", "Safeguarding", "safeguarding"),
    ("attendance", "Attendance", "attendance-behaviour"),
    ("behaviour", "Behaviour", "attendance-behaviour,behaviour-attitudes"),
    ("personal-development", "Personal development and well-being", "personal-development"),
    (
        "curriculum",
        "Curriculum and teaching",
        "curriculum-teaching,quality-of-education,curriculum,quality-of-provision",
    ),
    ("leadership", "Leadership", "leadership-governance,leadership-management,leadership"),
    ("governance", "Governance", "leadership-governance"),
)


def load(model: Any) -> None:
    """Put the shipped areas into `model` (the migration's historical model or `PracticeArea`),
    keeping any an administrator changed."""
    for order, (key, name, framework_keys) in enumerate(SHIPPED_AREAS, start=1):
        model.objects.get_or_create(
            key=key, defaults={"name": name, "order": order * 10, "framework_keys": framework_keys}
        )


def ensure_shipped(model: Any) -> None:
    """Load the shipped areas if there are none at all (a flushed test database)."""
    if not model.objects.exists():
        load(model)
