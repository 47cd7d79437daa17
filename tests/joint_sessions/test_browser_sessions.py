"""A joint session from volunteering to the certificate, in a real browser:
a craftsman gets a seat and finds it in their calendar feed, another waits
and takes the seat offered when the first cancels, the first volunteers
again for another skill; the organiser checks both in by typed code, records
the minutes with a proposal and publishes the report, which the alliance's
page shows; the attendee downloads a certificate whose text layer is
Chinese."""

import datetime
import io
import re

import pytest
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from joint_sessions.models import Registration, RegistrationState, SessionStatus
from problems.models import Confidentiality
from tests.browser import log_in, screenshot
from tests.factories import (
    ProblemFactory,
    SessionFactory,
    StudioFactory,
    alliance,
    person,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def clock(monkeypatch):
    """The services' clock (the live server runs in this process): now, and
    moved to the session's start for the day itself."""
    state = {"now": timezone.now()}
    monkeypatch.setattr(timezone, "now", lambda: state["now"])
    return state


@pytest.fixture
def site(live_server, settings, private_folder, migration_content, clock):
    settings.SEARCH_INLINE_ENCODE_LIMIT = 0
    return live_server.url


def button(tab, action):
    """The submit button of the form posting to ``…/<action>/``."""
    tab.locator(f"form[action$='/{action}/'] button[type=submit]").click()


def test_volunteer_wait_check_in_report_and_certificate(site, browser, clock):
    group = alliance("宝鸡烟酒食品工业跨区域创新工作室联盟")
    studios = [StudioFactory(name=f"视觉检测工作室{i}") for i in range(2)]
    for studio in studios:
        studio.alliances.add(group)
        studio.save()
    staff = person("staff", username="organiser")
    kou = person("craftsman", studio=studios[0], username="kou")
    kou.last_name, kou.first_name = "寇", "卫东"
    kou.save()
    person("craftsman", studio=studios[1], username="li")
    problem = ProblemFactory(
        state="published",
        confidentiality=Confidentiality.PUBLIC,
        title="压盖后瓶盖歪斜漏检",
    )
    start = clock["now"] + datetime.timedelta(days=7)
    session = SessionFactory(
        title="第三次技术协作攻关",
        alliance=group,
        problems=[problem],
        staff=staff,
        starts_at=start,
        total_seats=2,
        quotas=[("机器视觉", 1), ("电气自动化", 1)],
        safety_notes="穿劳保鞋",
    )
    url = f"{site}/sessions/{session.pk}/"

    # 寇 volunteers for the one machine-vision seat and gets it
    first = log_in(browser, site, "kou")
    first.goto(url)
    first.select_option("select[name=quota]", label="机器视觉 (0/1)")
    first.check("input[name=acknowledged]")
    first.get_by_test_id("sign-up").locator("button").click()
    assert first.get_by_test_id("checkin-code").is_visible()
    # … and sees it in the calendar app: the account page gives a private
    # address whose feed has the session at its place and time
    first.goto(site + "/accounts/")
    first.get_by_test_id("calendar-feed-create").click()
    feed_url = first.get_by_test_id("calendar-feed-url").input_value()
    feed = first.request.get(feed_url)
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    (event,) = Calendar.from_ical(feed.body()).walk("VEVENT")
    assert str(event["SUMMARY"]).startswith("第三次技术协作攻关")
    assert str(event["LOCATION"]) == "宝鸡啤酒厂包装车间"
    assert event.decoded("DTSTART") == start.replace(microsecond=0)
    first.goto(url)

    # 李 volunteers for the same skill and waits
    second = log_in(browser, site, "li")
    second.goto(url)
    second.select_option("select[name=quota]", label="机器视觉 (1/1)")
    second.check("input[name=acknowledged]")
    second.get_by_test_id("sign-up").locator("button").click()
    assert "1" in second.get_by_test_id("my-registration").inner_text()
    assert second.get_by_test_id("checkin-code").count() == 0

    # 寇 cancels: the seat is offered to 李, who confirms it
    button(first, "cancel")
    second.goto(url)
    button(second, "accept")
    li_code = second.get_by_test_id("checkin-code").inner_text().strip()
    # 寇 volunteers again, for the electrical seat that is still free
    first.goto(url)
    first.select_option("select[name=quota]", label="电气自动化 (0/1)")
    first.check("input[name=acknowledged]")
    first.get_by_test_id("sign-up").locator("button").click()
    kou_code = first.get_by_test_id("checkin-code").inner_text().strip()
    screenshot(first, "session-seat")

    # the day: the organiser types both codes (one twice: counted once)
    clock["now"] = start
    organiser = log_in(browser, site, "organiser")
    organiser.goto(url + "check-in/")
    for code in (li_code, kou_code, kou_code.lower()):
        organiser.fill("input[name=code]", code)
        organiser.locator("form:has(input[name=code]) button").click()
        assert organiser.get_by_test_id("checked-in").is_visible()
    count = organiser.get_by_test_id("checkin-count").inner_text()
    assert re.findall(r"\d+", count) == ["2", "2"]  # 2 of 2 checked in

    # held, minuted with a proposal credited to 寇, report published
    organiser.goto(url + "organise/")
    button(organiser, "hold")
    organiser.fill("textarea[name=minutes]", "现场会诊：压盖机出口加装歪盖传感器。")
    organiser.fill("textarea[name=proposal_text]", "加装歪盖传感器并按品种做标记")
    organiser.select_option("select[name=proposal_problem]", label=problem.title)
    organiser.select_option(
        "select[name=proposal_by]", label=f"卫东 寇 ({studios[0].name})"
    )
    button(organiser, "minutes")
    button(organiser, "publish_report")
    session.refresh_from_db()
    assert session.status == SessionStatus.REPORT_PUBLISHED
    assert problem.proposals.get().author == kou

    # the alliance's page shows it, and leads to the report
    reader = browser.new_page()
    reader.goto(site + group.url)
    timeline = reader.get_by_test_id("timeline")
    assert "第三次技术协作攻关" in timeline.inner_text()
    assert reader.get_by_test_id("participants").inner_text() == "2"
    timeline.get_by_role("link", name="第三次技术协作攻关").click()
    report = reader.get_by_test_id("session-report").inner_text()
    assert "加装歪盖传感器" in report and "寇" in report
    screenshot(reader, "session-report")

    # 寇 downloads the certificate from their account page
    first.goto(site + "/accounts/")
    assert first.get_by_test_id("sessions-attended").inner_text() == "1"
    with first.expect_download() as download:
        first.get_by_test_id("attended").get_by_test_id("certificate").click()
    content = download.value.path().read_bytes()
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(content)).pages
    ).replace("\x00", "")
    assert "寇卫东" in text and "第三次技术协作攻关" in text
    assert Registration.objects.filter(
        user=kou, state=RegistrationState.ATTENDED
    ).exists()
