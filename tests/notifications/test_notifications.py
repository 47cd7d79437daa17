"""Notifications at platform level: one row per recipient saying a message
key, read in the reader's language; mail sent by a task after the commit,
retried, never twice; marked read by their reader only."""

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction

from core.models import BackgroundJob
from notifications import messages
from notifications.models import Email, Notification
from notifications.services import notify, send_email
from notifications.tasks import send_email_task, send_notification_emails
from problems import notices
from problems.models import Problem, Status
from studios.models import Studio
from tests.factories import EnterpriseFactory, StudioFactory, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(db):
    return person("enterprise", enterprise=EnterpriseFactory(), username="owner")


def returned(owner, **kwargs):
    (notice,) = notify(
        recipients=[owner],
        key=notices.RETURNED,
        params={"title": "瓶盖歪斜", "reason": "缺少产量数据"},
        url="/problems/7/",
        **kwargs,
    )
    return notice


def notification_list(client, prefix=""):
    html = client.get(f"{prefix}/accounts/").content.decode()
    start = html.index('<ul class="notifications">')
    return html[start : html.index("</ul>", start)]


def test_the_same_notification_reads_in_chinese_on_slash_and_english_on_en(
    client, owner
):
    returned(owner)
    client.force_login(owner)
    assert "您的难题“瓶盖歪斜”被退回：缺少产量数据" in notification_list(client)
    english = notification_list(client, "/en")
    assert "Your problem “瓶盖歪斜” was returned: 缺少产量数据" in english
    assert "被退回" not in english


def test_a_notification_from_before_keys_still_reads_as_it_was_stored(client, owner):
    Notification.objects.create(user=owner, legacy_text="旧的通知", url="/problems/")
    client.force_login(owner)
    assert '<a href="/problems/">旧的通知</a>' in notification_list(client)
    assert "旧的通知" in notification_list(client, "/en")


def test_an_unknown_key_is_refused_when_sent_and_readable_when_stored(owner):
    with pytest.raises(ValueError, match="register"):
        notify(recipients=[owner], key="nobody.registered.this")
    stored = Notification.objects.create(
        user=owner, key="gone.app.message", params={"title": "瓶盖"}
    )
    assert stored.text == "瓶盖"


def test_a_long_message_is_shortened_where_it_is_shown(owner):
    notice = returned(owner, email=False)
    notice.params["reason"] = "数" * 400
    assert len(notice.text) == 300 and notice.text.endswith("…")


def test_one_row_per_recipient_and_the_mail_waits_for_the_commit(
    owner, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://jianglian.example.org"
    colleague = person("enterprise", enterprise=owner.person.enterprise)
    no_address = person("enterprise", enterprise=owner.person.enterprise)
    no_address.email = ""
    no_address.save()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        transaction.atomic(),
    ):
        notify(
            recipients=[owner, colleague, no_address, owner],
            key=notices.RETURNED,
            params={"title": "瓶盖歪斜", "reason": "缺少产量数据"},
            url="/problems/7/",
        )
        assert not mail.outbox  # nothing is sent inside the transaction
    assert len(callbacks) == 1  # one task for the whole batch
    assert Notification.objects.count() == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [owner.email, colleague.email]
    )
    message = mail.outbox[0]
    # Mail speaks the site's language; its link carries the site's address.
    assert message.subject == "您的难题“瓶盖歪斜”被退回：缺少产量数据"
    assert "https://jianglian.example.org/problems/7/" in message.body
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2


