"""SEF services: start, edit per area with the version check, a version for every saved change,
the readable diff, evidence links, copy forward."""

from __future__ import annotations

import pytest

from partnership.core.errors import ApplicationError
from partnership.core.models import AuditEvent
from partnership.reviews import sef, sef_queries
from partnership.reviews.models import SefEvidence, SefVersion, SelfEvaluation, Sharing
from partnership.reviews.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(world):  # type: ignore[no-untyped-def]
    return sef.sef_start(school=world.own, academic_year=2025, framework=factories.framework(), actor=world["head"])


def entry_of(made, key):  # type: ignore[no-untyped-def]
    return made.entries.select_related("area", "sef").get(area__key=key)


def test_starting_a_sef_makes_an_entry_per_area_and_version_one(world, started):
    fw = started.framework
    assert list(started.entries.order_by("area__number").values_list("area__key", flat=True)) == list(
        fw.areas.order_by("number").values_list("key", flat=True)
    )
    assert started.version == 1 and started.sharing == Sharing.OWN_SCHOOL
    first = started.versions.get()
    assert first.number == 1 and first.author == world["head"]
    assert [a["key"] for a in first.snapshot["areas"]][0] == "inclusion"
    assert AuditEvent.objects.filter(verb="create", object_type="reviews.selfevaluation").exists()
    with pytest.raises(ApplicationError) as caught:
        sef.sef_start(school=world.own, academic_year=2025, framework=fw, actor=world["head"])
    assert caught.value.field == "academic_year"


def test_each_saved_change_writes_a_version_with_the_whole_sef(world, started):
    fw = started.framework
    strong = fw.grades.get(label="Strong standard")
    sef.sef_update_entry(
        entry=entry_of(started, "achievement"),
        version=1,
        grade=strong,
        narrative="Reading is strong.",
        strengths="Phonics\n\n  Reading for pleasure ",
        development="Maths fluency",
        actor=world["head"],
    )
    sef.sef_update_entry(
        entry=entry_of(started, "safeguarding"), version=2, met=True, grade=strong, actor=world["head"]
    )
    sef.sef_update_summary(sef=started, summary="A good year.", version=3, actor=world["head"])
    started.refresh_from_db()
    assert started.version == 4
    latest = started.versions.order_by("-number").first()
    areas = {a["key"]: a for a in latest.snapshot["areas"]}
    assert latest.snapshot["summary"] == "A good year."
    assert areas["achievement"]["grade"] == "Strong standard"
    assert areas["achievement"]["strengths"] == "Phonics\nReading for pleasure"
    assert areas["safeguarding"]["met"] is True and areas["safeguarding"]["grade"] == ""  # met / not met only
    assert SefVersion.objects.filter(sef=started).count() == 4
    assert AuditEvent.objects.filter(verb="update", object_type="reviews.selfevaluation").count() == 3


def test_a_second_leader_editing_at_once_does_not_overwrite_the_first(world, started):
    deputy = world["head"]
    entry = entry_of(started, "achievement")
    sef.sef_update_entry(entry=entry, version=1, narrative="First leader's words.", actor=deputy)
    with pytest.raises(ApplicationError) as caught:
        sef.sef_update_entry(
            entry=entry_of(started, "achievement"), version=1, narrative="Second's words.", actor=deputy
        )
    assert "Someone else saved a change" in caught.value.message
    assert entry_of(started, "achievement").narrative == "First leader's words."
    assert started.versions.count() == 2


def test_a_grade_from_another_framework_is_refused(world, started):
    other = factories.framework("ofsted-eif-2019").grades.first()
    with pytest.raises(ApplicationError) as caught:
        sef.sef_update_entry(entry=entry_of(started, "achievement"), version=1, grade=other, actor=world["head"])
    assert caught.value.field == "grade"


def test_the_diff_between_versions_reads_per_area_and_field(world, started):
    fw = started.framework
    entry = entry_of(started, "achievement")
    sef.sef_update_entry(
        entry=entry,
        version=1,
        grade=fw.grades.get(rank=2),
        narrative="Reading is strong in Year 6.",
        actor=world["head"],
    )
    sef.sef_update_entry(
        entry=entry_of(started, "achievement"),
        version=2,
        grade=fw.grades.get(rank=3),
        narrative="Reading is secure in Year 6.",
        actor=world["head"],
    )
    rows = sef_queries.version_history(started)
    assert [row.version.number for row in rows] == [3, 2, 1]
    lines = [c.line for c in rows[0].changes]
    assert "Achievement - self-grade: Strong standard -> Expected standard" in lines
    narrative = next(c for c in rows[0].changes if c.what == "narrative")
    assert str(narrative.marked) == "Reading is <del>strong</del><ins>secure</ins> in Year 6."
    assert rows[-1].changes == []


