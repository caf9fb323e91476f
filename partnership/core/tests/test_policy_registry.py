"""The access policy is declared by each app and assembled here; the written table cannot drift."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from partnership.core import access
from partnership.core.management.commands.access_policy import with_table


def test_the_written_policy_in_docs_is_the_one_the_apps_declare():
    doc = (Path(settings.BASE_DIR) / "docs" / "access-policy.md").read_text()
    assert with_table(doc) == doc, "docs/access-policy.md is stale: run `manage.py access_policy --write`"


def test_every_model_of_the_platform_has_a_written_scope():
    # A model without a scope is visible to nobody but administrators: every one of ours says who sees it.
    models = {m._meta.label_lower for m in apps.get_models() if m.__module__.startswith("partnership.")}
    assert models - set(access.SCOPES) == set()


def test_every_scope_and_rule_names_a_real_model():
    labels = set(access.SCOPES) | {label for label, _ in access.RULES} | set(access.ACTION_PLACES)
    for label in labels:
        apps.get_model(label)


def test_pupil_level_models_are_the_outcomes_pupil_rows_and_the_moderation_samples_pupil():
    assert access.PUPIL_LEVEL_MODELS == {
        "moderation.sampleidentity",
        "outcomes.pupil",
        "outcomes.pupilyear",
        "outcomes.result",
        "outcomes.teacherassessment",
        "outcomes.resultimport",
    }


def test_a_rule_cannot_be_declared_twice():
    with pytest.raises(ImproperlyConfigured):
        access.register("directory.school", scope=lambda p: None)  # type: ignore[arg-type,return-value]
    with pytest.raises(ImproperlyConfigured):
        access.register("directory.school", rules={"manage": lambda p, o: True})


def test_personal_actions_are_the_moderators_judgement_and_the_schools_consent():
    # Nobody does these for someone else: not even a platform administrator.
    assert access.PERSONAL_ACTIONS == {("moderation.sample", "moderate"), ("moderation.sample", "offer_exemplar")}
    with pytest.raises(ImproperlyConfigured):
        access.register("directory.school", personal=("no_such_rule",))


@pytest.mark.django_db
def test_an_administrator_may_not_moderate_or_consent_but_may_still_manage(world):
    from partnership.moderation.tests import factories as f

    session = f.session(world.home, host=world.own, by=world["coordinator"])
    f.moderator(session, world["partner_head"], by=world["coordinator"])
    sample = f.sample(session, world.own, by=world["teacher"])
    admin = world["admin"]
    assert access.can(world["partner_head"], "moderate", sample)  # the moderator from another school
    assert access.can(world["head"], "offer_exemplar", sample)  # the school's headteacher
    assert not access.can(admin, "moderate", sample)
    assert not access.can(admin, "offer_exemplar", sample)
    assert access.can(admin, "edit", sample)  # not personal: the administrator's pass holds
    assert access.can(admin, "view", sample)
