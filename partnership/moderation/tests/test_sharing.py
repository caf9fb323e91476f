"""The moderation part of a school's data-sharing record: each exemplar's consent, its withdrawal
and earlier consents, never the pupil's identity, in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnership.moderation import samples
from partnership.moderation.sharing import IN_BANK, WITHDRAWN, school_exemplar_sharing
from partnership.moderation.tests import factories

pytestmark = pytest.mark.django_db


def _agreed(w, session, school=None, **kwargs):
    sample = factories.sample(session, school or w.own, by=w["teacher"], **kwargs)
    samples.record_judgement(sample, actor=w["partner_teacher"], judgement="EXS")
    return sample


@pytest.fixture
def session(shared_world):
    w = shared_world
    return factories.session(w.home, host=w.partner, by=w["coordinator"])


def test_an_exemplar_in_the_bank_shows_who_consented_and_when(shared_world, session):
    w = shared_world
    sample = _agreed(w, session, pupil="Ada Lovelace", upn="A123456789012")
    exemplar = samples.offer_exemplar(sample, actor=w["head"], annotation="Cohesion across paragraphs.")

    [record] = school_exemplar_sharing(w.own)

    assert (record.subject, record.partnership) == ("Moderation exemplars", "Home Partnership")
    assert record.item.startswith(f"Moderation exemplar {sample.code}: ")
    assert (record.current.level, record.current.decided_by) == (IN_BANK, str(w["head"]))
    assert record.current.decided_at == exemplar.consented_at and record.history == ()
    assert record.url.endswith(f"/samples/{sample.pk}/")
    shown = f"{record.item} {record.note} {record.current}"
    assert "Ada" not in shown and "A123456789012" not in shown and str(w["teacher"]) not in shown


def test_withdrawn_and_offered_again_lists_every_decision_newest_first(shared_world, session):
    w = shared_world
    sample = _agreed(w, session)
    exemplar = samples.offer_exemplar(sample, actor=w["head"], annotation="First")
    samples.withdraw_exemplar(exemplar, actor=w["senco"])
    samples.offer_exemplar(sample, actor=w["head"], annotation="Renewed")
    samples.withdraw_exemplar(exemplar, actor=w["head"])

    [record] = school_exemplar_sharing(w.own)

    assert [(d.level, d.decided_by) for d in (record.current, *record.history)] == [
        (WITHDRAWN, str(w["head"])),
        (IN_BANK, str(w["head"])),
        (WITHDRAWN, str(w["senco"])),
        (IN_BANK, str(w["head"])),
    ]
    times = [d.decided_at for d in (record.current, *record.history)]
    assert times == sorted(times, reverse=True)


def test_only_the_school_s_own_samples_are_listed(shared_world, session):
    w = shared_world
    other = _agreed(w, session, school=w.partner)
    samples.offer_exemplar(other, actor=w["partner_head"], annotation="Theirs")
    assert school_exemplar_sharing(w.own) == []


def _queries(school):
    with CaptureQueriesContext(connection) as queries:
        records = school_exemplar_sharing(school)
    return len(queries), len(records)


def test_the_query_count_does_not_grow_with_the_exemplars(shared_world, session):
    w = shared_world
    samples.offer_exemplar(_agreed(w, session), actor=w["head"], annotation="One")
    few = _queries(w.own)
    for _ in range(4):
        exemplar = samples.offer_exemplar(_agreed(w, session), actor=w["head"], annotation="More")
        samples.withdraw_exemplar(exemplar, actor=w["head"])
    assert few == (2, 1)
    assert _queries(w.own) == (2, 5)
