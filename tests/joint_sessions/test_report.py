"""The session report: published from a held session's minutes as a Wagtail
page (with a photo gallery, editable in the admin), shown on the alliance's
timeline, the problem's page and the attending studios' pages — never to a
reader who may not see the session's problems — and the figures (sessions
held, participants checked in) and a craftsman's recognition."""

import re

import pytest
from django.core.exceptions import PermissionDenied

from joint_sessions import services
from joint_sessions.models import (
    RegistrationState,
    SessionReportPage,
    SessionStatus,
)
from joint_sessions.services import SessionError
from notifications.models import Notification
from problems import services as board
from tests.factories import image
from tests.joint_sessions.support import NOW, held, open_session

pytestmark = pytest.mark.django_db


def publish(w, session=None):
    return services.publish_report(session=session or w.session, user=w.staff)


def text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_publishing_makes_a_live_page_from_minutes_proposals_and_attendance(client, w):
    a, __, c, __ = w.crafts
    a.last_name, a.first_name = "寇", "卫东"
    a.save()
    held(
        w,
        [(a, w.vision), (c, w.electric)],
        minutes="现场会诊：压盖机出口加装传感器。\n换品种时按品种做标记。\n<i>x</i>",
        proposals=[(0, "zqx 加装歪盖传感器的方案全文")],
    )
    page = publish(w)
    w.session.refresh_from_db()
    assert w.session.status == SessionStatus.REPORT_PUBLISHED
    assert w.session.report_published_at is not None
    assert page.live and page.session == w.session
    assert page.title == w.session.title
    html = text(client, page.url)  # anonymous: the problem is public
    assert "<p>现场会诊：压盖机出口加装传感器。</p>" in html  # a paragraph a line
    assert "<p>换品种时按品种做标记。</p>" in html
    assert "<p>&lt;i&gt;x&lt;/i&gt;</p>" in html  # text, never markup
    assert "寇卫东" in html and c.get_username() in html
    assert w.inside[0].name in html  # the proposer's studio is credited
    assert w.problem.title in html
    # a proposal is credited, never quoted: its text is for the enterprise
    # and the invited studios only
    assert "zqx" not in html
    # the attendees are told, with a link to the page
    told = Notification.objects.filter(key="joint_session.report_published")
    assert {n.user for n in told} == {a, c}
    assert {n.url for n in told} == {page.url}


def test_a_report_is_published_once_by_staff_for_a_held_session_with_minutes(w):
    a = w.crafts[0]
    with pytest.raises(SessionError):  # not held yet
        publish(w)
    registration = services.sign_up(
        session=w.session, user=a, quota=w.vision, acknowledged=True, now=NOW
    )
    start = w.session.starts_at
    services.check_in(
        session=w.session, user=w.staff, code=registration.checkin_code, now=start
    )
    services.mark_held(session=w.session, user=w.staff, now=start)
    with pytest.raises(SessionError):  # no minutes
        publish(w)
    services.record_minutes(session=w.session, user=w.staff, minutes="纪要")
    with pytest.raises(PermissionDenied):
        services.publish_report(session=w.session, user=a)
    assert not SessionReportPage.objects.exists()
    publish(w)
    with pytest.raises(SessionError):  # the state is read again after the lock
        publish(w)
    assert SessionReportPage.objects.count() == 1


def test_the_organiser_publishes_through_the_page_and_edits_it_in_the_admin(client, w):
    held(w, [(w.crafts[0], w.vision)])
    client.force_login(w.staff)
    act = f"/sessions/{w.session.pk}/act/publish_report/"
    assert client.post(act).status_code == 302
    page = SessionReportPage.objects.get(session=w.session)
    organise = text(client, f"/sessions/{w.session.pk}/organise/")
    assert f"/admin/pages/{page.pk}/edit/" in organise
    assert text(client, f"/admin/pages/{page.pk}/edit/")
    # staff add a photo with its caption, as the admin's form does
    page.photos.create(image=image("现场照片"), caption="工匠查看压盖机出口")
    page.save_revision(user=w.staff).publish(user=w.staff)
    client.logout()
    html = text(client, page.url)
    assert "<figcaption>工匠查看压盖机出口</figcaption>" in html
    assert re.search(r'<figure><img [^>]*src="[^"]+"', html)
    # the session's page links to the report
    assert page.url in text(client, f"/sessions/{w.session.pk}/")
    # a second attempt through the page is refused with a message
    client.force_login(w.staff)
    response = client.post(act)
    assert response.status_code == 409
    assert SessionReportPage.objects.count() == 1


def test_the_report_shows_on_the_alliance_problem_and_attending_studio_pages(client, w):
    held(w, [(w.crafts[0], w.vision)])
    page = publish(w)
    assert page.url in text(client, w.alliance.url)
    assert page.url in text(client, f"/problems/{w.problem.pk}/")
    assert page.url in text(client, w.inside[0].get_absolute_url())
    # a studio of the alliance whose craftsmen did not come: not on its page
    assert page.url not in text(client, w.inside[1].get_absolute_url())
    assert page.url in text(client, "/session-reports/")


@pytest.fixture
def secret_report(w):
    """A session held on the invited-only problem (inside[0] invited), with
    its report published."""
    board.invite_studios(problem=w.secret, studios=[w.inside[0]], user=w.staff)
    session = open_session(w, title="机密会诊 灌装阀", problems=[w.secret])
    quota = session.quotas.get(skill="机器视觉")
    held(w, [(w.crafts[0], quota)], session=session, minutes="灌装阀泄漏的会诊纪要")
    return publish(w, session)


