"""A proposal's files: sent with the proposal, opened only by the enterprise,
union staff and the proposing studio — never by a competing studio."""

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile

from problems import services
from problems.models import Attachment, Proposal, Status
from tests.factories import published

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def invited(cast, private_folder):  # noqa: F811
    problem = published(cast)
    services.invite_studios(
        problem=problem, user=cast["staff"], studios=list(cast["studios"].values())
    )
    return problem


def propose(client, problem, files, text="加装视觉检测与剔除。"):
    return client.post(
        f"/problems/{problem.pk}/act/propose/",
        {"text": text, "estimated_days": "30", "files": files},
    )


def test_a_proposal_carries_files_that_competitors_cannot_open(client, cast, invited):  # noqa: F811
    client.force_login(cast["vision"])
    response = propose(
        client, invited, [SimpleUploadedFile("方案.pdf", PDF, "application/pdf")]
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get(problem=invited)
    [attachment] = proposal.attachments.all()
    url = f"/problems/{invited.pk}/attachments/{attachment.pk}/"

    for who in ("vision", "a", "staff"):
        client.force_login(cast[who])
        download = client.get(url)
        assert download.status_code == 200, who
        assert b"".join(download.streaming_content) == PDF

    client.force_login(cast["bottling"])  # invited too, but a competitor
    assert client.get(url).status_code == 404
    page = client.get(f"/problems/{invited.pk}/").content.decode()
    assert "加装视觉检测与剔除" not in page and "方案.pdf" not in page
    api = client.get(f"/api/v1/problems/{invited.pk}/proposals/")
    assert api.status_code == 200 and api.json() == []

    client.force_login(cast["a"])
    soup = BeautifulSoup(
        client.get(f"/problems/{invited.pk}/").content.decode(), "html.parser"
    )
    assert [a.get_text() for a in soup.select(".proposals .attachments a")] == [
        "方案.pdf"
    ]
    # the problem's own file list does not mix in the proposal's
    assert not soup.select("article > ul.attachments")


def test_a_mislabelled_file_refuses_the_whole_proposal(client, cast, invited):  # noqa: F811
    client.force_login(cast["vision"])
    fake = SimpleUploadedFile("方案.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = propose(client, invited, [fake])
    assert response.status_code == 409
    assert (
        "不是真正的" in response.content.decode() or ".pdf" in response.content.decode()
    )
    invited.refresh_from_db()
    assert invited.status == Status.INVITED
    assert not Proposal.objects.exists() and not Attachment.objects.exists()
