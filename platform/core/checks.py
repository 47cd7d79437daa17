"""A database half-way through a migration history that has since been
squashed cannot be migrated by this release: say so, and what to do, before
`migrate` fails deep inside Django with a model-state error."""

from django.core.checks import Error, Tags, register
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

# The last release that still carries every migration the squashes replace.
LAST_RELEASE_BEFORE_SQUASH = "97fcff4"


@register(Tags.database)
def squashed_history_is_whole(databases=None, **kwargs):
    errors = []
    for alias in databases or ():
        errors += _partial_squashes(connections[alias])
    return errors


def _partial_squashes(connection):
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return []
    applied = set(recorder.applied_migrations())
    on_disk = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    errors = []
    for key, migration in sorted(on_disk.items()):
        replaced = [tuple(r) for r in migration.replaces]
        missing = [r for r in replaced if r not in applied]
        if (
            key not in applied
            and 0 < len(missing) < len(replaced)
            and any(r not in on_disk for r in replaced)
        ):
            errors.append(
                Error(
                    f"The database ({connection.alias}) applied only part of the "
                    f"migrations that {key[0]}.{key[1]} replaces; not applied: "
                    f"{', '.join(f'{a}.{n}' for a, n in missing)}. This release "
                    "no longer has them.",
                    hint=(
                        "Migrate this database with the last release that has "
                        f"them first (git checkout {LAST_RELEASE_BEFORE_SQUASH}; "
                        "manage.py migrate), then come back to this release "
                        "(README, 'Migration history')."
                    ),
                    id="core.E001",
                )
            )
    return errors
