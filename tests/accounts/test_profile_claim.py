"""A craftsman's account and their public profile (studios.Craftsman): the
craftsman claims one of their own studio's unclaimed profiles on the account
page; union staff set or clear it in the admin. Everything else is refused
with a message and changes nothing."""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext

from accounts import services
from accounts.models import Person
from studios.models import StudioMember
from tests.factories import CraftsmanFactory, StudioFactory, UserFactory, person

pytestmark = pytest.mark.django_db

CLAIM = "/accounts/profile/claim/"
# the messages as the reader reads them (the site's language)
NOT_OURS = gettext("This public profile is not one of your studio's.")
CLAIMED = gettext("Another account has already claimed this public profile.")


@pytest.fixture
def studio():
    return StudioFactory(slug="s-claim")


def member(studio, name):
    return StudioMember.objects.create(
        studio=studio, craftsman=CraftsmanFactory(name=name)
    ).craftsman


def profile_of(user):
    return Person.objects.get(user=user).profile


def test_a_craftsman_claims_their_studios_profile_on_the_account_page(client, studio):
    me, colleague = member(studio, "王师傅"), member(studio, "李师傅")
    craftsman = person("craftsman", studio=studio)
    client.force_login(craftsman)
    page = BeautifulSoup(client.get("/accounts/").content.decode(), "html.parser")
    options = {o.get_text() for o in page.select("[data-testid=claim-profile] option")}
    assert options == {"王师傅", "李师傅"}
    response = client.post(CLAIM, {"profile": me.pk})
    assert response.status_code == 302
    assert profile_of(craftsman) == me
    page = client.get("/accounts/").content.decode()
    assert me.get_absolute_url() in page
    assert 'data-testid="claim-profile"' not in page
    # a colleague sees only the profile left
    other = person("craftsman", studio=studio)
    client.force_login(other)
    page = BeautifulSoup(client.get("/accounts/").content.decode(), "html.parser")
    options = [o.get_text() for o in page.select("[data-testid=claim-profile] option")]
    assert options == [colleague.name]


def refused(client, user, data, status):
    client.force_login(user)
    response = client.post(CLAIM, data)
    assert response.status_code == status
    page = BeautifulSoup(response.content.decode(), "html.parser")
    error = page.select_one("[data-testid=profile-error]")
    assert error is not None and error.get_text().strip()
    return error.get_text()


def test_another_studios_profile_is_refused(client, studio):
    theirs = member(StudioFactory(slug="s-elsewhere"), "赵师傅")
    craftsman = person("craftsman", studio=studio)
    message = refused(client, craftsman, {"profile": theirs.pk}, 403)
    assert NOT_OURS in message
    assert profile_of(craftsman) is None


def test_a_profile_claimed_by_another_is_refused(client, studio):
    me = member(studio, "王师傅")
    first = person("craftsman", studio=studio)
    services.claim_profile(person=first.person, profile=me, by=first)
    second = person("craftsman", studio=studio)
    message = refused(client, second, {"profile": me.pk}, 409)
    assert CLAIMED in message
    assert profile_of(second) is None and profile_of(first) == me


def test_a_second_claim_is_for_staff_to_make(client, studio):
    me, other = member(studio, "王师傅"), member(studio, "李师傅")
    craftsman = person("craftsman", studio=studio)
    services.claim_profile(person=craftsman.person, profile=me, by=craftsman)
    refused(client, craftsman, {"profile": other.pk}, 409)
    assert profile_of(craftsman) == me


def test_unapproved_and_non_craftsmen_cannot_claim(client, studio):
    me = member(studio, "王师傅")
    unapproved = person("craftsman", studio=studio, approved=False)
    refused(client, unapproved, {"profile": me.pk}, 403)
    refused(client, person("staff"), {"profile": me.pk}, 403)
    assert not Person.objects.filter(profile=me).exists()
    # and the service itself, whatever the page offers
    with pytest.raises(PermissionDenied):
        services.claim_profile(person=unapproved.person, profile=me, by=unapproved)


def test_bad_input_is_a_400(client, studio):
    craftsman = person("craftsman", studio=studio)
    for data in ({}, {"profile": "abc"}, {"profile": 999999}):
        refused(client, craftsman, data, 400)
    assert profile_of(craftsman) is None


