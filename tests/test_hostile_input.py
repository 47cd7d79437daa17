"""Hostile input: every bad request is a clear 4xx and leaves nothing behind.

First the inputs that once answered 500, one test each; then a suite that
sends hostile values to every form, query parameter and API operation
(schemathesis for the API, a corpus for pages and uploads) and checks two
things of every response: it is not a server error, and when the request is
refused, the main tables and the private file folder are as they were."""

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from problems import services
from problems.models import (
    Attachment,
    Invitation,
    MatchSuggestion,
    Notification,
    Outcome,
    Problem,
    ProblemEvent,
    Proposal,
    Status,
)

from .factories import AchievementFactory, alliance
from .test_problem_lifecycle import draft, make_cast, published

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999999"  # beyond 64 bits
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
COUNTED = (
    Problem,
    Proposal,
    Attachment,
    Outcome,
    ProblemEvent,
    Notification,
    MatchSuggestion,
    Invitation,
)
# Requests sent by the suite, per part (the last test checks the total).
SENT = {}


@pytest.fixture
def private(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    (tmp_path / "private").mkdir()
    return tmp_path / "private"


@pytest.fixture
def cast(db):
    return make_cast()


def api(user=None):
    client = APIClient(raise_request_exception=False)
    if user:
        token = Token.objects.get_or_create(user=user)[0]
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def page_client(user=None):
    client = Client(raise_request_exception=False)
    if user:
        client.force_login(user)
    return client


# --- files --------------------------------------------------------------------


def _chunk(kind, data):
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_bomb(width, height, full=True):
    """A 1-bit PNG of width × height zero pixels: a few KB that decode to a
    huge image. ``full=False`` leaves the pixel data out (the header alone
    says how large it is)."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    idat = b""
    if full:
        row = b"\x00" * (1 + (width + 7) // 8)
        packer = zlib.compressobj(9)
        idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )


def small_png():
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(out, format="PNG")
    return out.getvalue()


def a_zip(parts):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def docx():
    return a_zip(
        {
            "[Content_Types].xml": "<?xml version='1.0'?><Types/>",
            "word/document.xml": "<?xml version='1.0'?><w:document/>",
        }
    )


POLYGLOT = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script>\n%%EOF\n"
BAD_FILES = {
    "bomb.png": png_bomb(50_000, 50_000, full=False),
    "13000.png": png_bomb(13_000, 13_000),
    "fake.docx": a_zip({"a.txt": "any zip at all"}),
    "fake.xlsx": docx(),  # a Word document is not a workbook
    "poly.pdf": POLYGLOT,
    "exe.pdf": b"MZ\x90\x00 not a pdf",
    "truncated.png": small_png()[:40],
    "script.html": b"<html><script>1</script></html>",
}


def listing(folder):
    return sorted(str(p.relative_to(folder)) for p in Path(folder).rglob("*"))


def snapshot(folder):
    counts = {model.__name__: model.objects.count() for model in COUNTED}
    from django.contrib.auth import get_user_model

    counts["User"] = get_user_model().objects.count()
    return counts, listing(folder)


# --- the inputs that once answered 500 -----------------------------------------


@pytest.mark.parametrize("body", ["[1]", '"x"', "1", "null", "[" * 5000 + "]" * 5000])
def test_an_action_body_that_is_not_a_json_object_is_a_400(cast, body):
    problem = published(cast)
    before = ProblemEvent.objects.count()
    response = api(cast["staff"]).post(
        f"/api/v1/problems/{problem.pk}/actions/return/",
        body,
        content_type="application/json",
    )
    assert response.status_code == 400, response.content[:300]
    assert response.json()["detail"]
    assert ProblemEvent.objects.count() == before


def test_json_nested_below_the_recursion_limit_is_refused_too(cast):
    deep = '{"reason": ' + "[" * 50 + "]" * 50 + "}"
    response = api(cast["a"]).post(
        "/api/v1/problems/", deep, content_type="application/json"
    )
    assert response.status_code == 400 and "nested" in response.json()["detail"]


@pytest.mark.parametrize(
    "value", ["abc", 1.5, "1.5", {}, [], None, True, -3, 0, HUGE, int(HUGE)]
)
def test_ids_in_action_data_are_parsed_strictly(cast, value):
    problem = published(cast)
    client = api(cast["staff"])
    for name, key in (
        ("decide_match", "match"),
        ("accept_proposal", "proposal"),
        ("decline_proposal", "proposal"),
        ("invite", "studio"),
        ("merge", "into"),
    ):
        response = client.post(
            f"/api/v1/problems/{problem.pk}/actions/{name}/",
            {key: value, "decision": "confirmed", "reason": "cost"},
            format="json",
        )
        assert response.status_code in (400, 404), (name, value, response.content)
        assert response.json()  # a body that says why
    assert not Invitation.objects.exists()
    assert problem.events.count() == 3  # submit, review, publish


@pytest.mark.parametrize("value", ["abc", "1.5", HUGE, "-1", "", "1,2"])
def test_ids_posted_from_the_pages_are_parsed_strictly(cast, value):
    problem = published(cast)
    client = page_client(cast["staff"])
    for name, key in (
        ("decide_match", "match"),
        ("accept_proposal", "proposal"),
        ("invite", "studio"),
        ("merge", "into"),
    ):
        response = client.post(f"/problems/{problem.pk}/act/{name}/", {key: value})
        assert 400 <= response.status_code < 500, (name, value)
    assert not Invitation.objects.exists()


def test_a_null_reason_is_a_400_with_a_message(cast):
    problem = draft(cast)
    services.submit_problem(problem=problem, user=cast["a"])
    response = api(cast["staff"]).post(
        f"/api/v1/problems/{problem.pk}/actions/return/",
        {"reason": None},
        format="json",
    )
    assert response.status_code == 400 and "reason" in response.json()
    problem.refresh_from_db()
    assert problem.status == Status.SUBMITTED


@pytest.mark.parametrize(
    "url",
    [
        "/problems/?chain={n}",
        "/problems/?alliance={n}",
        "/problems/?district={n}",
        "/problems/?page={n}",
        "/studios/?chain={n}",
        "/studios/?district={n}",
        "/studios/?alliance={n}",
        "/achievements/?chain={n}",
        "/achievements/?alliance={n}",
        "/achievements/?year={n}",
        "/search/?q=焊接&page={n}",
        "/search/?q=焊接&year={n}",
    ],
)
def test_integers_beyond_64_bits_in_filters_are_a_400(client, url):
    response = client.get(url.format(n=HUGE))
    assert response.status_code == 400
    fine = "2023" if "year" in url else "2"
    assert client.get(url.format(n=fine)).status_code == 200


def test_a_decompression_bomb_is_refused_before_a_pixel_is_decoded(
    client, cast, private, monkeypatch
):
    from PIL import ImageFile

    def no_decoding(self):
        raise AssertionError("an oversized image was decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    client.force_login(cast["a"])
    for name in ("bomb.png", "13000.png"):
        response = client.post(
            "/problems/new/",
            {
                "title": "炸弹",
                "description": "图",
                "confidentiality": "public",
                "files": [SimpleUploadedFile(name, BAD_FILES[name])],
            },
        )
        assert response.status_code == 400, name
        assert "40" in response.content.decode()  # says the budget
    assert not Problem.objects.exists() and listing(private) == []


def test_office_files_must_be_real_ooxml_and_polyglots_are_refused(
    client, cast, private
):
    client.force_login(cast["a"])

    def post(name, data):
        return client.post(
            "/problems/new/",
            {
                "title": "文件",
                "description": "附件",
                "confidentiality": "public",
                "files": [SimpleUploadedFile(name, data)],
            },
        )

    for name in ("fake.docx", "fake.xlsx", "poly.pdf"):
        assert post(name, BAD_FILES[name]).status_code == 400, name
    assert not Problem.objects.exists() and listing(private) == []
    assert post("真的.docx", docx()).status_code == 302
    assert post("真的.pdf", PDF).status_code == 302
    assert Attachment.objects.count() == 2


def test_a_long_cjk_file_name_is_shortened_safely(client, cast, private):
    client.force_login(cast["a"])
    response = client.post(
        "/problems/new/",
        {
            "title": "长文件名",
            "description": "附件",
            "confidentiality": "public",
            "files": [SimpleUploadedFile("../" + "焊" * 120 + ".pdf", PDF)],
        },
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.name.endswith(".pdf") and attachment.name.startswith("焊")
    assert len(attachment.name) <= 100 and len(attachment.name.encode()) <= 180
    assert "/" not in attachment.name and ".." not in attachment.name
    assert (private / attachment.file.name).read_bytes() == PDF


def test_money_days_and_dates_must_be_sane(client, cast, private):
    problem = published(cast)
    services.invite_studios(
        problem=problem, user=cast["staff"], studios=[cast["studios"]["vision"]]
    )
    client.force_login(cast["vision"])
    for data in (
        {"estimated_cost_wan_yuan": "-5"},
        {"estimated_days": "-1"},
        {"estimated_days": "100000"},
        {"estimated_days": HUGE},
    ):
        response = client.post(
            f"/problems/{problem.pk}/act/propose/", {"text": "方案", **data}
        )
        assert response.status_code == 409, data
    assert not Proposal.objects.exists()
    client.force_login(cast["staff"])
    for held_on in ("0001-01-01", "1999-12-31", "9999-12-31"):
        response = client.post(
            f"/problems/{problem.pk}/act/hold_session/", {"held_on": held_on}
        )
        assert response.status_code == 409, held_on
    assert not problem.events.filter(action="hold_session").exists()

    client.force_login(cast["a"])
    for deadline in ("0001-01-01", "2001-01-01", "2999-01-01"):
        response = client.post(
            "/problems/new/",
            {
                "title": "期限",
                "description": "d",
                "confidentiality": "public",
                "deadline": deadline,
            },
        )
        assert response.status_code == 400, deadline
        created = api(cast["a"]).post(
            "/api/v1/problems/",
            {"title": "期限", "description": "d", "deadline": deadline},
            format="json",
        )
        assert created.status_code == 400 and "deadline" in created.json()
    assert Problem.objects.count() == 1


def test_outcome_benefits_and_counts_are_bounded(client, cast):
    problem = published(cast)
    services.invite_studios(
        problem=problem, user=cast["staff"], studios=[cast["studios"]["vision"]]
    )
    proposal = services.submit_proposal(problem=problem, user=cast["vision"], text="t")
    services.accept_proposal(proposal=proposal, user=cast["a"])
    client.force_login(cast["vision"])
    good = {
        "result": "solved",
        "solution": "换了光源",
        "patents": "0",
        "five_smalls": "0",
    }
    for bad in (
        {"actual_benefit_wan_yuan": "-1"},
        {"projected_benefit_wan_yuan": "-0.01"},
        {"patents": "1001"},
        {"five_smalls": HUGE},
        {"solution": "解" * 5001},
    ):
        response = client.post(
            f"/problems/{problem.pk}/act/record_outcome/", {**good, **bad}
        )
        assert response.status_code == 409, bad
    assert not Outcome.objects.exists()
    assert (
        client.post(
            f"/problems/{problem.pk}/act/record_outcome/",
            {**good, "solution": "解" * 5000},
        ).status_code
        == 302
    )


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("title", 200),
        ("description", 5000),
        ("production_line", 200),
        ("symptoms", 2000),
        ("tried", 2000),
        ("expected_outcome", 2000),
        ("public_summary", 2000),
    ],
)
def test_every_problem_text_has_a_length_limit_in_form_and_api(
    client, cast, field, limit
):
    base = {"title": "标题", "description": "描述", "confidentiality": "public"}
    client.force_login(cast["a"])
    assert (
        client.post("/problems/new/", {**base, field: "字" * (limit + 1)}).status_code
        == 400
    )
    response = api(cast["a"]).post(
        "/api/v1/problems/", {**base, field: "字" * (limit + 1)}, format="json"
    )
    assert response.status_code == 400 and field in response.json()
    assert not Problem.objects.exists()
    assert (
        client.post("/problems/new/", {**base, field: "字" * limit}).status_code == 302
    )
    response = api(cast["a"]).post(
        "/api/v1/problems/", {**base, field: "字" * limit}, format="json"
    )
    assert response.status_code == 201
    # the form says the limit: the browser stops there, the counter shows it
    page = client.get("/problems/new/").content.decode()
    assert f'name="{field}" maxlength="{limit}"' in page.replace(
        ' cols="40" rows="10"', ""
    )


def test_the_form_pages_load_the_counter_as_a_file_not_inline(client, cast):
    problem = published(cast)
    client.force_login(cast["a"])
    for url in ("/problems/new/", f"/problems/{problem.pk}/"):
        page = client.get(url).content.decode()
        assert '<script src="/static/js/char-counter.js" defer></script>' in page
        assert "<script>" not in page and " oninput=" not in page
    script = client.get("/static/js/char-counter.js")
    assert script.status_code == 200


def test_similar_problems_read_a_bounded_text(cast, monkeypatch):
    from search import text

    from problems.matching import query_for
    from problems.selectors import likely_duplicates

    seen = []
    real = text.tokens
    monkeypatch.setattr(text, "tokens", lambda s: seen.append(len(s)) or real(s))
    long = "轴承温升" * 30_000  # stored before the limits existed
    for i in range(3):
        Problem.objects.filter(pk=published(cast).pk).update(description=long + str(i))
    problem = Problem.objects.first()
    assert likely_duplicates(problem)  # they share words
    assert seen and max(seen) <= 2000
    assert len(query_for(problem).text) <= 2100  # title, tags and 2,000 chars
