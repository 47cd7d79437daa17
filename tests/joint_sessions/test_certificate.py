"""The participation certificate: a PDF for each attended session, for the
attendee and union staff only, with the Chinese font embedded, so its text
layer carries the attendee's name and the session's title."""

import io

import pytest
from pypdf import PdfReader

from joint_sessions.models import RegistrationState
from tests.joint_sessions.support import held

pytestmark = pytest.mark.django_db


@pytest.fixture
def attended(w):
    a, __, c, __ = w.crafts
    a.last_name, a.first_name = "寇", "卫东"
    a.save()
    registrations = held(w, [(a, w.vision), (c, w.electric)])
    return registrations[0]


def url(registration):
    return f"/sessions/{registration.session_id}/certificates/{registration.pk}/"


def pdf_text(content):
    """The text layer of every page. pypdf reads the two-byte codes of an
    Identity-H font with a NUL before each character: those are dropped."""
    reader = PdfReader(io.BytesIO(content))
    return "".join(page.extract_text() for page in reader.pages).replace("\x00", "")


def fonts(content):
    """(base font, embedded font file key) of each font the pages use, looking
    into the descendant fonts of composite (Type0) fonts."""
    found = []
    for page in PdfReader(io.BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for part in font.get("/DescendantFonts", [font]):
                part = part.get_object()
                descriptor = part["/FontDescriptor"].get_object()
                files = [
                    k
                    for k in ("/FontFile", "/FontFile2", "/FontFile3")
                    if k in descriptor
                ]
                found.append((str(part["/BaseFont"]), files))
    return found


def test_the_attendee_downloads_a_pdf_with_their_name_and_the_title(
    client, w, attended
):
    client.force_login(attended.user)
    response = client.get(url(attended))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    content = response.content
    assert content.startswith(b"%PDF-")
    text = pdf_text(content)
    assert "寇卫东" in text
    assert w.session.title in text
    assert w.alliance.title in text
    assert w.inside[0].name in text


def test_the_chinese_font_is_embedded(client, attended):
    client.force_login(attended.user)
    used = fonts(client.get(url(attended)).content)
    assert used, "the certificate uses no font"
    for base_font, files in used:
        assert files, f"{base_font} is not embedded"
    assert any("NotoSansSC" in base for base, __ in used)


def test_staff_download_any_attendees_certificate(client, w, attended):
    client.force_login(w.staff)
    response = client.get(url(attended))
    assert response.status_code == 200
    assert "寇卫东" in pdf_text(response.content)


def test_nobody_else_gets_a_certificate(client, w, attended):
    other = w.session.registrations.exclude(pk=attended.pk).get()
    for reader in (other.user, w.crafts[1], w.owner, w.stranger):
        client.force_login(reader)
        assert client.get(url(attended)).status_code == 404
    client.logout()
    response = client.get(url(attended))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_no_certificate_without_attendance_or_for_another_session(client, w, attended):
    client.force_login(attended.user)
    wrong = f"/sessions/{attended.session_id + 1}/certificates/{attended.pk}/"
    assert client.get(wrong).status_code == 404
    attended.state = RegistrationState.NO_SHOW
    attended.save()
    assert client.get(url(attended)).status_code == 404
    client.force_login(w.staff)
    assert client.get(url(attended)).status_code == 404


def test_the_session_page_offers_the_attendee_their_certificate(client, w, attended):
    client.force_login(attended.user)
    page = client.get(f"/sessions/{w.session.pk}/").content.decode()
    assert url(attended) in page
    client.force_login(w.crafts[1])
    page = client.get(f"/sessions/{w.session.pk}/").content.decode()
    assert "/certificates/" not in page