def test_one_claims_only_for_oneself(studio):
    me = member(studio, "王师傅")
    craftsman, colleague = (person("craftsman", studio=studio) for _ in range(2))
    with pytest.raises(PermissionDenied):
        services.claim_profile(person=craftsman.person, profile=me, by=colleague)
    assert profile_of(craftsman) is None


def admin_data(client, user_pk, **changes):
    """The admin's edit form of a person, as staff would post it back."""
    form = BeautifulSoup(
        client.get(f"/admin/person/edit/{user_pk}/").content.decode(), "html.parser"
    )
    data = {}
    for field in form.select("form input[name], form select[name]"):
        name = field["name"]
        if field.name == "select":
            chosen = field.select_one("option[selected]")
            data[name] = chosen["value"] if chosen else ""
        elif field.get("type") not in ("submit", "checkbox"):
            data[name] = field.get("value", "")
    data.update(changes)
    return data


def test_staff_set_and_clear_the_profile_in_the_admin(client, studio):
    me = member(studio, "王师傅")
    theirs = member(StudioFactory(slug="s-elsewhere"), "赵师傅")
    craftsman = person("craftsman", studio=studio)
    pk = craftsman.person.pk
    client.force_login(person("staff"))
    url = f"/admin/person/edit/{pk}/"
    # another studio's profile: the form says why, nothing saved
    response = client.post(url, admin_data(client, pk, profile=theirs.pk))
    assert response.status_code == 200
    assert NOT_OURS in response.content.decode()
    assert profile_of(craftsman) is None
    response = client.post(url, admin_data(client, pk, profile=me.pk))
    assert response.status_code == 302, response.content.decode()[:300]
    assert profile_of(craftsman) == me
    # held by someone: another person cannot be given it
    colleague = person("craftsman", studio=studio)
    other = colleague.person.pk
    response = client.post(
        f"/admin/person/edit/{other}/", admin_data(client, other, profile=me.pk)
    )
    assert response.status_code == 200
    assert CLAIMED in response.content.decode()
    assert profile_of(colleague) is None
    # cleared
    response = client.post(url, admin_data(client, pk, profile=""))
    assert response.status_code == 302
    assert profile_of(craftsman) is None


def test_the_admin_loses_a_race_with_a_409(client, studio, monkeypatch):
    """The form was valid when checked, and the profile was claimed between
    the check and the save: the save locks, sees it, and answers 409."""
    me = member(studio, "王师傅")
    craftsman, rival = (person("craftsman", studio=studio) for _ in range(2))
    pk = craftsman.person.pk
    client.force_login(person("staff"))
    data = admin_data(client, pk, profile=me.pk)
    real_clean = Person.validate_unique

    def claimed_meanwhile(self, exclude=None):
        real_clean(self, exclude)
        Person.objects.filter(pk=rival.person.pk).update(profile=me)

    monkeypatch.setattr(Person, "validate_unique", claimed_meanwhile)
    response = client.post(f"/admin/person/edit/{pk}/", data)
    assert response.status_code == 409
    assert CLAIMED in response.content.decode()
    assert profile_of(craftsman) is None and profile_of(rival) == me


def test_the_admin_creating_a_person_loses_a_race_with_a_409(
    client, studio, monkeypatch
):
    """Staff add a person holding a profile that is claimed between the
    form's check and the save: a 409 with the form and its message, nothing
    saved (not a 500 from the unique key)."""
    me = member(studio, "王师傅")
    rival = person("craftsman", studio=studio)
    newcomer = UserFactory()
    client.force_login(person("staff"))
    form = BeautifulSoup(
        client.get("/admin/person/new/").content.decode(), "html.parser"
    )
    data = {
        f["name"]: f.get("value", "")
        for f in form.select("form input[name]")
        if f.get("type") not in ("submit", "checkbox")
    }
    data.update(
        user=newcomer.pk,
        role=rival.person.role,
        studio=studio.pk,
        profile=me.pk,
        approved_at="2026-01-01 10:00",
    )
    real_clean = Person.validate_unique

    def claimed_meanwhile(self, exclude=None):
        real_clean(self, exclude)
        Person.objects.filter(pk=rival.person.pk).update(profile=me)

    monkeypatch.setattr(Person, "validate_unique", claimed_meanwhile)
    response = client.post("/admin/person/new/", data)
    assert response.status_code == 409, response.content.decode()[:500]
    assert CLAIMED in response.content.decode()
    assert not Person.objects.filter(user=newcomer).exists()
    assert profile_of(rival) == me
