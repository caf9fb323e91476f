"""The demo moderation loads on top of the directory's demo data, once, with pseudonymised samples,
judgements, an exemplar and attendance for each partnership."""

from __future__ import annotations

import datetime
import io

import pytest
from PIL import Image

from partnership.directory.demo import load_demo
from partnership.directory.models import Partnership
from partnership.moderation import cj_results
from partnership.moderation.demo import load_moderation_demo
from partnership.moderation.models import (
    Attendance,
    CJPair,
    CJScript,
    CJSession,
    Exemplar,
    ModerationSession,
    ModeratorJudgement,
    Sample,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 2)


def test_the_demo_loads_once_with_every_part(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load_demo("demo-password-123", TODAY)
    made = load_moderation_demo(TODAY)
    partnerships = Partnership.objects.filter(moderation_sessions__isnull=False).distinct().count()
    assert partnerships > 0 and made == 6 * partnerships
    counts = {
        m.__name__: m.objects.count() for m in (ModerationSession, Sample, ModeratorJudgement, Exemplar, Attendance)
    }
    assert load_moderation_demo(TODAY) == 0
    assert {
        m.__name__: m.objects.count() for m in (ModerationSession, Sample, ModeratorJudgement, Exemplar, Attendance)
    } == counts
    assert all(counts[name] > 0 for name in counts)
    # every judged sample was judged by someone from another school, on the session's scale
    for judgement in ModeratorJudgement.objects.select_related("sample__session", "moderator"):
        assert judgement.moderator.school_id != judgement.sample.school_id
    assert ModeratorJudgement.objects.exclude(judgement=models_teacher()).exists()  # some disagreement
    statuses = set(ModerationSession.objects.values_list("status", flat=True))
    assert statuses == {"open", "moderating", "closed"}
    # comparative judgement: last year's closed with its scale, this year's anchored and under way
    closed = CJSession.objects.filter(status=CJSession.Status.CLOSED)
    judging = CJSession.objects.filter(status=CJSession.Status.JUDGING)
    assert closed.count() == judging.count() == partnerships
    assert not CJScript.objects.filter(session__in=closed, score__isnull=True).exists()
    assert CJScript.objects.filter(session__in=judging, anchor_score__isnull=False).exclude(boundary="").count() >= 2
    assert CJPair.objects.filter(session__in=judging, chosen="").exists()
    assert CJPair.objects.filter(session__in=judging).exclude(chosen="").exists()
    # the bigger partnership's scale is reliable (its judges follow the teachers' judgements closely
    # enough); a small partnership's few scripts read as "more judgements needed", as they would
    ssr = sorted(cj_results.fit_session(session).fit.ssr for session in closed)
    assert ssr[-1] >= 0.7
    page = Sample.objects.first().files.first()
    with Image.open(io.BytesIO(page.file.open("rb").read())) as image:
        assert not image.getexif()


def models_teacher():
    from django.db.models import F

    return F("sample__teacher_judgement")
