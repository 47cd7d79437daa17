"""Union staff are alerted when background work keeps failing: once per job,
when it has failed OUTBOX_ALERT_AFTER times or has failed for good — never
once per retry. On the site and by email to union staff, and by email to
ADMINS."""

from datetime import timedelta

import pytest
from django.utils import timezone

import tests.core.worker_tasks  # noqa: F401 (registers the failing tasks)
from core import outbox
from core.models import BackgroundJob
from notifications.models import Email, Notification
from tests.factories import EnterpriseFactory, person

pytestmark = pytest.mark.django_db
State = BackgroundJob.State


@pytest.fixture
def staff(settings):
    settings.ADMINS = [("", "ops@example.org")]
    settings.OUTBOX_ALERT_AFTER = 3
    return [person("staff"), person("staff")]


@pytest.fixture
def as_a_worker():
    """Eager tasks whose errors do not propagate: Celery then calls the
    task's on_retry for each retry and on_failure at the end, as a worker
    does."""
    from config import celery_app

    saved = celery_app.conf.task_eager_propagates
    celery_app.conf.task_eager_propagates = False
    yield
    celery_app.conf.task_eager_propagates = saved


def run(commit, task, *args):
    with commit():
        return outbox.enqueue(task, *args)


def alerts():
    return Notification.objects.filter(key="background.failing")


def admin_mails():
    return Email.objects.filter(to="ops@example.org")


def test_a_job_retried_many_times_alerts_staff_once(commit, staff, as_a_worker):
    person("enterprise", enterprise=EnterpriseFactory())  # not staff: not told
    job = run(commit, "tests.flaky", 7)
    job.refresh_from_db()
    # 4 retries and the final failure: 5 failures, one alert
    assert (job.state, job.failures) == (State.FAILED, 5)
    assert job.alerted_at is not None
    assert sorted(alerts().values_list("user", flat=True)) == sorted(
        u.pk for u in staff
    )
    assert admin_mails().count() == 1
    [note] = alerts()[:1]
    assert f"#{job.pk}" in note.text and "tests.flaky" in note.text
    # Staff send it again and it keeps failing: a new episode, one new alert.
    with commit():
        outbox.retry(job=job)
    assert alerts().count() == 4 and admin_mails().count() == 2


def test_a_job_failing_for_good_at_once_alerts_staff_once(commit, staff, mailoutbox):
    job = run(commit, "tests.broken", 8)
    job.refresh_from_db()
    assert (job.state, job.failures) == (State.FAILED, 1)
    assert alerts().count() == 2 and admin_mails().count() == 1
    # sent: to ADMINS with the error, to each member of staff with the alert
    [to_admins] = [m for m in mailoutbox if m.to == ["ops@example.org"]]
    assert "ValueError" in to_admins.body and f"#{job.pk}" in to_admins.subject
    staff_mail = [m for m in mailoutbox if m.to[0] in {u.email for u in staff}]
    assert len(staff_mail) == 2 and "tests.broken" in staff_mail[0].body


def test_a_job_waiting_for_a_part_alerts_at_the_threshold_only(commit, staff):
    job = run(commit, "tests.needs_part", [1, 2])
    later = timezone.now()
    counts = []
    for _ in range(5):  # the relay sends it again each time it is due
        later += timedelta(seconds=601)
        job.refresh_from_db()
        assert job.state == State.PENDING and job.retry_at is not None
        counts.append(alerts().count())
        with commit():
            outbox.relay(now=later)
    job.refresh_from_db()
    assert job.failures == 6 and job.state == State.PENDING  # still waiting
    assert counts == [0, 0, 2, 2, 2]  # told at the third failure, once
    assert admin_mails().count() == 1


def test_the_relay_failing_a_lost_job_alerts_once(commit, staff, settings):
    job = outbox.record_many("tests.broken", [[9]])[0]
    BackgroundJob.objects.filter(pk=job.pk).update(
        state=State.SENT,
        attempts=settings.OUTBOX_MAX_SENDS,
        sent_at=timezone.now() - timedelta(days=1),
    )
    for _ in range(2):
        with commit():
            outbox.relay()
    job.refresh_from_db()
    assert job.state == State.FAILED
    assert alerts().count() == 2 and admin_mails().count() == 1
