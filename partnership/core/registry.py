"""What each app contributes to the shell of the platform, declared from its `AppConfig.ready()`:
service navigation entries, home-page panels and demo data loaders. Core keeps the lists; it never
imports the apps, so a new app plugs in by registering here.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    section: str  # matched against the first path segment to mark the current item
    order: int = 100


@dataclass(frozen=True)
class HomePanel:
    """A card on each person's home page: a template (its context variable is `panel`) and the
    function that makes its context for this request (None: no card for this person)."""

    key: str
    template: str
    context: Callable[[HttpRequest], dict[str, Any] | None]
    column: str = "right"  # "left" or "right"
    order: int = 100


@dataclass(frozen=True)
class NetworkSection:
    """A section of a network's page contributed by another app (its meetings, for one): a template
    (its context variable is `panel`) and the function that makes its context for this request and
    network."""

    key: str
    template: str
    context: Callable[[HttpRequest, Any], dict[str, Any] | None]
    order: int = 100


@dataclass
class DemoOutcome:
    summary: str  # e.g. "12 plans"
    accounts: list[tuple[str, str]] = field(default_factory=list)  # (email, what the account is)
    note: str = ""


@dataclass(frozen=True)
class DemoLoader:
    name: str
    load: Callable[[str, datetime.date], DemoOutcome]  # given the demo password and the day it loads
    order: int = 100


NAVIGATION: list[NavItem] = []
HOME_PANELS: list[HomePanel] = []
NETWORK_SECTIONS: list[NetworkSection] = []
DEMO_LOADERS: list[DemoLoader] = []


def _add(items: list[Any], item: Any, key: Callable[[Any], Any]) -> None:
    if any(key(existing) == key(item) for existing in items):
        return  # registered once per process, whatever reloads AppConfig.ready()
    items.append(item)
    items.sort(key=lambda entry: entry.order)


def register_nav(item: NavItem) -> None:
    _add(NAVIGATION, item, lambda entry: entry.url_name)


def register_home_panel(panel: HomePanel) -> None:
    _add(HOME_PANELS, panel, lambda entry: entry.key)


def register_network_section(section: NetworkSection) -> None:
    _add(NETWORK_SECTIONS, section, lambda entry: entry.key)


def register_demo(loader: DemoLoader) -> None:
    _add(DEMO_LOADERS, loader, lambda entry: entry.name)


@dataclass(frozen=True)
class SchoolEvidence:
    """Something another app knows about a school that a self-evaluation, a review's focus or a
    support request can point to: an outcome measure, a data flag, a plan priority."""

    kind: str  # "measure", "flag", "priority" (the `SefEvidence.Kind` values)
    ref: str  # stable within its kind, e.g. "ks2_rwm_exs:2025" or "priority:12"
    label: str  # as people say it: "KS2 reading, writing and maths: 52% (national 62%)"
    url: str = ""
    area_keys: tuple[str, ...] = ()  # framework area keys it bears on, e.g. ("achievement",)
    concern: bool = False  # a weakness: a flag, a measure well below national, a plan priority
    detail: str = ""
    # What it is about in the good practice register's words (`goodpractice.PracticeArea` keys such
    # as "maths", "reading", "eyfs", "send", "disadvantaged"): how a need finds a strength.
    topics: tuple[str, ...] = ()
    strength: bool = False  # a proven strength: a measure significantly above national, an endorsed Area of Excellence


@dataclass(frozen=True)
class EvidenceSource:
    """An app's contribution to `school_evidence`: (user, school, academic year) -> evidence the
    user may see (the source applies the access policy itself)."""

    key: str
    collect: Callable[[Any, Any, int], list[SchoolEvidence]]
    order: int = 100


EVIDENCE_SOURCES: list[EvidenceSource] = []


def register_evidence_source(source: EvidenceSource) -> None:
    _add(EVIDENCE_SOURCES, source, lambda entry: entry.key)


def school_evidence(user: Any, school: Any, academic_year: int) -> list[SchoolEvidence]:
    """What every registered app offers as evidence about a school for a year, in source order."""
    found: list[SchoolEvidence] = []
    for source in EVIDENCE_SOURCES:
        found.extend(source.collect(user, school, academic_year))
    return found


@dataclass(frozen=True)
class PracticeSource:
    """What an app knows about schools' practice beyond the evidence a self-evaluation links to: the
    areas for development and strengths of self-evaluations and peer reviews, endorsed Areas of
    Excellence, moderation agreement. `collect_many` is (user, schools, academic year) -> {school
    id: items this person may see}, in a number of queries that does not grow with the schools."""

    key: str
    collect_many: Callable[[Any, list[Any], int], dict[int, list[SchoolEvidence]]]
    order: int = 100


PRACTICE_SOURCES: list[PracticeSource] = []


def register_practice_source(source: PracticeSource) -> None:
    _add(PRACTICE_SOURCES, source, lambda entry: entry.key)


def schools_practice(user: Any, schools: list[Any], academic_year: int) -> dict[int, list[SchoolEvidence]]:
    """Everything the practice sources offer about each of `schools` for a year: {school id: items},
    every school present, in source order."""
    found: dict[int, list[SchoolEvidence]] = {school.pk: [] for school in schools}
    for source in PRACTICE_SOURCES:
        for school_id, items in source.collect_many(user, schools, academic_year).items():
            if school_id in found:
                found[school_id].extend(items)
    return found


@dataclass(frozen=True)
class SharingDecision:
    """One decision a school made about what it shares: the choice in force or an earlier one."""

    level: str  # as people say it: "Everyone in our partnerships", "Not shared"
    decided_by: str  # the person's name, or "" where nobody is recorded
    decided_at: datetime.datetime | None


@dataclass(frozen=True)
class SharingChoiceRecord:
    """A choice a school has made about what it shares with a partnership, read from where the
    choice lives (a plan, a SEF, a review report, a register entry, a partnership's threshold)."""

    subject: str  # what kind of thing: "Plan priorities", "Self-evaluation", "Outcome aggregates"
    item: str  # which one: "School Development Plan 2026/27"
    partnership: str  # the partnership it is shared with, or "Each partnership"
    current: SharingDecision
    history: tuple[SharingDecision, ...] = ()  # earlier decisions, newest first
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class SharingSource:
    """An app's contribution to a school's data-sharing record: school -> its choices."""

    key: str
    collect: Callable[[Any], list[SharingChoiceRecord]]
    order: int = 100


SHARING_SOURCES: list[SharingSource] = []


def register_sharing_source(source: SharingSource) -> None:
    _add(SHARING_SOURCES, source, lambda entry: entry.key)


def sharing_record(school: Any) -> list[SharingChoiceRecord]:
    """Every data-sharing choice the registered apps hold for a school, in source order."""
    found: list[SharingChoiceRecord] = []
    for source in SHARING_SOURCES:
        found.extend(source.collect(school))
    return found
