"""iCalendar feeds: a person's private feed at a secret address, an
alliance's public one. Each feed is read back with the icalendar library, as
a calendar app would."""

import datetime

import icalendar
import pytest
from django.utils import timezone

from joint_sessions import feeds, services
from joint_sessions.models import CalendarFeed
from problems.models import Confidentiality
from tests.factories import alliance as make_alliance
from tests.joint_sessions.support import move, open_session, plan, publish

pytestmark = pytest.mark.django_db


def sign_up(w, user, quota=None):
    return services.sign_up(
        session=w.session, user=user, quota=quota or w.electric, acknowledged=True
    )


def private_url(user):
    return f"/sessions/calendar/{services.feed_token(user=user)}.ics"


def events(response):
    """The feed's events by UID, after checking it is a calendar at all."""
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def only(found):
    assert len(found) == 1, list(found)
    return next(iter(found.values()))


def test_the_private_feed_lists_the_seat_with_its_place_and_meeting_link(client, w):
    sign_up(w, w.crafts[0])
    event = only(events(client.get(private_url(w.crafts[0]))))
    assert str(event["UID"]) == feeds.uid(w.session)
    assert str(event["SUMMARY"]) == "第三次技术协作攻关"  # Chinese survives
    assert str(event["LOCATION"]) == "宝鸡啤酒厂包装车间"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event.decoded("DTSTART") == w.session.starts_at
    assert event.decoded("DTEND") == w.session.ends_at
    assert "DTSTAMP" in event and "LAST-MODIFIED" in event
    assert "zqx-secret-room" in str(event["DESCRIPTION"])  # confirmed: the link
    assert str(event["URL"]).endswith(f"/sessions/{w.session.pk}/")


def test_someone_waiting_has_no_event_and_an_offer_is_tentative_without_the_link(
    client, w
):
    first, second, third = w.crafts[:3]
    sign_up(w, first)
    sign_up(w, second)
    sign_up(w, third)  # the session (2 seats) is full: waiting
    assert events(client.get(private_url(third))) == {}
    services.cancel(session=w.session, user=first)  # the seat is offered
    event = only(events(client.get(private_url(third))))
    assert str(event["STATUS"]) == "TENTATIVE"
    assert "zqx-secret-room" not in str(event["DESCRIPTION"])
    # and the one who left has it as cancelled, so their calendar drops it
    left = only(events(client.get(private_url(first))))
    assert str(left["STATUS"]) == "CANCELLED"
    assert "zqx-secret-room" not in str(left["DESCRIPTION"])


def test_a_move_raises_the_sequence_and_a_call_off_marks_it_cancelled(client, w):
    sign_up(w, w.crafts[0])
    url = private_url(w.crafts[0])
    before = only(events(client.get(url)))
    later = move(w, days=1, address="宝鸡啤酒厂二号车间")
    moved = only(events(client.get(url)))
    assert str(moved["UID"]) == str(before["UID"])
    assert moved["SEQUENCE"] > before["SEQUENCE"]
    assert moved.decoded("LAST-MODIFIED") >= before.decoded("LAST-MODIFIED")
    assert str(moved["LOCATION"]) == "宝鸡啤酒厂二号车间"
    assert moved.decoded("DTSTART") == later
    services.cancel_session(session=w.session, user=w.staff, reason="设备检修")
    called_off = only(events(client.get(url)))
    assert str(called_off["UID"]) == str(before["UID"])
    assert str(called_off["STATUS"]) == "CANCELLED"
    assert called_off["SEQUENCE"] > moved["SEQUENCE"]
    assert "zqx-secret-room" not in str(called_off["DESCRIPTION"])


def test_the_feed_is_the_token_owners_whoever_asks(client, w):
    sign_up(w, w.crafts[0])
    other = w.crafts[1]
    client.force_login(w.crafts[0])  # signed in as the attendee…
    assert events(client.get(private_url(other))) == {}  # …another's feed is theirs
    assert client.get("/sessions/calendar/not-a-token.ics").status_code == 404
    assert client.get("/sessions/calendar/.ics").status_code == 404


def test_a_reset_token_answers_404_and_the_new_one_works(client, w):
    sign_up(w, w.crafts[0])
    old = private_url(w.crafts[0])
    assert client.get(old).status_code == 200
    client.force_login(w.crafts[0])
    response = client.post("/sessions/calendar/reset/")
    assert response.status_code == 302 and response["Location"].endswith("#calendar")
    client.logout()
    assert client.get(old).status_code == 404
    new = private_url(w.crafts[0])
    assert new != old
    assert only(events(client.get(new)))


