"""Frameworks as data: a partnership's own, made in the app; edited in place until used, then copy
on write so past SEFs keep what they were written against."""

from __future__ import annotations

import pytest

from partnership.core import access
from partnership.core.errors import ApplicationError
from partnership.core.models import AuditEvent
from partnership.reviews import sef, sef_queries, shipped
from partnership.reviews.models import Framework, FrameworkArea, Grade, SefEntry
from partnership.reviews.tests import factories

pytestmark = pytest.mark.django_db


def own_framework(world, **kw):  # type: ignore[no-untyped-def]
    return sef.framework_create(
        partnership=world.home,
        name=kw.get("name", "Home framework"),
        areas=kw.get("areas", "Teaching\nLeadership\nSafeguarding (met or not met)\nEarly years (optional)"),
        grades=kw.get("grades", "Strong\nSecure\nDeveloping"),
        actor=world["coordinator"],
    )


def test_a_coordinator_builds_a_framework_from_lines(world):
    fw = own_framework(world)
    areas = list(fw.areas.order_by("number"))
    assert [(a.number, a.key, a.name, a.met_or_not, a.optional) for a in areas] == [
        (1, "teaching", "Teaching", False, False),
        (2, "leadership", "Leadership", False, False),
        (3, "safeguarding", "Safeguarding", True, False),
        (4, "early-years", "Early years", False, True),
    ]
    assert list(fw.grades.order_by("rank").values_list("label", flat=True)) == ["Strong", "Secure", "Developing"]
    assert fw.partnership == world.home and fw.version == 1 and fw.is_current
    assert AuditEvent.objects.filter(verb="create", object_type="reviews.framework", object_id=str(fw.pk)).exists()
    assert sef.areas_text(fw).splitlines()[2] == "Safeguarding (met or not met)"


def test_a_framework_can_start_as_a_copy_of_a_shipped_one(world):
    ofsted = factories.framework()
    fw = sef.framework_create(
        partnership=world.home, name="Our report card", copy_of=ofsted, actor=world["coordinator"]
    )
    assert list(fw.areas.values_list("key", flat=True)) == list(ofsted.areas.values_list("key", flat=True))
    assert fw.areas.get(key="safeguarding").met_or_not
    assert fw.areas.get(key="early-years").optional
    assert fw.grades.count() == 5 and fw.key == "our-report-card"


@pytest.mark.parametrize(
    ("areas", "grades", "field"),
    [("", "A\nB", "areas"), ("One\none", "A\nB", "areas"), ("One", "Only", "grades"), ("One", "A\na", "grades")],
)
def test_bad_areas_or_grades_are_refused(world, areas, grades, field):
    with pytest.raises(ApplicationError) as caught:
        own_framework(world, areas=areas, grades=grades)
    assert caught.value.field == field
    assert not Framework.objects.filter(partnership=world.home).exists()


def test_an_unused_framework_is_edited_in_place(world):
    fw = own_framework(world)
    same = sef.framework_update(
        framework=fw, name="Renamed", areas="Teaching\nCurriculum", grades="Good\nNot yet", actor=world["coordinator"]
    )
    assert same.pk == fw.pk and same.version == 1 and same.name == "Renamed"
    assert list(same.areas.values_list("key", flat=True)) == ["teaching", "curriculum"]
    assert Framework.objects.filter(partnership=world.home).count() == 1


def test_editing_a_used_framework_makes_a_new_version_and_never_changes_an_existing_sef(world):
    fw = own_framework(world)
    made = sef.sef_start(school=world.own, academic_year=2025, framework=fw, actor=world["head"])
    entry = made.entries.get(area__key="teaching")
    secure = fw.grades.get(label="Secure")
    sef.sef_update_entry(
        entry=entry, version=made.version, grade=secure, narrative="Good teaching.", actor=world["head"]
    )
    before = [
        (e.area.pk, e.area.name, e.area.key, e.grade.label if e.grade else "") for e in sef_queries.sef_entries(made)
    ]
    old_grades = list(fw.grades.values_list("pk", "label"))

    newer = sef.framework_update(
        framework=fw,
        name="Home framework",
        areas="Teaching and learning\nLeadership\nSafeguarding (met or not met)",
        grades="Excellent\nSecure\nDeveloping\nWeak",
        actor=world["coordinator"],
    )
    assert newer.pk != fw.pk and newer.key == fw.key and newer.version == 2 and newer.supersedes_id == fw.pk
    fw.refresh_from_db()
    assert not fw.is_current and newer.is_current
    made.refresh_from_db()
    assert made.framework_id == fw.pk
    after = [
        (e.area.pk, e.area.name, e.area.key, e.grade.label if e.grade else "") for e in sef_queries.sef_entries(made)
    ]
    assert after == before
    assert list(fw.grades.values_list("pk", "label")) == old_grades
    assert list(FrameworkArea.objects.filter(framework=fw).values_list("name", flat=True)) == [
        "Teaching", "Leadership", "Safeguarding", "Early years"
    ]  # fmt: skip
    # An unchanged area keeps its key across versions; a renamed one gets a new key.
    assert list(newer.areas.values_list("key", flat=True)) == ["teaching-and-learning", "leadership", "safeguarding"]
    with pytest.raises(ApplicationError):
        sef.framework_update(framework=fw, name="Old", areas="A", grades="x\ny", actor=world["coordinator"])


def test_a_framework_a_review_cycle_uses_is_copied_on_write(world):
    fw = own_framework(world)
    factories.cycle(world.home, by=world["coordinator"], framework=fw)
    newer = sef.framework_update(framework=fw, name="X", areas="Teaching", grades="A\nB", actor=world["coordinator"])
    assert newer.version == 2 and fw.cycles.count() == 1


def test_only_the_partnerships_coordinators_manage_its_framework_and_nobody_a_shipped_one(world):
    fw = own_framework(world)
    ofsted = factories.framework()
    assert access.can(world["coordinator"], "manage", fw)
    assert not access.can(world["other_coordinator"], "manage", fw)
    assert not access.can(world["head"], "manage", fw)
    assert not access.can(world["coordinator"], "manage", ofsted)
    assert access.can(world["head"], "view", ofsted) and access.can(world["head"], "view", fw)
    assert not access.can(world["outside_head"], "view", fw)


def test_frameworks_for_a_new_sef_load_the_shipped_ones_and_put_the_default_first(world):
    Framework.objects.filter(partnership__isnull=True).delete()
    offered = sef_queries.frameworks_for_new_sef(world["head"])
    assert offered[0].key == shipped.OFSTED_2025
    assert shipped.EIF_2019 not in [f.key for f in offered]
    assert shipped.EIF_2019 in [f.key for f in sef_queries.frameworks_for_new_sef(world["head"], include_historic=True)]
    assert Grade.objects.filter(framework__key=shipped.EIF_2019).count() == 4


def test_a_new_sef_cannot_use_a_superseded_framework(world):
    fw = own_framework(world)
    sef.sef_start(school=world.own, academic_year=2025, framework=fw, actor=world["head"])
    sef.framework_update(framework=fw, name="X", areas="Teaching", grades="A\nB", actor=world["coordinator"])
    fw.refresh_from_db()
    with pytest.raises(ApplicationError):
        sef.sef_start(school=world.partner, academic_year=2025, framework=fw, actor=world["partner_head"])
    assert SefEntry.objects.filter(sef__school=world.partner).count() == 0
