from django.db import migrations

INDEXES = [
    ("studios", "allianceindexpage", "alliances", "创新工作室联盟",
     "<p>跨企业、跨行业的创新工作室联盟，轮值主席单位牵头组织技术会诊与协作攻关。</p>"),
    ("studios", "storyindexpage", "stories", "新闻与会诊报道",
     "工作室联盟的技术会诊、协作攻关与成果报道。"),
]


def create_index_pages(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    HomePage = apps.get_model("core.HomePage")
    home = HomePage.objects.get(depth=2, slug="home")
    for position, (app_label, model, slug, title, intro) in enumerate(INDEXES, 1):
        Model = apps.get_model(app_label, model)
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        Model.objects.create(
            title=title, draft_title=title, slug=slug, content_type=content_type,
            path=f"{home.path}{position:04d}", depth=3, numchild=0,
            url_path=f"{home.url_path}{slug}/", locale_id=home.locale_id,
            show_in_menus=True, intro=intro,
        )
    home.numchild = len(INDEXES)
    home.save(update_fields=["numchild"])


def remove_index_pages(apps, schema_editor):
    for app_label, model, slug, *_ in INDEXES:
        apps.get_model(app_label, model).objects.filter(slug=slug, depth=3).delete()


class Migration(migrations.Migration):
    dependencies = [("studios", "0001_initial"), ("core", "0002_create_homepage")]

    operations = [migrations.RunPython(create_index_pages, remove_index_pages)]