def test_a_report_on_a_confidential_problem_is_a_404_for_who_may_not_see_it(
    client, w, secret_report
):
    page = secret_report
    for reader in (None, w.stranger, w.crafts[1]):
        client.logout()
        if reader:
            client.force_login(reader)
        assert client.get(page.url).status_code == 404
        for url in (
            w.alliance.url,
            "/session-reports/",
            w.inside[0].get_absolute_url(),
        ):
            html = text(client, url)
            assert page.url not in html and "灌装阀" not in html, url
    for reader in (w.staff, w.owner, w.crafts[0]):
        client.force_login(reader)
        assert "灌装阀泄漏的会诊纪要" in text(client, page.url)
        assert page.url in text(client, w.alliance.url)


def test_a_photo_of_a_confidential_report_is_at_an_address_nobody_can_guess(
    client, w, secret_report
):
    """Media files are served without a permission check: a phone photo's
    name (the time it was taken) must not become its address."""
    taken = "IMG_20261201_093012.jpg"
    photos = [image("现场", filename=taken) for _ in range(2)]
    page = secret_report
    page.photos.create(image=photos[0], caption="灌装阀拆检")
    page.save_revision(user=w.staff).publish(user=w.staff)
    client.force_login(w.owner)
    src = re.search(r'<figure><img [^>]*src="([^"]+)"', text(client, page.url))[1]
    names = [photo.file.name for photo in photos]
    assert "20261201" not in src and not any("20261201" in n for n in names)
    assert all(re.fullmatch(r"original_images/[0-9a-f]{32}\.jpg", n) for n in names)
    assert names[0] != names[1]  # the same upload name twice: two random names
    copy = photos[1].get_rendition("width-123").file.name  # named after it
    assert copy.startswith("images/" + names[1].split("/")[1].split(".")[0])


def test_the_sitemap_lists_a_report_only_when_anyone_may_read_it(
    client, w, secret_report
):
    """The sitemap is public: a report of a confidential session is not in
    it (its address alone says such a session was held, and when); once its
    problem is public, it is."""
    held(w, [(w.crafts[1], w.vision)])
    public_report = publish(w)
    sitemap = text(client, "/sitemap.xml")
    assert public_report.url in sitemap
    assert secret_report.url not in sitemap
    w.secret.confidentiality = "public"
    w.secret.save()
    assert secret_report.url in text(client, "/sitemap.xml")


def test_a_report_follows_its_problem_when_it_is_made_public(client, w, secret_report):
    assert client.get(secret_report.url).status_code == 404
    w.secret.confidentiality = "public"
    w.secret.save()
    assert "灌装阀泄漏的会诊纪要" in text(client, secret_report.url)


def figures(html):
    return {
        key.replace("-", "_"): int(value)
        for key, value in re.findall(
            r'data-testid="(sessions-held|participants)">(\d+)<', html
        )
    }


def test_the_figures_count_held_sessions_and_checked_in_people(client, w):
    a, b, c, d = w.crafts
    # an open session with sign-ups: neither held nor participants
    services.sign_up(session=w.session, user=a, quota=w.vision, acknowledged=True)
    services.sign_up(session=w.session, user=c, quota=w.electric, acknowledged=True)
    assert figures(text(client, "/")) == {"sessions_held": 0, "participants": 0}
    assert figures(text(client, w.alliance.url)) == {
        "sessions_held": 0,
        "participants": 0,
    }
    # held: a checked in, c did not come (no-show); b only waited
    services.sign_up(session=w.session, user=b, quota=w.vision, acknowledged=True)
    start = w.session.starts_at
    code = w.session.registrations.get(user=a).checkin_code
    services.check_in(session=w.session, user=w.staff, code=code, now=start)
    services.mark_held(session=w.session, user=w.staff, now=start)
    assert w.session.registrations.get(user=c).state == RegistrationState.NO_SHOW
    # a second session, held and reported, with one attendee
    other = open_session(w, title="第四次技术协作攻关")
    held(w, [(d, other.quotas.get(skill="电气自动化"))], session=other)
    publish(w, other)
    # a third, cancelled: not held
    cancelled = open_session(w, title="取消的会诊")
    services.cancel_session(session=cancelled, user=w.staff, reason="设备检修")
    expected = {"sessions_held": 2, "participants": 2}
    assert figures(text(client, "/")) == expected
    assert figures(text(client, w.alliance.url)) == expected
    # a late check-in of the no-show counts
    code = w.session.registrations.get(user=c).checkin_code
    services.check_in(session=w.session, user=w.staff, code=code, now=start)
    assert figures(text(client, "/"))["participants"] == 3


def test_a_craftsman_sees_sessions_attended_and_proposals_adopted(client, w):
    a, __, c, __ = w.crafts
    held(
        w,
        [(a, w.vision), (c, w.electric)],
        proposals=[(0, "加装歪盖传感器"), (1, "按品种做标记")],
    )
    board.accept_proposal(
        proposal=w.problem.proposals.get(author=a), user=w.owner, note="采纳"
    )
    client.force_login(a)
    html = text(client, "/accounts/")
    assert re.search(r'data-testid="sessions-attended">1<', html)
    assert re.search(r'data-testid="proposals-adopted">1<', html)
    registration = w.session.registrations.get(user=a)
    assert f"/sessions/{w.session.pk}/certificates/{registration.pk}/" in html
    client.force_login(c)  # attended; their proposal was not (yet) adopted
    html = text(client, "/accounts/")
    assert re.search(r'data-testid="proposals-adopted">0<', html)
    client.force_login(w.crafts[1])  # never came
    html = text(client, "/accounts/")
    assert re.search(r'data-testid="sessions-attended">0<', html)