def test_a_notification_without_email_is_not_mailed(
    owner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        returned(owner, email=False)
    assert not callbacks and not mail.outbox


def test_a_task_run_again_does_not_send_twice(owner):
    notice = returned(owner)  # its task waits for a commit that never comes here
    assert send_notification_emails.apply(args=[[notice.pk]]).get() == 1
    assert send_notification_emails.apply(args=[[notice.pk]]).get() == 0
    assert len(mail.outbox) == 1
    queued = send_email(to="a@example.org", subject="主题", body="链接 https://x/y")
    assert send_email_task.apply(args=[queued.pk]).get() is True
    assert send_email_task.apply(args=[queued.pk]).get() is False
    assert len(mail.outbox) == 2
    queued.refresh_from_db()
    assert queued.sent_at is not None and queued.body == ""  # no link kept


class FlakyBackend(EmailBackend):
    """The mail server refuses the first ``failures`` connections."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("connection dropped")
        return super().send_messages(messages)


def test_a_mail_server_away_for_a_moment_is_retried(owner, settings, monkeypatch):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.failures = 2
    notice = returned(owner)
    # As a worker runs it (the test settings propagate errors at once)
    monkeypatch.setitem(
        send_notification_emails.app.conf, "task_eager_propagates", False
    )
    result = send_notification_emails.apply(args=[[notice.pk]])
    assert result.successful() and result.get() == 1
    assert len(mail.outbox) == 1 and FlakyBackend.failures == 0


@pytest.mark.django_db(transaction=True)
def test_a_mail_server_that_stays_away_does_not_turn_the_saved_change_into_an_error(
    client, settings, caplog
):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    FlakyBackend.failures = 100
    studio = StudioFactory()
    staff = person("staff")
    person("craftsman", studio=studio)
    problem = Problem.objects.create(
        enterprise=EnterpriseFactory(),
        title="瓶盖歪斜",
        description="人工抽检漏检。",
        status=Status.MATCHED,
    )
    client.force_login(staff)
    response = client.post(
        f"/problems/{problem.pk}/act/invite/", {"studio": [studio.pk]}
    )
    FlakyBackend.failures = 0
    assert response.status_code == 302
    assert problem.invitations.count() == 1
    (notice,) = Notification.objects.exclude(user=staff)
    assert notice.emailed_at is None  # a later run still sends it
    assert "notifications.send_notification_emails" in caplog.text
    # union staff hear of it on the site only: an alert mailed through the
    # server that is away would fail and alert again, without end
    (alert,) = Notification.objects.filter(user=staff)
    assert "notifications.send_notification_emails" in alert.text
    assert not BackgroundJob.objects.filter(task__startswith="notifications.").exclude(
        args=[[notice.pk]]
    )
    assert send_notification_emails.apply(args=[[notice.pk]]).get() == 1


def test_account_mail_is_queued_and_sent_once_after_the_commit(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(
            "/accounts/register/",
            {
                "username": "brewery",
                "email": "b@example.org",
                "role": "craftsman",
                "studio": StudioFactory().pk,
                "password1": "Str0ng-pass-phrase",
                "password2": "Str0ng-pass-phrase",
            },
        )
    assert not mail.outbox  # not sent by the request
    (queued,) = Email.objects.all()
    assert queued.to == "b@example.org" and "/accounts/verify/" in queued.body
    for callback in callbacks:
        callback()
    (message,) = mail.outbox
    assert "/accounts/verify/" in message.body
    assert Email.objects.get().sent_at is not None


def test_a_reader_marks_one_or_all_read_and_the_header_counts_down(client, owner):
    first, second = returned(owner, email=False), returned(owner, email=False)
    other = person("craftsman", studio=Studio.objects.first() or StudioFactory())
    theirs = Notification.objects.create(user=other, legacy_text="别人的")
    client.force_login(owner)
    assert 'data-testid="unread"' in notification_list(client)
    url = "/accounts/notifications/read/"
    back = client.post(url, {"id": [first.pk, theirs.pk], "next": "/accounts/"})
    assert back.status_code == 302 and back["Location"] == "/accounts/"
    theirs.refresh_from_db()
    assert theirs.read_at is None  # another person's number changes nothing
    assert ">1</span>" in client.get("/studios/").content.decode()
    assert client.post(url, {"next": "https://evil.example/"})["Location"] == "/"
    second.refresh_from_db()
    assert second.read_at is not None
    assert '<span class="badge"' not in client.get("/studios/").content.decode()
    assert client.post(url, {"id": "x"}).status_code == 400
    assert client.get(url).status_code == 405


def test_messages_are_registered_once():
    assert messages.is_registered(notices.INVITED)
    with pytest.raises(ValueError):
        messages.register(notices.INVITED, "another text")
