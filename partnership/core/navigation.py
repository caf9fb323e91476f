"""The service navigation, one entry per capability that is built.

A capability appears here when its pages exist; nothing links to pages that are not built.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    section: str  # matched against the first path segment to mark the current item


NAVIGATION: list[NavItem] = [
    NavItem("Home", "home", ""),
    NavItem("Partnerships", "directory:partnership_list", "partnerships"),
    NavItem("Schools", "directory:school_list", "schools"),
    NavItem("People", "directory:person_list", "people"),
    NavItem("Networks", "directory:network_list", "networks"),
    NavItem("Meetings", "meetings:index", "meetings"),
    NavItem("Plans", "plans:index", "plans"),
    NavItem("Outcomes", "outcomes:index", "outcomes"),
    NavItem("Actions", "actions:mine", "actions"),
]
