"""Union staff see background work that waits or failed in the admin, with
how far the sentence vectors are, and send a failed job again."""

import pytest

from core import outbox
from core.models import BackgroundJob
from tests.factories import EnterpriseFactory, person

pytestmark = pytest.mark.django_db
State = BackgroundJob.State


@pytest.fixture
def failed_job():
    return BackgroundJob.objects.create(
        task="problems.match_problem",
        args=[987654],
        queue="matching",
        state=State.FAILED,
        attempts=5,
        last_error="Problem.DoesNotExist",
    )


def test_staff_see_failed_work_and_send_it_again(client, failed_job, monkeypatch):
    sent = []
    monkeypatch.setattr(outbox, "send", sent.extend)
    client.force_login(person("staff"))
    listing = client.get("/admin/background_work/?state=failed")
    assert listing.status_code == 200
    page = listing.content.decode()
    assert "problems.match_problem" in page and "Problem.DoesNotExist" in page
    retry_url = f"/admin/background-work/{failed_job.pk}/retry/"
    assert retry_url in page
    assert client.post(retry_url).status_code == 302
    failed_job.refresh_from_db()
    assert (failed_job.state, failed_job.attempts) == (State.PENDING, 0)


def test_the_dashboard_shows_what_waits(client, failed_job):
    client.force_login(person("staff"))
    page = client.get("/admin/").content.decode()
    assert "background-work-title" in page and "matching" in page


def test_others_cannot_send_work_again(client, failed_job):
    client.force_login(person("enterprise", enterprise=EnterpriseFactory()))
    answer = client.post(f"/admin/background-work/{failed_job.pk}/retry/")
    assert answer.status_code in (302, 403)
    failed_job.refresh_from_db()
    assert failed_job.state == State.FAILED
