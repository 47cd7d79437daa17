"""Factories for every model of our apps (a test in tests/core checks that
none is missing). People come with a role; problems with a lifecycle state,
reached through the real services, never by writing the status field."""

import datetime

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.images.tests.utils import get_test_image_file

from accounts.models import Person
from core.models import BackgroundJob, SubmissionKey
from core.snippets import District, Honour, IndustryChain
from joint_sessions import services as joint
from joint_sessions.models import (
    CalendarFeed,
    Registration,
    ReportPhoto,
    SeatInvitation,
    Session,
    SessionReportPage,
    SkillQuota,
    VolunteerOffer,
)
from notifications.models import Email, Notification
from organisations.models import Enterprise
from problems import attachments, services
from problems.models import (
    Attachment,
    Confidentiality,
    Invitation,
    MatchSuggestion,
    Outcome,
    Problem,
    ProblemEvent,
    Proposal,
    Status,
)
from search.models import LearnedFusion, ThesaurusEntry
from studios.models import (
    Achievement,
    AllianceChair,
    AllianceIndexPage,
    AlliancePage,
    Craftsman,
    StoryIndexPage,
    StoryPage,
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


def image(title="photo", filename="test.png"):
    from wagtail.images.models import Image

    return Image.objects.create(
        title=title, file=get_test_image_file(filename=filename)
    )


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


# People ---------------------------------------------------------------------


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user-{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("pw-for-tests")


class PersonFactory(factory.django.DjangoModelFactory):
    """A person of one role: `PersonFactory(craftsman=True)`,
    `PersonFactory(staff=True)`, `PersonFactory(pending=True)`…"""

    class Meta:
        model = Person

    class Params:
        craftsman = factory.Trait(
            role="craftsman", enterprise=None, studio=factory.SubFactory(StudioFactory)
        )
        staff = factory.Trait(role="staff", enterprise=None)
        pending = factory.Trait(approved_at=None)

    user = factory.SubFactory(UserFactory)
    role = "enterprise"
    enterprise = factory.SubFactory(EnterpriseFactory)
    studio = None
    approved_at = factory.LazyFunction(timezone.now)
    email_verified_at = factory.LazyFunction(timezone.now)


class SubmissionKeyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubmissionKey

    user = factory.SubFactory(UserFactory)
    scope = "problem-create"
    key = factory.Sequence(lambda n: f"key-{n}")


class BackgroundJobFactory(factory.django.DjangoModelFactory):
    """A matching job waiting in the outbox (core.outbox), as publishing a
    problem records it."""

    class Meta:
        model = BackgroundJob

    task = "problems.match_problem"
    args = factory.LazyFunction(lambda: [1])
    queue = "matching"


# Showcase pages (Wagtail) ---------------------------------------------------


class AlliancePageFactory(wagtail_factories.PageFactory):
    """An alliance under the site's alliance index (made by migrations)."""

    class Meta:
        model = AlliancePage

    title = factory.Sequence(lambda n: f"联盟{n}")
    slug = factory.Sequence(lambda n: f"alliance-f{n}")
    parent = factory.LazyFunction(AllianceIndexPage.objects.get)


class StoryPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = StoryPage

    title = factory.Sequence(lambda n: f"会诊报道{n}")
    slug = factory.Sequence(lambda n: f"story-{n}")
    intro = "联盟工匠到企业现场会诊。"
    body = factory.LazyFunction(
        lambda: [("paragraph", "<p>现场会诊，提出改进方案。</p>")]
    )
    parent = factory.LazyFunction(StoryIndexPage.objects.get)


class AllianceChairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AllianceChair

    alliance = factory.SubFactory(AlliancePageFactory)
    enterprise = factory.SubFactory(EnterpriseFactory)
    start_year = 2024


class StudioMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudioMember

    studio = factory.SubFactory(StudioFactory)
    craftsman = factory.SubFactory(CraftsmanFactory)


class StudioPhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudioPhoto

    studio = factory.SubFactory(StudioFactory)
    image = factory.LazyFunction(image)
    caption = "工作室一角"


class ThesaurusEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThesaurusEntry

    terms = factory.Sequence(lambda n: f"术语{n}, 同义{n}")


class LearnedFusionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LearnedFusion

    lexical_weight = 1.0
    semantic_weight = 0.5
    rrf_k = 10
    problems = 25
    judgments = 60
    ndcg_default = 0.70
    ndcg_fitted = 0.74


# The problem board ----------------------------------------------------------

# What the board writes: problems, all that hangs from them and the
# notifications they send (the tables a test compares before and after).
BOARD_TABLES = (
    Problem,
    ProblemEvent,
    MatchSuggestion,
    Invitation,
    Proposal,
    Attachment,
    Outcome,
    Notification,
)


def _staff():
    return PersonFactory(staff=True).user


LIFECYCLE = {
    "draft": (),
    "submitted": ("submit",),
    "in_review": ("submit", "review"),
    "published": ("submit", "review", "publish"),
}


class ProblemFactory(factory.django.DjangoModelFactory):
    """A problem in a lifecycle state reached through the services:
    `ProblemFactory()` is a draft; `state="submitted"`, `"in_review"` or
    `"published"` take it further (union staff made on the way)."""

    class Meta:
        model = Problem
        skip_postgeneration_save = True

    enterprise = factory.SubFactory(EnterpriseFactory)
    created_by = factory.LazyAttribute(
        lambda o: person("enterprise", enterprise=o.enterprise)
    )
    title = factory.Sequence(lambda n: f"压盖后瓶盖歪斜漏检{n}")
    description = "瓶盖歪斜和错盖靠人工抽检，想在线识别并剔除。"
    confidentiality = Confidentiality.INVITED

    @factory.post_generation
    def state(problem, create, state, **kwargs):
        steps = LIFECYCLE[state or "draft"]
        staff = _staff() if {"review", "publish"} & set(steps) else None
        if "submit" in steps:
            services.submit_problem(problem=problem, user=problem.created_by)
        if "review" in steps:
            services.start_review(problem=problem, user=staff)
        if "publish" in steps:
            services.publish_problem(problem=problem, user=staff)
        problem.refresh_from_db()  # the services worked on their own locked copy


class ProblemEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProblemEvent

    problem = factory.SubFactory(ProblemFactory)
    action = "submitted"


class MatchSuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatchSuggestion

    problem = factory.SubFactory(ProblemFactory, state="published")
    studio = factory.SubFactory(StudioFactory)
    rank = factory.Sequence(lambda n: n + 1)
    score = 0.5
    reasons = factory.LazyFunction(lambda: ["共同的词：瓶盖、歪斜"])


class InvitationFactory(factory.django.DjangoModelFactory):
    """Union staff invite a studio to a published problem."""

    class Meta:
        model = Invitation

    problem = factory.SubFactory(ProblemFactory, state="published")
    studio = factory.SubFactory(StudioFactory)

    @classmethod
    def _create(cls, model_class, problem, studio, **kwargs):
        services.invite_studios(problem=problem, user=_staff(), studios=[studio])
        return problem.invitations.get(studio=studio)


class ProposalFactory(factory.django.DjangoModelFactory):
    """A proposal submitted by an invited studio's craftsman, as the service
    records it."""

    class Meta:
        model = Proposal

    problem = factory.SubFactory(ProblemFactory, state="published")
    studio = factory.SubFactory(StudioFactory)
    text = "加装视觉检测与剔除。"

    @classmethod
    def _create(cls, model_class, problem, studio, text, **kwargs):
        author = person("craftsman", studio=studio)
        if not problem.invitations.filter(studio=studio).exists():
            services.invite_studios(problem=problem, user=_staff(), studios=[studio])
        return services.submit_proposal(
            problem=problem, user=author, text=text, **kwargs
        )


class OutcomeFactory(factory.django.DjangoModelFactory):
    """The outcome a studio records after the enterprise accepted its
    proposal (the whole way through the services)."""

    class Meta:
        model = Outcome

    problem = factory.SubFactory(ProblemFactory, state="published")
    result = Status.SOLVED
    solution = "加装视觉检测与剔除装置。"

    @classmethod
    def _create(cls, model_class, problem, **kwargs):
        proposal = ProposalFactory(problem=problem)
        services.accept_proposal(proposal=proposal, user=problem.created_by)
        return services.record_outcome(problem=problem, user=proposal.author, **kwargs)


class AttachmentFactory(factory.django.DjangoModelFactory):
    """A file attached to a problem, stored as an upload is."""

    class Meta:
        model = Attachment

    problem = factory.SubFactory(ProblemFactory)
    name = "现场照片.txt"
    data = "压盖机出口歪盖照片说明".encode()

    @classmethod
    def _create(cls, model_class, problem, name, data, **kwargs):
        (saved,) = attachments.store(
            problem, [(name, "text/plain", data)], problem.created_by
        )
        return saved


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    user = factory.SubFactory(UserFactory)
    key = "problem.invited"
    params = factory.LazyFunction(lambda: {"title": "压盖后瓶盖歪斜漏检"})
    url = "/problems/1/"


class EmailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Email

    to = "craftsman@example.org"
    subject = "账户已通过审核"
    body = "您的账户已通过工会工作人员审核。"


# Joint sessions -------------------------------------------------------------


def _alliance_craftsman(session):
    """An approved craftsman of a studio in the session's alliance."""
    studio = StudioFactory()
    studio.alliances.add(session.alliance)
    studio.save()
    return person("craftsman", studio=studio)


def _public_problem():
    return ProblemFactory(state="published", confidentiality=Confidentiality.PUBLIC)


class SessionFactory(factory.django.DjangoModelFactory):
    """An open joint session of an alliance on a public problem, a week ahead
    (2 × 电气自动化, 1 × 机器视觉), planned and opened by union staff."""

    class Meta:
        model = Session

    title = factory.Sequence(lambda n: f"第{n}次技术协作攻关")

    @classmethod
    def _create(
        cls,
        model_class,
        title,
        *,
        alliance=None,
        problems=None,
        staff=None,
        starts_at=None,
        **overrides,
    ):
        """``alliance``, ``problems``, ``staff`` and ``starts_at`` (the other
        times follow it) when given; any other field of the plan overrides
        its default."""
        staff = staff or _staff()
        plan = joint.Plan.starting(
            starts_at or timezone.now() + datetime.timedelta(days=7),
            **{
                "title": title,
                "alliance": alliance or AlliancePageFactory(),
                "problems": problems or [_public_problem()],
                "total_seats": 3,
                "quotas": [("电气自动化", 2), ("机器视觉", 1)],
                "address": "宝鸡啤酒厂包装车间",
                **overrides,
            },
        )
        session = joint.create_session(user=staff, plan=plan)
        return joint.open_session(session=session, user=staff)


class SkillQuotaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillQuota

    session = factory.SubFactory(SessionFactory)
    skill = factory.Sequence(lambda n: f"技能{n}")
    seats = 1


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A craftsman of the alliance signed up for the session's first skill."""

    class Meta:
        model = Registration

    session = factory.SubFactory(SessionFactory)

    @classmethod
    def _create(cls, model_class, session, **kwargs):
        return joint.sign_up(
            session=session,
            user=_alliance_craftsman(session),
            quota=session.quotas.order_by("pk").first(),
            acknowledged=True,
        )


class CalendarFeedFactory(factory.django.DjangoModelFactory):
    """A craftsman's private calendar feed, made as the account page does."""

    class Meta:
        model = CalendarFeed

    @classmethod
    def _create(cls, model_class, user=None, **kwargs):
        user = user or person("craftsman", studio=StudioFactory())
        joint.feed_token(user=user)
        return CalendarFeed.objects.get(user=user)


class SeatInvitationFactory(factory.django.DjangoModelFactory):
    """Union staff invite a craftsman of a studio matched to the session's
    problem (outside the alliance) to its first skill."""

    class Meta:
        model = SeatInvitation

    session = factory.SubFactory(SessionFactory)

    @classmethod
    def _create(cls, model_class, session, **kwargs):
        studio = StudioFactory()
        MatchSuggestion.objects.create(
            problem=session.problems.first(), studio=studio, rank=99, score=0.5
        )
        (invitation,) = joint.invite_craftsmen(
            session=session,
            user=_staff(),
            invitees=[person("craftsman", studio=studio)],
            quota=session.quotas.order_by("pk").first(),
        )
        return invitation


class VolunteerOfferFactory(factory.django.DjangoModelFactory):
    """揭榜: a craftsman says their studio can help with a public problem."""

    class Meta:
        model = VolunteerOffer

    problem = factory.SubFactory(
        ProblemFactory, state="published", confidentiality=Confidentiality.PUBLIC
    )
    note = "我们做过类似的视觉检测。"

    @classmethod
    def _create(cls, model_class, problem, note, **kwargs):
        user = person("craftsman", studio=StudioFactory())
        return joint.volunteer(problem=problem, user=user, note=note)


class SessionReportPageFactory(factory.django.DjangoModelFactory):
    """The published report of a session held with one attendee checked in
    (a Wagtail page under the reports index)."""

    class Meta:
        model = SessionReportPage

    session = factory.SubFactory(SessionFactory)

    @classmethod
    def _create(cls, model_class, session, **kwargs):
        staff, start = session.created_by, session.starts_at
        registration = RegistrationFactory(session=session)
        code = registration.checkin_code
        joint.check_in(session=session, user=staff, code=code, now=start)
        joint.mark_held(session=session, user=staff, now=start)
        joint.record_minutes(session=session, user=staff, minutes="现场会诊纪要。")
        return joint.publish_report(session=session, user=staff)


class ReportPhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportPhoto

    page = factory.SubFactory(SessionReportPageFactory)
    image = factory.LazyFunction(lambda: image("会诊现场"))
    caption = "工匠在压盖机出口查看歪盖情况"


# A small cast of people around one enterprise's problems, and problems in the
# states the lifecycle tests start from.


def make_cast():
    """Enterprise A and B, two invited studios and one other, union staff."""
    a, b = (
        EnterpriseFactory(name="青岛啤酒宝鸡有限公司"),
        EnterpriseFactory(name="乙企业"),
    )
    vision = StudioFactory(slug="s-vision", expertise="高速包装线机器视觉检测与剔除。")
    bottling = StudioFactory(slug="s-bottling", expertise="灌装线封盖质量与压盖。")
    other = StudioFactory(slug="s-other", expertise="煤矿输送带。")
    return {
        "a": person("enterprise", enterprise=a),
        "b": person("enterprise", enterprise=b),
        "vision": person("craftsman", studio=vision),
        "bottling": person("craftsman", studio=bottling),
        "other": person("craftsman", studio=other),
        "staff": person("staff"),
        "enterprise": a,
        "studios": {"vision": vision, "bottling": bottling},
    }


def draft(cast, confidentiality=Confidentiality.INVITED, **kwargs):
    return Problem.objects.create(
        enterprise=cast["enterprise"],
        created_by=cast["a"],
        title="压盖后瓶盖歪斜漏检",
        description="瓶盖歪斜和错盖靠人工抽检，想在线识别并剔除。",
        confidentiality=confidentiality,
        **kwargs,
    )


def publish(cast, problem):
    """Enterprise A submits its draft; union staff review and publish it."""
    services.submit_problem(problem=problem, user=cast["a"])
    services.start_review(problem=problem, user=cast["staff"])
    services.publish_problem(problem=problem, user=cast["staff"])
    return problem


def published(cast, **kwargs):
    return publish(cast, draft(cast, **kwargs))