def test_the_account_page_shows_the_address_with_copy_and_reset(client, w):
    client.force_login(w.crafts[0])
    page = client.get("/accounts/").content.decode()
    assert 'data-testid="calendar-feed-create"' in page  # nothing made on a GET
    assert not CalendarFeed.objects.filter(user=w.crafts[0]).exists()
    client.post("/sessions/calendar/reset/")
    token = CalendarFeed.objects.get(user=w.crafts[0]).token
    page = client.get("/accounts/").content.decode()
    assert f"/sessions/calendar/{token}.ics" in page
    assert 'data-copy="calendar-feed-url"' in page
    assert 'data-testid="calendar-feed-reset"' in page
    # someone else's account page does not show it
    client.force_login(w.crafts[1])
    assert token not in client.get("/accounts/").content.decode()


def test_a_reset_needs_a_signed_in_post(client, w):
    assert client.post("/sessions/calendar/reset/").status_code == 302  # to log in
    client.force_login(w.crafts[0])
    assert client.get("/sessions/calendar/reset/").status_code == 405
    assert not CalendarFeed.objects.exists()


# --- the alliance's public feed ------------------------------------------------


def public_url(w):
    return f"/sessions/alliance/{w.alliance.pk}.ics"


def test_the_public_feed_lists_what_anyone_may_see_and_nothing_else(client, w):
    """Sessions of an invited-only or alliance-only problem, a session that
    mixes one with a public problem, and a draft are not in the alliance's
    public feed; nor is another alliance's session."""
    allies = publish(
        w.owner, w.staff, w.enterprise, "联盟内：封箱跑偏", Confidentiality.ALLIANCE
    )
    allies.alliances.add(w.alliance)
    hidden = [
        open_session(w, title="机密会诊", problems=[w.secret]),
        open_session(w, title="联盟会诊", problems=[allies]),
        open_session(w, title="混合会诊", problems=[w.problem, w.secret]),
        services.create_session(user=w.staff, plan=plan(w, title="草稿会诊")),
    ]
    elsewhere = open_session(w, alliance=make_alliance("另一个联盟"))
    found = events(client.get(public_url(w)))
    assert set(found) == {feeds.uid(w.session)}
    event = found[feeds.uid(w.session)]
    assert str(event["SUMMARY"]) == "第三次技术协作攻关"
    assert "压盖后瓶盖歪斜漏检" in str(event["DESCRIPTION"])  # its public problem
    assert "zqx-secret-room" not in client.get(public_url(w)).content.decode()
    body = client.get(public_url(w)).content.decode()
    for session in [*hidden, elsewhere]:
        assert feeds.uid(session) not in body
    for word in ("机密", "联盟内", "草稿会诊", "混合会诊"):
        assert word not in body


def test_a_called_off_session_stays_in_the_public_feed_as_cancelled(client, w):
    services.cancel_session(session=w.session, user=w.staff, reason="设备检修")
    event = only(events(client.get(public_url(w))))
    assert str(event["STATUS"]) == "CANCELLED"


def test_the_public_feed_of_an_unknown_alliance_is_404(client, w):
    assert client.get(f"/sessions/alliance/{w.alliance.pk + 999}.ics").status_code == (
        404
    )
    w.alliance.unpublish()
    assert client.get(public_url(w)).status_code == 404


def test_the_session_list_of_an_alliance_links_its_feed(client, w):
    page = client.get(f"/sessions/?alliance={w.alliance.pk}").content.decode()
    assert public_url(w) in page and "第三次技术协作攻关" in page
    other = open_session(w, title="别家会诊", alliance=make_alliance("另一个联盟"))
    assert other.title not in page
    everything = client.get("/sessions/").content.decode()
    assert f"?alliance={w.alliance.pk}" in everything  # the way there
    assert client.get("/sessions/?alliance=x").status_code == 404
    assert client.get("/sessions/?alliance=99999999").status_code == 404


def test_the_feed_times_are_exact_instants(client, w):
    sign_up(w, w.crafts[0])
    event = only(events(client.get(private_url(w.crafts[0]))))
    start = event.decoded("DTSTART")
    assert start.utcoffset() == datetime.timedelta(0)  # written in UTC
    assert timezone.localtime(start) == timezone.localtime(w.session.starts_at)


# --- with the page cache on, as in production ----------------------------------


def test_a_reset_address_is_404_at_once_even_with_the_page_cache(client, w, settings):
    settings.PAGE_CACHE_SECONDS = 600
    sign_up(w, w.crafts[0])
    old = private_url(w.crafts[0])
    assert only(events(client.get(old)))
    assert only(events(client.get(old)))
    assert "private" in client.get(old)["Cache-Control"]
    services.reset_feed_token(user=w.crafts[0])
    assert client.get(old).status_code == 404


def test_the_cached_public_feed_forgets_a_problem_made_confidential(
    client, w, settings, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 600
    assert feeds.uid(w.session) in events(client.get(public_url(w)))
    assert feeds.uid(w.session) in events(client.get(public_url(w)))  # cached
    with django_capture_on_commit_callbacks(execute=True):
        w.problem.confidentiality = Confidentiality.INVITED
        w.problem.save()
    assert events(client.get(public_url(w))) == {}
