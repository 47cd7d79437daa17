"""Accounts that are who they say: strong passwords everywhere, registration
as a claim that union staff decide on, one account per verified address, no
way to learn which names or addresses exist, and a second factor for staff."""

import io
import json
import os
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import IntegrityError, transaction

from accounts.models import Person
from organisations.credit_code import check_character, validate_credit_code
from organisations.models import Enterprise
from tests.factories import (
    EnterpriseFactory,
    StudioFactory,
    person,
    totp_code,
    totp_device,
)
from tests.support import ROOT

pytestmark = pytest.mark.django_db

CODE = "91350100M000100Y43"  # a valid unified social credit code
STRONG = "Qingdao-hops-2026!"


@pytest.fixture
def client(client, django_capture_on_commit_callbacks):
    """Each request commits as it does outside tests, so the mail it leaves
    for after the commit is sent."""
    original = client.request

    def request(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return original(**kwargs)

    client.request = request
    return client


def make_code(first17):
    return first17 + check_character(first17)


def registration(**overrides):
    data = {
        "username": "qdbeer",
        "email": "qdbeer@example.org",
        "role": "enterprise",
        "enterprise_name": "青岛啤酒宝鸡有限公司",
        "credit_code": CODE,
        "password1": STRONG,
        "password2": STRONG,
    }
    data.update(overrides)
    return data


def link_in(message, marker):
    url = next(w for w in message.body.split() if marker in w)
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def register_and_verify(client, **overrides):
    assert client.post("/accounts/register/", registration(**overrides)).status_code
    (message,) = [m for m in mail.outbox if "/accounts/verify/" in m.body]
    mail.outbox.clear()
    assert client.get(link_in(message, "/accounts/verify/")).status_code == 302
    return Person.objects.get(user__username=overrides.get("username", "qdbeer"))


def errors(response):
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return " ".join(e.get_text() for e in soup.select(".errorlist"))


# --- passwords ---------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    [
        "1",  # too short
        "Short-1!",  # 8 characters
        "password123",  # common
        "73921048561",  # only digits
        "qdbeer2026",  # like the username
    ],
)
def test_weak_passwords_are_refused_at_registration(client, password):
    response = client.post(
        "/accounts/register/", registration(password1=password, password2=password)
    )
    assert response.status_code == 400
    assert errors(response)
    assert not get_user_model().objects.filter(username="qdbeer").exists()
    assert not mail.outbox


def test_a_weak_password_is_refused_at_reset_and_at_change(client):
    user = person("enterprise", enterprise=EnterpriseFactory())
    client.post("/accounts/password-reset/", {"email": user.email})
    (message,) = mail.outbox
    confirm = client.get(link_in(message, "/password-reset/"), follow=True)
    form_url = confirm.redirect_chain[-1][0]
    weak = client.post(form_url, {"new_password1": "1", "new_password2": "1"})
    assert weak.status_code == 200 and errors(weak)
    user.refresh_from_db()
    assert not user.check_password("1")

    client.force_login(user)
    change = client.post(
        "/accounts/password/",
        {
            "old_password": "pw-for-tests",
            "new_password1": "123456789",
            "new_password2": "123456789",
        },
    )
    assert change.status_code == 200 and errors(change)
    user.refresh_from_db()
    assert user.check_password("pw-for-tests")
    ok = client.post(
        "/accounts/password/",
        {
            "old_password": "pw-for-tests",
            "new_password1": STRONG,
            "new_password2": STRONG,
        },
    )
    assert ok.status_code == 302
    user.refresh_from_db()
    assert user.check_password(STRONG)


