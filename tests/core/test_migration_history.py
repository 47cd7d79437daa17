"""Each app's migrations were squashed into one; a database that had applied
the old history (as recorded in a copy of the demo database just before the
squash) is up to date and gets nothing more to apply."""

from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from core.checks import LAST_RELEASE_BEFORE_SQUASH, squashed_history_is_whole

BEFORE = Path(__file__).with_name("migration_history_before_squash.txt")


def recorded_before_squash():
    return [tuple(line.split()) for line in BEFORE.read_text().splitlines() if line]


def record_as_applied(history):
    """Make the database's migration record of our apps ``history``."""
    Recorded = MigrationRecorder(connection).Migration
    Recorded.objects.filter(app__in={app for app, _ in history}).delete()
    Recorded.objects.bulk_create(Recorded(app=app, name=name) for app, name in history)


@pytest.mark.django_db
def test_a_database_migrated_before_the_squash_needs_nothing_more():
    before = recorded_before_squash()
    ours = {app for app, _ in before}
    record_as_applied(before)

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())

    assert plan == []
    squashed = {
        app
        for app, name in executor.loader.applied_migrations
        if app in ours and "_squashed_" in name
    }
    assert squashed == ours - {"notifications"}


@pytest.mark.django_db
def test_a_database_half_way_through_the_old_history_is_told_what_to_do():
    """A database of an older release (here: without the migrations the last
    release before the squash added) cannot follow the squashed history;
    `migrate` says which release to migrate it with first."""
    added_last = {
        ("core", "0006_background_job_retry_and_alerts"),
        ("search", "0005_learned_fusion"),
    }
    before = [row for row in recorded_before_squash() if row not in added_last]
    assert squashed_history_is_whole(databases=["default"]) == []
    record_as_applied(before)

    errors = squashed_history_is_whole(databases=["default"])

    assert [e.id for e in errors] == ["core.E001", "core.E001"]
    assert "core.0006_background_job_retry_and_alerts" in errors[0].msg
    assert "search.0005_learned_fusion" in errors[1].msg
    assert all(LAST_RELEASE_BEFORE_SQUASH in e.hint for e in errors)
