"""Each app's migrations were squashed into one; a database that had applied
the old history (as recorded in a copy of the demo database just before the
squash) is up to date and gets nothing more to apply."""

from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

BEFORE = Path(__file__).with_name("migration_history_before_squash.txt")


def recorded_before_squash():
    return [tuple(line.split()) for line in BEFORE.read_text().splitlines() if line]


@pytest.mark.django_db
def test_a_database_migrated_before_the_squash_needs_nothing_more():
    before = recorded_before_squash()
    ours = {app for app, _ in before}
    Recorded = MigrationRecorder(connection).Migration
    Recorded.objects.filter(app__in=ours).delete()
    Recorded.objects.bulk_create(Recorded(app=app, name=name) for app, name in before)

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())

    assert plan == []
    squashed = {
        app
        for app, name in executor.loader.applied_migrations
        if app in ours and "_squashed_" in name
    }
    assert squashed == ours - {"notifications"}
