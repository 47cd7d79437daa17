"""The beat runs the joint sessions' due work, and a change of time or place
is told to everyone signed up (and re-arms their reminders)."""

import datetime

import pytest
from django.conf import settings

from config.celery_app import app
from joint_sessions import services
from joint_sessions.models import Registration
from notifications.models import Notification
from tests.joint_sessions.support import NOW, move

pytestmark = pytest.mark.django_db


def test_the_beat_schedule_names_a_registered_task(w):
    entry = settings.CELERY_BEAT_SCHEDULE["joint-session-reminders"]
    app.loader.import_default_modules()
    assert entry["task"] in app.tasks
    assert entry["schedule"] <= 30 * 60  # often enough for the 2 h reminder


def test_a_new_time_is_told_and_the_reminders_are_sent_again(w):
    a = w.crafts[0]
    services.sign_up(
        session=w.session, user=a, quota=w.vision, acknowledged=True, now=NOW
    )
    start = w.session.starts_at
    assert services.send_reminders(now=start - datetime.timedelta(hours=20)) == 1
    later = move(w, days=2, address="二号车间")
    told = [n for n in Notification.objects.filter(user=a) if "二号车间" in n.text]
    assert len(told) == 1
    assert Registration.objects.get(user=a).reminded_24h_at is None
    assert services.send_reminders(now=later - datetime.timedelta(hours=20)) == 1
    with pytest.raises(services.SessionError):
        services.reschedule(
            session=w.session,
            user=w.staff,
            move=services.Move(
                starts_at=later, ends_at=later, mode="onsite", address="二号车间"
            ),
            now=NOW,
        )
