"""The move of notifications out of the problems app keeps every row."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from notifications.models import Notification
from tests.factories import EnterpriseFactory, person

BEFORE = [("problems", "0009_invitation_decline")]


@pytest.mark.django_db(transaction=True)
def test_existing_notifications_move_with_their_dates_and_stay_readable(client):
    reader = person("enterprise", enterprise=EnterpriseFactory())
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model(
        "problems", "Notification"
    )
    made = timezone.now() - datetime.timedelta(days=30)
    unread = old.objects.create(user_id=reader.pk, text="旧通知：方案已收到", url="/p/")
    read = old.objects.create(user_id=reader.pk, text="已读的", read_at=made)
    old.objects.filter(pk=read.pk).update(created_at=made)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    moved = {n.pk: n for n in Notification.objects.all()}
    assert set(moved) == {unread.pk, read.pk}
    assert moved[unread.pk].text == "旧通知：方案已收到"
    assert moved[unread.pk].url == "/p/" and moved[unread.pk].read_at is None
    assert moved[read.pk].read_at == made and moved[read.pk].created_at == made
    assert all(n.emailed_at for n in moved.values())  # never mailed again
    # New rows get new numbers after the copied ones
    fresh = Notification.objects.create(user=reader, legacy_text="新")
    assert fresh.pk > max(moved)
    client.force_login(reader)
    assert ">2</span>" in client.get("/studios/").content.decode()  # + fresh
