"""The problem board through its pages, including hostile input."""

import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import Person
from problems.models import Attachment, Problem, Status
from tests.factories import EnterpriseFactory, StudioFactory, person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_files(private_folder):
    return private_folder


def photo_with_gps():
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x8825] = {1: "N", 2: (34.0, 21.0, 0.0)}  # GPS
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, format="JPEG", exif=exif)
    return out.getvalue()


FORM = {
    "title": "压盖后瓶盖歪斜",
    "description": "瓶盖歪斜靠人工抽检。",
    "confidentiality": "invited",
    "tag_names": "瓶盖、剔除",
}


@pytest.fixture
def enterprise_user():
    return person("enterprise", enterprise=EnterpriseFactory(name="甲企业"))


def post_problem(client, files=(), **fields):
    return client.post("/problems/new/", {**FORM, **fields, "files": list(files)})


def test_posting_a_problem_with_a_photo_strips_its_metadata(client, enterprise_user):
    client.force_login(enterprise_user)
    data = photo_with_gps()
    assert b"CameraMaker" in data
    response = post_problem(
        client, [SimpleUploadedFile("现场.jpg", data, "image/jpeg")]
    )
    assert response.status_code == 302
    problem = Problem.objects.get()
    assert (problem.status, problem.enterprise.name) == (Status.DRAFT, "甲企业")
    assert sorted(problem.tags.names()) == ["剔除", "瓶盖"]
    attachment = problem.attachments.get()
    stored = attachment.file.open("rb").read()
    assert b"CameraMaker" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()
    download = client.get(f"/problems/{problem.pk}/attachments/{attachment.pk}/")
    assert (
        download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    )
    assert b"".join(download.streaming_content) == stored


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("报告.jpg", b"%PDF-1.4 not an image", "的内容并不是 .jpg 文件"),
        (
            "脚本.exe",
            b"MZ\x90\x00",
            "只接受 docx, jpeg, jpg, pdf, png, pptx, webp, xlsx 文件",
        ),
        (
            "页面.pdf",
            b"<html><script>alert(1)</script></html>",
            "的内容并不是 .pdf 文件",
        ),
    ],
)
def test_mislabelled_or_forbidden_uploads_are_refused(
    client, enterprise_user, name, content, message
):
    client.force_login(enterprise_user)
    response = post_problem(client, [SimpleUploadedFile(name, content)])
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Problem.objects.exists() and not Attachment.objects.exists()


def test_an_oversized_upload_is_refused(client, enterprise_user, settings):
    client.force_login(enterprise_user)
    from problems import attachments

    big = SimpleUploadedFile("大.pdf", b"%PDF-1.4" + b"0" * (attachments.MAX_BYTES + 1))
    response = post_problem(client, [big])
    assert response.status_code == 400
    assert "超过 10 MB" in response.content.decode()
    assert not Problem.objects.exists()


def test_html_in_every_text_field_is_shown_escaped(client, enterprise_user):
    client.force_login(enterprise_user)
    hostile = '<script>alert("x")</script><a href="javascript:alert(1)">点</a>'
    post_problem(
        client,
        title=hostile[:190],
        description=hostile,
        symptoms=hostile,
        tried=hostile,
        production_line=hostile[:190],
        expected_outcome=hostile,
    )
    problem = Problem.objects.get()
    page = client.get(problem.get_absolute_url()).content.decode()
    assert "<script>alert" not in page and 'href="javascript:' not in page
    assert "&lt;script&gt;" in page


def test_long_and_unusual_unicode_is_kept_or_refused_cleanly(client, enterprise_user):
    client.force_login(enterprise_user)
    text = "𠀀𪚥\u200b\u202eRTL﷽ 🙂" * 500  # 5,000 characters: the limit
    assert post_problem(client, description=text).status_code == 302
    assert Problem.objects.get().description == text
    response = post_problem(client, title="标" * 201)
    assert response.status_code == 400 and Problem.objects.count() == 1
    response = post_problem(client, description=text + "🙂")
    assert response.status_code == 400 and Problem.objects.count() == 1


def test_downloads_follow_the_problem_permissions(client, enterprise_user):
    client.force_login(enterprise_user)
    post_problem(client, [SimpleUploadedFile("图.png", _png())])
    problem = Problem.objects.get()
    url = f"/problems/{problem.pk}/attachments/{problem.attachments.get().pk}/"
    client.logout()
    assert client.get(url).status_code == 302  # log in first
    for outsider in (
        person("enterprise", enterprise=EnterpriseFactory()),
        person("craftsman", studio=StudioFactory()),
    ):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    staff = person("staff")
    client.force_login(staff)
    assert client.get(url).status_code == 200


