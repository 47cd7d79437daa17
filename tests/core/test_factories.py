"""Every model of our apps has a factory, and each factory makes a valid row
(a newcomer writing a test starts from tests/factories.py)."""

import inspect

import factory
import pytest
from django.apps import apps

from tests import factories

OUR_APPS = [
    "core",
    "organisations",
    "notifications",
    "accounts",
    "studios",
    "search",
    "problems",
    "joint_sessions",
]

# Rows no test should make by hand, each with the reason.
MADE_ELSEWHERE = {
    "core.HomePage": "one per site, made by a migration",
    "core.Heartbeat": "one row per beat, written by the core.heartbeat task",
    "studios.AllianceIndexPage": "one per site, made by a migration",
    "studios.StoryIndexPage": "one per site, made by a migration",
    "studios.StudioTag": "taggit's through row: studio.tags.add() makes it",
    "problems.ProblemTag": "taggit's through row: problem.tags.add() makes it",
    "joint_sessions.SessionReportIndexPage": "one per site, made by a migration",
    "search.Embedding": "written by the encoder (search.embeddings)",
    "search.IndexState": "written by the indexer",
    "search.IndexedStudio": "written by the indexer (search.indexing)",
    "search.IndexedProblem": "written by the indexer",
}


def factory_models():
    return {
        f._meta.model
        for __, f in inspect.getmembers(factories, inspect.isclass)
        if issubclass(f, factory.django.DjangoModelFactory) and f._meta.model
    }


def test_every_model_has_a_factory():
    covered = factory_models()
    missing = [
        model._meta.label
        for label in OUR_APPS
        for model in apps.get_app_config(label).get_models()
        if model not in covered and model._meta.label not in MADE_ELSEWHERE
    ]
    assert missing == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    sorted(
        name
        for name, f in inspect.getmembers(factories, inspect.isclass)
        if issubclass(f, factory.django.DjangoModelFactory)
    ),
)
def test_each_factory_makes_a_valid_row(name):
    made = getattr(factories, name)()
    made.refresh_from_db()
    made.full_clean()


@pytest.mark.django_db
def test_lifecycle_traits_reach_their_state_through_the_services():
    from problems.models import Status

    assert factories.ProblemFactory().status == Status.DRAFT
    assert factories.ProblemFactory(state="submitted").status == Status.SUBMITTED
    published = factories.ProblemFactory(state="published")
    assert published.status in Status.PUBLISHED_STATES
    assert published.events.filter(action="publish").exists()
    outcome = factories.OutcomeFactory()
    assert outcome.problem.proposals.get().state == "accepted"


@pytest.mark.django_db
def test_person_traits_give_each_role():
    from accounts.people import is_staff

    assert factories.PersonFactory().role == "enterprise"
    craftsman = factories.PersonFactory(craftsman=True)
    assert craftsman.studio is not None and craftsman.enterprise is None
    assert is_staff(factories.PersonFactory(staff=True).user)
    assert factories.PersonFactory(pending=True).approved_at is None