@pytest.mark.parametrize("module", ["dev", "test", "production"])
def test_every_environment_validates_passwords(module):
    env = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(DJANGO_SETTINGS_MODULE=f"config.settings.{module}", SECRET_KEY="k" * 60)
    script = (
        "import json; from django.conf import settings; "
        "print(json.dumps(settings.AUTH_PASSWORD_VALIDATORS))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    validators = {v["NAME"].rsplit(".", 1)[1]: v for v in json.loads(result.stdout)}
    assert set(validators) >= {
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "UserAttributeSimilarityValidator",
        "NumericPasswordValidator",
    }
    assert validators["MinimumLengthValidator"]["OPTIONS"]["min_length"] >= 10


# --- the unified social credit code -----------------------------------------


def test_the_check_digit_of_gb_32100():
    validate_credit_code(CODE)
    validate_credit_code(make_code("91610301MA6X00000"))
    assert check_character(CODE[:17]) == CODE[17]


@pytest.mark.parametrize(
    "code",
    [
        CODE[:17] + ("0" if CODE[17] != "0" else "1"),  # wrong check digit
        CODE[:17],  # too short
        "91350100M000100I43",  # I is not in the alphabet
    ],
)
def test_a_claim_with_a_bad_credit_code_is_refused_on_that_field(client, code):
    response = client.post("/accounts/register/", registration(credit_code=code))
    assert response.status_code == 400
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    field = soup.select_one("#id_credit_code")
    assert field is not None
    assert field.get("aria-invalid") == "true"  # the error is on that field
    assert not get_user_model().objects.filter(username="qdbeer").exists()


def test_a_lower_case_code_with_spaces_is_accepted_and_stored_normalised(client):
    waiting = register_and_verify(
        client, credit_code=" " + CODE.lower()[:9] + " " + CODE.lower()[9:]
    )
    assert waiting.claimed_credit_code == CODE


# --- claims ------------------------------------------------------------------


def test_registration_creates_no_enterprise_and_joins_none(client):
    existing = EnterpriseFactory(name="青岛啤酒宝鸡有限公司")
    before = Enterprise.objects.count()
    waiting = register_and_verify(client)
    assert Enterprise.objects.count() == before
    assert waiting.enterprise is None and not waiting.approved
    client.force_login(waiting.user)
    assert client.get("/problems/new/").status_code == 403
    register_and_verify(
        client,
        username="other",
        email="other@example.org",
        enterprise_name="从没听说过的公司",
        credit_code=make_code("91610301MA6X00000"),
    )
    assert Enterprise.objects.count() == before  # an unknown name: none made
    assert not existing.people.exists()


def test_staff_see_the_claim_and_whom_it_would_join(client):
    enterprise = EnterpriseFactory(name="青岛啤酒宝鸡有限公司", credit_code=CODE)
    member = person("enterprise", enterprise=enterprise, username="old-hand")
    waiting = register_and_verify(client, enterprise_name="青啤宝鸡")  # code matches
    client.force_login(person("staff"))
    page = BeautifulSoup(
        client.get("/accounts/pending/").content.decode(), "html.parser"
    )
    claim = page.select_one(f"[data-testid=claim-{waiting.pk}]").get_text(" ")
    for shown in ("qdbeer", "qdbeer@example.org", "青啤宝鸡", CODE):
        assert shown in claim
    assert "青岛啤酒宝鸡有限公司" in claim  # the enterprise it would join
    assert member.username in claim and member.email in claim  # its members
    buttons = [
        b.get_text() for b in page.select(f"[data-testid=claim-{waiting.pk}] button")
    ]
    assert len(buttons) == 2  # approve and reject


def test_approval_attaches_to_the_enterprise_with_that_code(client):
    enterprise = EnterpriseFactory(name="青岛啤酒宝鸡有限公司", credit_code=CODE)
    waiting = register_and_verify(client, enterprise_name="青啤宝鸡")
    client.force_login(person("staff"))
    assert client.post(f"/accounts/pending/{waiting.pk}/approve/").status_code == 302
    waiting.refresh_from_db()
    assert waiting.enterprise == enterprise and waiting.approved
    assert Enterprise.objects.filter(name="青啤宝鸡").count() == 0
    (message,) = mail.outbox
    assert message.to == ["qdbeer@example.org"]
    assert "青岛啤酒宝鸡有限公司" in message.body
    client.force_login(waiting.user)
    assert client.get("/problems/new/").status_code == 200


def test_approval_by_exact_name_records_the_code_and_a_new_name_is_created(client):
    named = EnterpriseFactory(name="青岛啤酒宝鸡有限公司")  # no code yet
    first = register_and_verify(client)
    second_code = make_code("91610301MA6X00000")
    second = register_and_verify(
        client,
        username="newco",
        email="newco@example.org",
        enterprise_name="新公司",
        credit_code=second_code,
    )
    client.force_login(person("staff"))
    client.post(f"/accounts/pending/{first.pk}/approve/")
    client.post(f"/accounts/pending/{second.pk}/approve/")
    named.refresh_from_db()
    assert named.credit_code == CODE
    first.refresh_from_db(), second.refresh_from_db()
    assert first.enterprise == named
    assert second.enterprise == Enterprise.objects.get(credit_code=second_code)
    assert second.enterprise.name == "新公司"


def test_a_name_registered_with_another_code_is_not_approved_blindly(client):
    EnterpriseFactory(
        name="青岛啤酒宝鸡有限公司", credit_code=make_code("9161030100000000A")
    )
    waiting = register_and_verify(client)
    client.force_login(person("staff"))
    response = client.post(f"/accounts/pending/{waiting.pk}/approve/")
    assert response.status_code == 409
    waiting.refresh_from_db()
    assert not waiting.approved and waiting.enterprise is None


def test_two_approvals_creating_the_same_enterprise_lose_with_409(client, monkeypatch):
    from accounts import services

    waiting = register_and_verify(client)
    # another approval made it between this one's look-up and its insert
    monkeypatch.setattr(services, "enterprise_for_claim", lambda person: None)
    EnterpriseFactory(name="青岛啤酒宝鸡有限公司", credit_code=CODE)
    client.force_login(person("staff"))
    assert client.post(f"/accounts/pending/{waiting.pk}/approve/").status_code == 409
    waiting.refresh_from_db()
    assert not waiting.approved and waiting.enterprise is None


def test_an_unverified_address_cannot_be_approved(client):
    client.post("/accounts/register/", registration())
    waiting = Person.objects.get(user__username="qdbeer")
    client.force_login(person("staff"))
    assert client.post(f"/accounts/pending/{waiting.pk}/approve/").status_code == 409
    waiting.refresh_from_db()
    assert not waiting.approved
    assert Enterprise.objects.filter(name="青岛啤酒宝鸡有限公司").count() == 0


def test_rejection_needs_a_reason_is_emailed_and_the_person_cannot_act(client):
    waiting = register_and_verify(client)
    client.force_login(person("staff"))
    no_reason = client.post(f"/accounts/pending/{waiting.pk}/reject/", {"reason": " "})
    assert no_reason.status_code == 400
    waiting.refresh_from_db()
    assert waiting.rejected_at is None and not mail.outbox
    reason = "营业执照上的名称与所填不符 & 请核对"
    assert (
        client.post(
            f"/accounts/pending/{waiting.pk}/reject/", {"reason": reason}
        ).status_code
        == 302
    )
    (message,) = mail.outbox
    assert message.to == ["qdbeer@example.org"] and reason in message.body
    # decided: neither approved now nor rejected again
    assert client.post(f"/accounts/pending/{waiting.pk}/approve/").status_code == 409
    assert "qdbeer" not in client.get("/accounts/pending/").content.decode()
    client.force_login(waiting.user)
    assert client.get("/problems/new/").status_code == 403
    home = BeautifulSoup(client.get("/accounts/").content.decode(), "html.parser")
    assert reason in home.select_one("[data-testid=rejected]").get_text()
    assert Enterprise.objects.filter(name="青岛啤酒宝鸡有限公司").count() == 0


def test_a_craftsman_claims_a_studio_and_joins_it_on_approval(client):
    studio = StudioFactory(name="焊接工作室")
    waiting = register_and_verify(
        client, role="craftsman", studio=studio.pk, enterprise_name="", credit_code=""
    )
    assert waiting.studio is None and waiting.claimed_studio == studio
    client.force_login(person("staff"))
    assert "焊接工作室" in client.get("/accounts/pending/").content.decode()
    client.post(f"/accounts/pending/{waiting.pk}/approve/")
    waiting.refresh_from_db()
    assert waiting.studio == studio and waiting.approved


# --- one account per address, and no enumeration ------------------------------


def test_one_account_per_address_whatever_its_case_without_telling(client):
    first = client.post("/accounts/register/", registration())
    mail.outbox.clear()
    again = client.post(
        "/accounts/register/",
        registration(username="someone-else", email="QDBeer@Example.ORG"),
    )
    assert again.status_code == first.status_code == 302
    assert again["Location"] == first["Location"]
    assert not get_user_model().objects.filter(username="someone-else").exists()
    (notice,) = mail.outbox  # to the owner of the address, not a new link
    assert notice.to == ["qdbeer@example.org"]
    assert "/accounts/verify/" not in notice.body


def test_the_database_holds_one_account_per_address():
    User = get_user_model()
    User.objects.create_user("one", "Same@example.org", STRONG)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("two", "same@EXAMPLE.org", STRONG)


def test_a_taken_username_is_not_revealed(client):
    person("enterprise", enterprise=EnterpriseFactory(), username="qdbeer")
    fresh = client.post(
        "/accounts/register/", registration(username="fresh", email="f@example.org")
    )
    taken = client.post("/accounts/register/", registration())
    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"]
    for case in ("qdbeer", "QDBEER"):
        form = client.post(
            "/accounts/register/", registration(username=case, password2="x")
        )
        assert "already" not in errors(form) and "已存在" not in errors(form)
    assert get_user_model().objects.filter(username__iexact="qdbeer").count() == 1
    told = [m for m in mail.outbox if m.to == ["qdbeer@example.org"]]
    assert len(told) == 1 and "/accounts/verify/" not in told[0].body


def test_password_reset_answers_the_same_for_unknown_addresses(client):
    user = person("enterprise", enterprise=EnterpriseFactory())
    known = client.post("/accounts/password-reset/", {"email": user.email})
    unknown = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1


def test_a_verification_link_works_once(client):
    client.post("/accounts/register/", registration())
    (message,) = mail.outbox
    link = link_in(message, "/accounts/verify/")
    assert client.get(link).status_code == 302
    assert client.get(link).status_code == 400
    assert client.get(link[:-3] + "abc/").status_code == 400


def test_registrations_from_one_address_are_limited(client, settings):
    settings.REGISTRATION_RATE_PER_HOUR = 2
    from django.core.cache import cache

    cache.clear()
    codes = [
        client.post(
            "/accounts/register/",
            registration(username=f"u{i}", email=f"u{i}@example.org"),
        ).status_code
        for i in range(3)
    ]
    assert codes == [302, 302, 429]
    cache.clear()


# --- the second factor of union staff -------------------------------------------

STAFF_ROUTES = [
    "/accounts/pending/",
    "/problems/overdue/",
    "/admin/",
    "/admin/person/",
    "/accounts/",
]


@pytest.mark.parametrize("url", STAFF_ROUTES)
def test_staff_without_the_second_factor_are_sent_to_it(client, url):
    staff = person("staff")
    totp_device(staff)
    client.force_login(staff, second_factor=False)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/two-factor/?next=")


def test_staff_actions_and_api_need_the_second_factor(client):
    staff = person("staff")
    waiting = person("enterprise", approved=False, claimed_enterprise_name="甲").person
    client.force_login(staff, second_factor=False)
    assert client.post(f"/accounts/pending/{waiting.pk}/approve/").status_code == 302
    waiting.refresh_from_db()
    assert not waiting.approved
    assert client.get("/api/v1/problems/").status_code == 403


def test_superusers_need_it_too(client, admin_user):
    client.force_login(admin_user, second_factor=False)
    assert client.get("/admin/").status_code == 302


def test_a_valid_code_lets_staff_through(client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # no pause after the wrong code
    staff = person("staff")
    device = totp_device(staff)
    client.force_login(staff, second_factor=False)
    wrong_code = f"{(int(totp_code(device)) + 500000) % 1000000:06d}"
    wrong = client.post(
        "/accounts/two-factor/", {"token": wrong_code, "next": "/admin/"}
    )
    assert wrong.status_code == 400
    ok = client.post(
        "/accounts/two-factor/", {"token": totp_code(device), "next": "/admin/"}
    )
    assert ok.status_code == 302 and ok["Location"] == "/admin/"
    for url in STAFF_ROUTES:
        assert client.get(url).status_code == 200, url


def test_the_first_sign_in_enrols_and_a_recovery_code_works_once(client):
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    staff = person("staff")
    login = client.post(
        "/accounts/login/", {"username": staff.username, "password": "pw-for-tests"}
    )
    assert login.status_code == 302
    step = client.get(login["Location"])
    assert step["Location"].startswith("/accounts/two-factor/")
    setup = client.get(client.get(step["Location"])["Location"])
    assert setup.status_code == 200
    soup = BeautifulSoup(setup.content.decode(), "html.parser")
    assert soup.select_one("[data-testid=totp-qr] svg") is not None
    secret = soup.select_one("[data-testid=totp-secret]").get_text()
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    import base64
    import time

    assert base64.b32decode(secret) == device.bin_key
    totp = TOTP(device.bin_key)
    totp.time = time.time()
    shown = client.post("/accounts/two-factor/setup/", {"token": f"{totp.token():06d}"})
    assert shown.status_code == 200
    codes = [
        c.get_text()
        for c in BeautifulSoup(shown.content.decode(), "html.parser").select(
            "[data-testid=recovery-codes] code"
        )
    ]
    assert len(codes) == 10
    assert client.get("/accounts/pending/").status_code == 200  # verified now
    # shown once: the setup page does not show them (or a new secret) again
    assert client.get("/accounts/two-factor/setup/").status_code == 302

    client.logout()
    client.force_login(staff, second_factor=False)
    assert client.get("/accounts/pending/").status_code == 302
    used = client.post("/accounts/two-factor/", {"token": codes[0]})
    assert used.status_code == 302
    assert client.get("/accounts/pending/").status_code == 200
    client.logout()
    client.force_login(staff, second_factor=False)
    again = client.post("/accounts/two-factor/", {"token": codes[0]})
    assert again.status_code == 400
    assert client.get("/accounts/pending/").status_code == 302


def test_people_other_than_staff_are_not_asked(client):
    user = person("enterprise", enterprise=EnterpriseFactory())
    client.force_login(user, second_factor=False)
    assert client.get("/problems/new/").status_code == 200
    assert client.get("/accounts/two-factor/").status_code == 403


def test_a_lost_authenticator_is_reset_and_enrolled_again(client):
    from django.core.management import call_command

    staff = person("staff")
    totp_device(staff)
    call_command("reset_second_factor", staff.username, stdout=io.StringIO())
    client.force_login(staff, second_factor=False)
    response = client.get("/accounts/two-factor/")
    assert response["Location"].startswith("/accounts/two-factor/setup/")