def _png():
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, format="PNG")
    return out.getvalue()


def test_an_illegal_action_is_a_409_with_the_reason_and_changes_nothing(
    client, enterprise_user
):
    client.force_login(enterprise_user)
    post_problem(client)
    problem = Problem.objects.get()
    client.force_login(person("staff"))
    response = client.post(f"/problems/{problem.pk}/act/publish/")
    assert response.status_code == 409
    assert "状态的难题不能发布" in response.content.decode()
    problem.refresh_from_db()
    assert problem.status == Status.DRAFT and not problem.events.exists()


def test_unknown_actions_and_hidden_problems_are_404(client, enterprise_user):
    client.force_login(enterprise_user)
    post_problem(client)
    problem = Problem.objects.get()
    assert client.post(f"/problems/{problem.pk}/act/explode/").status_code == 404
    client.force_login(person("enterprise", enterprise=EnterpriseFactory()))
    assert client.post(f"/problems/{problem.pk}/act/submit/").status_code == 404
    assert client.get(f"/problems/{problem.pk}/edit/").status_code == 404


def test_register_wait_for_approval_then_post(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/register/",
            {
                "username": "brewery",
                "email": "b@example.org",
                "role": "enterprise",
                "enterprise_name": "某啤酒公司",
                "credit_code": "91350100M000100Y43",
                "password1": "Str0ng-pass-phrase",
                "password2": "Str0ng-pass-phrase",
            },
        )
    assert response.status_code == 302
    (message,) = mail.outbox
    link = next(w for w in message.body.split() if "/accounts/verify/" in w)
    assert client.get("/" + link.split("://", 1)[1].split("/", 1)[1]).status_code == 302
    waiting = Person.objects.get(user__username="brewery")
    assert waiting.email_verified
    client.force_login(waiting.user)
    assert "等待工会工作人员审核" in client.get("/accounts/").content.decode()
    assert client.get("/problems/new/").status_code == 403
    staff = person("staff")
    client.force_login(staff)
    assert "brewery" in client.get("/accounts/pending/").content.decode()
    client.post(f"/accounts/pending/{waiting.pk}/approve/")
    client.force_login(waiting.user)
    assert client.get("/problems/new/").status_code == 200


def test_only_staff_approve(client):
    waiting = Person.objects.get(
        pk=person(
            "enterprise", enterprise=EnterpriseFactory(), approved=False
        ).person.pk
    )
    client.force_login(person("enterprise", enterprise=EnterpriseFactory()))
    assert client.post(f"/accounts/pending/{waiting.pk}/approve/").status_code == 403
    waiting.refresh_from_db()
    assert waiting.approved_at is None


def test_repeated_failed_logins_are_throttled(client, enterprise_user):
    for _ in range(5):
        client.post(
            "/accounts/login/",
            {"username": enterprise_user.username, "password": "wrong"},
        )
    response = client.post(
        "/accounts/login/",
        {"username": enterprise_user.username, "password": "pw-for-tests"},
    )
    assert response.status_code == 429
    assert "登录失败" in response.content.decode()


def test_password_reset_sends_a_working_link(
    client, enterprise_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password-reset/", {"email": enterprise_user.email})
    (message,) = mail.outbox
    link = next(w for w in message.body.split() if "/password-reset/" in w)
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.get("/" + path, follow=True)
    assert response.status_code == 200
    url = response.redirect_chain[-1][0]
    done = client.post(
        url,
        {
            "new_password1": "An0ther-str0ng-pass",
            "new_password2": "An0ther-str0ng-pass",
        },
    )
    assert done.status_code == 302
    enterprise_user.refresh_from_db()
    assert enterprise_user.check_password("An0ther-str0ng-pass")


def test_a_file_posted_to_an_action_that_takes_none_is_ignored(client):
    staff = person("staff")
    enterprise = EnterpriseFactory(name="乙企业")
    problem = Problem.objects.create(
        enterprise=enterprise, title="t", description="d", status=Status.SUBMITTED
    )
    client.force_login(staff)
    response = client.post(
        f"/problems/{problem.pk}/act/start_review/",
        {"files": SimpleUploadedFile("a.pdf", b"%PDF-1.4", "application/pdf")},
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == Status.IN_REVIEW and not problem.attachments.exists()
