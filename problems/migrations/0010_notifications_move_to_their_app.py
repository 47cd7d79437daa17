"""Notifications move to their own app (notifications): every row is copied
with its number, recipient, link, read and creation dates (its text kept as
the legacy text), then the problems table is dropped. Backwards, the rows are
copied back (a keyed message as its text in the site's language)."""

from django.conf import settings
from django.core.management.color import no_style
from django.db import migrations
from django.utils import translation

from notifications.messages import render

BATCH = 2000


def _copy(rows, make, Model):
    """Create ``make(row)`` for each row, in batches, keeping each row's
    creation date (auto_now_add would put today's)."""
    batch = []
    for row in rows.iterator(chunk_size=BATCH):
        batch.append((make(row), row.created_at))
        if len(batch) >= BATCH:
            _write(batch, Model)
            batch = []
    _write(batch, Model)


def _write(batch, Model):
    if not batch:
        return
    created = Model.objects.bulk_create([obj for obj, __ in batch])
    for obj, (__, created_at) in zip(created, batch, strict=True):
        obj.created_at = created_at
    Model.objects.bulk_update(created, ["created_at"])


def _reset_sequence(schema_editor, Model):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [Model]):
            cursor.execute(statement)


def forwards(apps, schema_editor):
    Old = apps.get_model("problems", "Notification")
    New = apps.get_model("notifications", "Notification")
    _copy(
        Old.objects.order_by("pk"),
        lambda n: New(
            pk=n.pk,
            user_id=n.user_id,
            legacy_text=n.text,
            url=n.url,
            read_at=n.read_at,
            # Mailed (or not) when it was made: no task mails these again.
            emailed_at=n.created_at,
        ),
        New,
    )
    _reset_sequence(schema_editor, New)


def backwards(apps, schema_editor):
    Old = apps.get_model("problems", "Notification")
    New = apps.get_model("notifications", "Notification")
    with translation.override(settings.LANGUAGE_CODE):
        _copy(
            New.objects.order_by("pk"),
            lambda n: Old(
                pk=n.pk,
                user_id=n.user_id,
                text=(n.legacy_text or render(n.key, n.params))[:300],
                url=n.url,
                read_at=n.read_at,
            ),
            Old,
        )
    _reset_sequence(schema_editor, Old)


class Migration(migrations.Migration):
    dependencies = [
        ("problems", "0009_invitation_decline"),
        ("notifications", "0001_notifications_app"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="Notification"),
    ]
