from django.db import migrations

SLUG, TITLE = "session-reports", "技术协作攻关报道"
INTRO = "联盟工匠到企业现场联合攻关：会诊纪要、提出的方案和现场照片。"


def create_report_index(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    HomePage = apps.get_model("core.HomePage")
    Index = apps.get_model("joint_sessions", "SessionReportIndexPage")
    home = HomePage.objects.filter(depth=2, slug="home").first()
    if home is None or Index.objects.exists():
        return
    content_type, _ = ContentType.objects.get_or_create(
        app_label="joint_sessions", model="sessionreportindexpage"
    )
    last = (
        apps.get_model("wagtailcore", "Page")
        .objects.filter(path__startswith=home.path, depth=home.depth + 1)
        .order_by("-path")
        .first()
    )
    position = int(last.path[-4:], 36) + 1 if last else 1
    path = home.path + _base36(position).rjust(4, "0")
    Index.objects.create(
        title=TITLE,
        draft_title=TITLE,
        slug=SLUG,
        content_type=content_type,
        path=path,
        depth=home.depth + 1,
        numchild=0,
        url_path=f"{home.url_path}{SLUG}/",
        locale_id=home.locale_id,
        show_in_menus=False,
        intro=INTRO,
    )
    home.numchild += 1
    home.save(update_fields=["numchild"])


def _base36(number):
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = ""
    while number:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
    return out or "0"


def remove_report_index(apps, schema_editor):
    Index = apps.get_model("joint_sessions", "SessionReportIndexPage")
    for index in Index.objects.filter(slug=SLUG):
        home = apps.get_model("core.HomePage").objects.filter(
            depth=index.depth - 1, path=index.path[:-4]
        )
        index.delete()
        for page in home:
            page.numchild -= 1
            page.save(update_fields=["numchild"])


class Migration(migrations.Migration):
    dependencies = [
        ("joint_sessions", "0002_reports_feeds_invitations"),
        ("core", "0002_create_homepage"),
        ("studios", "0002_create_index_pages"),
    ]

    operations = [migrations.RunPython(create_report_index, remove_report_index)]