def test_the_word_diff_escapes_text():
    assert str(sef_queries.word_diff("a <b>", "a <i>")) == "a <del>&lt;b&gt;</del><ins>&lt;i&gt;</ins>"


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/x", "example.org", "https://"])
def test_evidence_links_are_http_or_https_only(world, started, url):
    with pytest.raises(ApplicationError) as caught:
        sef.evidence_add_link(entry=entry_of(started, "achievement"), label="Notes", url=url, actor=world["head"])
    assert caught.value.field == "url"
    assert not SefEvidence.objects.exists()


def test_evidence_added_and_removed_is_in_the_versions(world, started):
    evidence = sef.evidence_add_link(
        entry=entry_of(started, "achievement"),
        label="Moderation notes",
        url="https://example.org/m",
        actor=world["head"],
    )
    assert evidence.kind == SefEvidence.Kind.DOCUMENT
    sef.evidence_remove(evidence=evidence, actor=world["head"])
    rows = sef_queries.version_history(started)
    assert [c.line for c in rows[1].changes] == ["Achievement - evidence added: none -> Moderation notes"]
    assert [c.line for c in rows[0].changes] == ["Achievement - evidence removed: Moderation notes -> none"]


def test_copy_forward_keeps_matching_areas_and_evidence_and_resets_sharing(world, started):
    fw = started.framework
    sef.sef_update_entry(
        entry=entry_of(started, "achievement"),
        version=1,
        grade=fw.grades.get(rank=2),
        narrative="Strong.",
        actor=world["head"],
    )
    sef.evidence_add_link(
        entry=entry_of(started, "achievement"), label="Notes", url="https://example.org/n", actor=world["head"]
    )
    sef.sef_share(sef=started, level=Sharing.PARTNERSHIP, actor=world["head"])
    started.refresh_from_db()
    new = sef.sef_copy_forward(sef=started, academic_year=2026, actor=world["head"])
    assert new.academic_year == 2026 and new.copied_from == started and new.sharing == Sharing.OWN_SCHOOL
    achievement = entry_of(new, "achievement")
    assert achievement.grade.label == "Strong standard" and achievement.narrative == "Strong."
    assert list(achievement.evidence.values_list("label", "url")) == [("Notes", "https://example.org/n")]
    assert new.versions.get().snapshot["areas"][2]["evidence"] == ["Notes"]
    # The old SEF is untouched.
    assert entry_of(started, "achievement").evidence.count() == 1


def test_copy_forward_to_another_framework_copies_only_the_areas_it_shares(world, started):
    fw = started.framework
    sef.sef_update_entry(
        entry=entry_of(started, "early-years"),
        version=1,
        grade=fw.grades.get(rank=1),
        narrative="EY.",
        actor=world["head"],
    )
    sef.sef_update_entry(entry=entry_of(started, "achievement"), version=2, narrative="Ach.", actor=world["head"])
    peer = factories.framework("peer-review-estimates")
    new = sef.sef_copy_forward(sef=started, academic_year=2026, framework=peer, actor=world["head"])
    assert new.framework == peer
    early = entry_of(new, "early-years")
    assert early.narrative == "EY." and early.grade is None  # "Exceptional" is not on that scale
    assert all(not e.narrative for e in new.entries.exclude(area__key="early-years"))
    assert SelfEvaluation.objects.filter(school=world.own).count() == 2


def test_a_sef_made_without_the_services_gets_a_baseline_before_its_first_change(world):
    made = factories.sef(world.own, by=world["head"])
    assert not made.versions.exists()
    entry = made.entries.select_related("area", "sef").get(area__key="achievement")
    sef.sef_update_entry(entry=entry, version=1, narrative="What we know now.", actor=world["teacher"])
    rows = sef_queries.version_history(made)
    assert [(row.version.number, row.version.author) for row in rows] == [(2, world["teacher"]), (1, world["head"])]
    assert [c.line for c in rows[0].changes] == [
        "Achievement - self-grade: Expected standard -> none",
        "Achievement - narrative: What we know about achievement. -> What we know now.",
        "Achievement - areas for development: Next step in achievement -> none",
    ]
