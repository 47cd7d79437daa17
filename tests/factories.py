import factory
from wagtail.images.tests.utils import get_test_image_file

from core.snippets import District, Honour, IndustryChain
from organisations.models import Enterprise
from studios.models import (
    Achievement,
    AllianceIndexPage,
    AlliancePage,
    Craftsman,
    Studio,
    StudioMember,
    StudioPhoto,
)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"企业{n}")


class IndustryChainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndustryChain
        django_get_or_create = ["name"]

    name = "石油装备"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ["name"]

    name = "渭滨区"


class HonourFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Honour

    name = factory.Sequence(lambda n: f"荣誉{n}")


class CraftsmanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Craftsman

    name = factory.Sequence(lambda n: f"工匠{n}")
    titles = "劳动模范、高级技师"


class StudioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Studio

    slug = factory.Sequence(lambda n: f"s-studio-{n}")
    name = factory.Sequence(lambda n: f"第{n}号劳模创新工作室")
    enterprise = factory.SubFactory(EnterpriseFactory)
    industry_chain = factory.SubFactory(IndustryChainFactory)
    district = factory.SubFactory(DistrictFactory)
    level = "市级"
    expertise = "钻井泵振动抑制与管汇减振。"
    live = True


class AchievementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Achievement

    studio = factory.SubFactory(StudioFactory)
    title = factory.Sequence(lambda n: f"成果{n}")
    kind = "patent"
    year = 2023
    summary = "摘要"


def image(title="photo"):
    from wagtail.images.models import Image

    return Image.objects.create(title=title, file=get_test_image_file())


def alliance(title="测试联盟"):
    index = AllianceIndexPage.objects.get()
    page = AlliancePage(title=title, slug=f"alliance-{AlliancePage.objects.count()}")
    index.add_child(instance=page)
    return page


def rich_studio(n_tags=5, n_achievements=5, n_members=5, n_photos=2):
    """A studio with every kind of related content the page shows."""
    studio = StudioFactory()
    studio.tags.add(*[f"标签{studio.pk}-{i}" for i in range(n_tags)])
    studio.honours.add(*HonourFactory.create_batch(2))
    studio.alliances.add(alliance(f"联盟{studio.pk}"))
    studio.save()
    for i in range(n_members):
        StudioMember.objects.create(
            studio=studio,
            craftsman=CraftsmanFactory(),
            sort_order=i,
            role=StudioMember.Role.LEADER if i == 0 else StudioMember.Role.MEMBER,
        )
    for i in range(n_achievements):
        AchievementFactory(studio=studio, image=image(f"a{i}") if i < 2 else None)
    for i in range(n_photos):
        StudioPhoto.objects.create(studio=studio, image=image(f"p{i}"), sort_order=i)
    return studio


def person(
    role,
    *,
    enterprise=None,
    studio=None,
    approved=True,
    username=None,
    email_verified=True,
    **claim,
):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from accounts.models import Person

    user = get_user_model().objects.create_user(
        username=username or f"{role}-{get_user_model().objects.count()}",
        email=f"{role}{get_user_model().objects.count()}@example.org",
        password="pw-for-tests",
    )
    Person.objects.create(
        user=user,
        role=role,
        enterprise=enterprise,
        studio=studio,
        approved_at=timezone.now() if approved else None,
        email_verified_at=timezone.now() if email_verified else None,
        **claim,
    )
    return user


def totp_device(user):
    """The user's confirmed authenticator (made on first use)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def totp_code(device):
    """The code the authenticator app shows now."""
    import time

    from django_otp.oath import TOTP

    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def pass_second_factor(client, user):
    """Mark the client's session as having passed the second factor with the
    user's authenticator, as entering its code on /accounts/two-factor/ does."""
    from django_otp import DEVICE_ID_SESSION_KEY

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
    session.save()
