"""Camera check-in: the check-in page may use the camera (only that page),
the scanner and its decoder are served from our own static files, the
scanner's JSON answer, and — in Chromium with a fake camera showing an
attendee's QR code — a scan checks the attendee in once."""

import datetime

import pytest
from django.utils import timezone

from joint_sessions import services
from joint_sessions.models import Registration, RegistrationState
from joint_sessions.views import checkin_qr
from tests.joint_sessions.support import open_session

pytestmark = pytest.mark.django_db

SCRIPTS = (
    "/static/joint_sessions/vendor/jsqr/jsQR.js",
    "/static/joint_sessions/check-in-scanner.js",
)


def features(response):
    policy = response["Permissions-Policy"]
    return dict(part.strip().split("=") for part in policy.split(","))


def soon_session(w):
    """A session starting within the hour: check-in is open."""
    now = timezone.now()
    return open_session(
        w,
        title="今天的会诊",
        starts_at=now + datetime.timedelta(hours=1),
        ends_at=now + datetime.timedelta(hours=3),
        signup_deadline=now + datetime.timedelta(minutes=30),
        cancellation_cutoff=now + datetime.timedelta(minutes=10),
    )


def confirmed(session, user):
    quota = session.quotas.order_by("pk").last()
    return services.sign_up(session=session, user=user, quota=quota, acknowledged=True)


def test_only_the_check_in_page_may_use_the_camera_and_only_for_our_origin(client, w):
    client.force_login(w.staff)
    check_in = client.get(f"/sessions/{w.session.pk}/check-in/")
    assert check_in.status_code == 200
    allowed = features(check_in)
    assert allowed["camera"] == "(self)"
    for feature in ("microphone", "geolocation", "payment", "usb"):
        assert allowed[feature] == "()", feature
    for url in (
        f"/sessions/{w.session.pk}/",
        f"/sessions/{w.session.pk}/organise/",
        "/sessions/",
    ):
        assert features(client.get(url))["camera"] == "()", url


def test_the_scanner_and_its_decoder_come_from_our_static_files(client, w):
    client.force_login(w.staff)
    page = client.get(f"/sessions/{w.session.pk}/check-in/")
    html = page.content.decode()
    csp = page["Content-Security-Policy"]
    assert "script-src 'self';" in csp + ";" and "unsafe-inline" not in csp
    for src in SCRIPTS:
        assert f'src="{src}"' in html
        served = client.get(src)
        assert served.status_code == 200, src
        body = b"".join(served.streaming_content).decode()
        assert "jsQR" in body
    assert 'name="code"' in html  # the typed code stays


def test_a_scan_answers_json_once_and_a_retry_counts_once(client, w):
    session = soon_session(w)
    registration = confirmed(session, w.crafts[0])
    client.force_login(w.staff)
    url = f"/en/sessions/{session.pk}/check-in/"
    answers = [
        client.post(
            url,
            {"code": registration.checkin_code.lower()},
            HTTP_ACCEPT="application/json",
        )
        for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [200, 200]
    first, second = (a.json() for a in answers)
    assert first["ok"] and not first["already"] and "is checked in" in first["message"]
    assert second["ok"] and second["already"]
    assert first["count"] == second["count"] == "1 of 1 checked in"
    registration.refresh_from_db()
    assert registration.state == RegistrationState.ATTENDED


def test_a_bad_scan_answers_json_with_the_reason_and_changes_nothing(client, w):
    session = soon_session(w)
    confirmed(session, w.crafts[0])
    other = confirmed(w.session, w.crafts[1])  # a code of another session
    client.force_login(w.staff)
    url = f"/en/sessions/{session.pk}/check-in/"
    for code, reason in ((other.checkin_code, "another session"), ("X" * 40, "No")):
        answer = client.post(url, {"code": code}, HTTP_ACCEPT="application/json")
        assert answer.status_code == 409
        assert not answer.json()["ok"] and reason in answer.json()["message"]
    assert not Registration.objects.filter(state=RegistrationState.ATTENDED).exists()


def test_the_attendee_gets_a_full_qr_code_that_scanners_read():
    # segno alone picks a Micro QR for 8 characters: no phone reads those
    assert not checkin_qr("ABCDEFGH").is_micro


def test_craftsmen_get_no_check_in_page(client, w):
    client.force_login(w.crafts[0])
    answer = client.post(
        f"/sessions/{w.session.pk}/check-in/",
        {"code": "ABCDEFGH"},
        HTTP_ACCEPT="application/json",
    )
    assert answer.status_code == 403


# ---------------------------------------------------------------------------
# Chromium with a fake camera that films an attendee's QR code
# ---------------------------------------------------------------------------


def qr_video(path, text, width=640, height=480, frames=10):
    """A Y4M clip (Chromium's fake camera plays it in a loop) of the QR code
    of ``text``, black on white, centred."""
    matrix = [list(row) for row in checkin_qr(text).matrix]
    quiet = 4
    cells = len(matrix) + 2 * quiet
    size = min(width, height) * 8 // 10 // cells
    left, top = (width - cells * size) // 2, (height - cells * size) // 2
    luma = bytearray(b"\xff" * (width * height))
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if not dark:
                continue
            for y in range(top + (r + quiet) * size, top + (r + quiet + 1) * size):
                start = y * width + left + (c + quiet) * size
                luma[start : start + size] = b"\x00" * size
    chroma = b"\x80" * (width * height // 2)
    with open(path, "wb") as clip:
        clip.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            clip.write(b"FRAME\n" + bytes(luma) + chroma)
    return path


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_camera_reads_a_qr_code_and_checks_the_attendee_in(
    migration_content, w, live_server, client, tmp_path, sync_orm_beside_playwright
):
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, FLAGS, screenshot

    session = soon_session(w)
    registration = confirmed(session, w.crafts[0])
    video = qr_video(tmp_path / "qr.y4m", registration.checkin_code)
    client.force_login(w.staff)
    cookies = [
        {"name": name, "value": morsel.value, "url": live_server.url}
        for name, morsel in client.cookies.items()
    ]
    flags = [
        *FLAGS,
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=flags)
        context = browser.new_context(
            viewport={"width": 375, "height": 812}, locale="zh-CN"
        )
        context.add_cookies(cookies)
        context.grant_permissions(["camera"], origin=live_server.url)
        page = context.new_page()
        console = []
        page.on("console", lambda message: console.append(message.text))
        page.goto(f"{live_server.url}/en/sessions/{session.pk}/check-in/")
        page.get_by_role("button", name="Scan with the camera").click()
        status = page.get_by_test_id("scanner-status")
        try:
            status.filter(has_text="is checked in").wait_for(timeout=30_000)
        except Exception as exc:
            raise AssertionError(f"{status.inner_text()} {console}") from exc
        assert page.get_by_test_id("checkin-count").inner_text().startswith("1")
        screenshot(page, "joint-session-camera-check-in")
        page.wait_for_timeout(4000)  # the code stays in view: sent again, counted once
        browser.close()
    registration.refresh_from_db()
    assert registration.state == RegistrationState.ATTENDED
    assert Registration.objects.filter(state=RegistrationState.ATTENDED).count() == 1
