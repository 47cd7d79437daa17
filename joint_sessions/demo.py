"""The joint session of the demo (``manage.py load_demo``, through the
``core.hooks.DEMO_LOADERS`` hook): one session held on the bottle-cap problem,
with its attendee checked in, its minutes, and its report published with a
photo — every step through the real services, dated in the past with their
explicit clocks. Idempotent: a session of the same title is left alone."""

import datetime

from django.contrib.auth import get_user_model
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone, translation
from wagtail.images import get_image_model

from problems.models import Problem
from studios.demo import GENERATED, draw
from studios.models import AlliancePage

from . import services
from .models import ReportPhoto, Session, SessionReportPage

TITLE = "第三次技术协作攻关：压盖后瓶盖歪斜在线剔除"
PROBLEM = "p-qdbeer-cap-defects"
ALLIANCE = "宝鸡烟酒食品工业跨区域创新工作室联盟"
STAFF, CRAFTSMAN = "demo-staff", "demo-craftsman"
START = datetime.datetime(2026, 5, 20, 9, 0)
MINUTES = (
    "联盟工匠在青岛啤酒宝鸡有限公司包装车间2号线现场会诊压盖后瓶盖歪斜和错盖。\n"
    "建议在压盖机出口加装歪盖检测传感器，换品种时按品种做瓶盖标记并由视觉系统核对。\n"
    "企业将在下一次停线检修时试装，工作室提供检测程序。"
)
PHOTO = {
    "key": "session-caps-line",
    "label": "联合会诊：压盖机出口现场",
    "motif": "people",
    "palette": ["#03045e", "#0077b6", "#90e0ef", "#ffb703"],
}


def load_demo_session(directory, *, log=lambda message: None):
    User = get_user_model()
    staff = User.objects.filter(username=STAFF).first()
    craftsman = User.objects.filter(username=CRAFTSMAN).first()
    problem = Problem.objects.filter(external_id=PROBLEM).first()
    alliance = AlliancePage.objects.filter(title=ALLIANCE).first()
    if None in (staff, craftsman, problem, alliance):
        return
    if Session.objects.filter(title=TITLE).exists():
        return
    start = timezone.make_aware(START)
    with transaction.atomic(), translation.override("zh-hans"):
        session = services.create_session(
            user=staff,
            plan=services.Plan.starting(
                start,
                title=TITLE,
                alliance=alliance,
                problems=[problem],
                total_seats=4,
                quotas=[("机器视觉", 2), ("电气自动化", 2)],
                address="青岛啤酒宝鸡有限公司包装车间2号线",
                agenda="现场查看压盖机出口；讨论在线检测方案。",
                safety_notes="进入车间穿劳保鞋、戴安全帽。",
            ),
        )
        services.open_session(session=session, user=staff)
        registration = services.sign_up(
            session=session,
            user=craftsman,
            quota=session.quotas.get(skill="机器视觉"),
            acknowledged=True,
            now=start - datetime.timedelta(days=5),
        )
        services.check_in(
            session=session, user=staff, code=registration.checkin_code, now=start
        )
        services.mark_held(
            session=session, user=staff, now=start + datetime.timedelta(hours=3)
        )
        services.record_minutes(session=session, user=staff, minutes=MINUTES)
        page = services.publish_report(
            session=session, user=staff, now=start + datetime.timedelta(days=1)
        )
        page = SessionReportPage.objects.get(pk=page.pk)
        page.photos.add(
            ReportPhoto(image=_photo(), caption="工匠在压盖机出口查看歪盖情况")
        )
        page.save_revision(user=staff).publish(user=staff)
    log(f"joint sessions: “{TITLE}” held, report published at {page.url}")


def _photo():
    Image = get_image_model()
    title = f"{PHOTO['label']} · {PHOTO['key']}{GENERATED}"
    image = Image.objects.filter(title=title).first()
    if image is None:
        image = Image(title=title)
        image.file = ImageFile(
            draw(PHOTO["key"], PHOTO["motif"], PHOTO["palette"]),
            name=f"demo-{PHOTO['key']}.png",
        )
        image.save()
    return image
