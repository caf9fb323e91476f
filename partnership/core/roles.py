"""The roles people hold (PRODUCT.md "Users and roles"): school vocabulary every app shares.

School roles are held at the person's own school; partnership roles are held in one partnership.
"""

from django.db import models


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", "Platform administrator"
    COORDINATOR = "coordinator", "Partnership coordinator"
    HEADTEACHER = "headteacher", "Headteacher"
    SENIOR_LEADER = "senior_leader", "Senior leader"
    DATA_LEAD = "data_lead", "Data and assessment lead"
    SENCO = "senco", "SENCO"
    DSL = "dsl", "Designated safeguarding lead"
    BUSINESS_MANAGER = "business_manager", "School business manager"
    HSLW = "hslw", "Home school link worker"
    SUBJECT_LEADER = "subject_leader", "Subject or curriculum leader"
    TEACHER = "teacher", "Teacher"
    SUPPORT_STAFF = "support_staff", "Support staff"
    GOVERNOR = "governor", "Governor"
    CLERK = "clerk", "Clerk to governors"
    EXTERNAL_ADVISER = "external_adviser", "External adviser"


# Roles held in a partnership rather than at a school.
PARTNERSHIP_ROLES = frozenset({Role.COORDINATOR, Role.EXTERNAL_ADVISER})
# Platform-wide roles are a flag on the account, not an assignment.
SCHOOL_ROLES = frozenset(set(Role) - PARTNERSHIP_ROLES - {Role.PLATFORM_ADMIN})
# School staff (employees) as opposed to governance roles.
STAFF_ROLES = frozenset(SCHOOL_ROLES - {Role.GOVERNOR, Role.CLERK})
# Leaders who act for their school (agree the MoU, vote on decisions, invite colleagues).
SCHOOL_LEADER_ROLES = frozenset({Role.HEADTEACHER})

# Role networks a partnership has by default: name, role (and subject for curriculum leaders).
DEFAULT_ROLE_NETWORKS: list[tuple[str, str, str]] = [
    ("Headteachers", Role.HEADTEACHER, ""),
    ("Deputy and assistant heads", Role.SENIOR_LEADER, ""),
    ("SENCOs", Role.SENCO, ""),
    ("Designated safeguarding leads", Role.DSL, ""),
    ("School business managers", Role.BUSINESS_MANAGER, ""),
    ("Home school link workers", Role.HSLW, ""),
    ("Governors", Role.GOVERNOR, ""),
    ("English curriculum leaders", Role.SUBJECT_LEADER, "English"),
    ("Maths curriculum leaders", Role.SUBJECT_LEADER, "Maths"),
]

SUBJECTS = [
    "English",
    "Maths",
    "Science",
    "Computing",
    "History",
    "Geography",
    "Art and design",
    "Design and technology",
    "Music",
    "PE",
    "Languages",
    "RE",
    "PSHE",
    "EYFS",
]
