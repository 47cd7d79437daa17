"""The admin and our pages speak Chinese: every field and model of our apps
carries a translated name, and our catalogue never overrides the
translations Wagtail and Django ship for their own words."""

import gettext
import re
from pathlib import Path

import django
import pytest
from django.apps import apps
from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise

OUR_APPS = ("core", "organisations", "accounts", "studios", "problems", "search")
CJK = re.compile(r"[\u4e00-\u9fff]")

# Fields a model of ours inherits from a library's abstract base, named (or
# left unnamed) by that library and never shown in an edit form:
# wagtail.models.Orderable.sort_order and taggit's TaggedItemBase.tag.
# Fields inherited from Wagtail's Page (by multi-table inheritance) are
# skipped because their model is Wagtail's, not ours.
LIBRARY_FIELDS = {"sort_order", "tag"}


def our_models():
    return [m for m in apps.get_models() if m._meta.app_label in OUR_APPS]


def our_fields():
    for model in our_models():
        for field in model._meta.concrete_fields:
            if field.auto_created:  # the id and page_ptr columns
                continue
            if field.model._meta.app_label not in OUR_APPS:  # Wagtail's Page
                continue
            if field.name in LIBRARY_FIELDS:
                continue
            yield model, field


def zh(text):
    with translation.override("zh-hans"):
        return str(text)


def test_the_field_list_covers_every_app():
    """The field walk below is not vacuous: each app contributes fields."""
    labels = {model._meta.app_label for model, _field in our_fields()}
    assert labels == set(OUR_APPS)


@pytest.mark.parametrize(
    "model,field",
    list(our_fields()),
    ids=lambda v: getattr(v, "name", None) or getattr(v, "__name__", None),
)
def test_every_field_has_a_translated_label(model, field):
    name = f"{model._meta.label}.{field.name}"
    assert isinstance(field.verbose_name, Promise), (
        f"{name} has no gettext_lazy verbose_name: {field.verbose_name!r}"
    )
    assert CJK.search(zh(field.verbose_name)), (
        f"{name}: verbose_name {str(field.verbose_name)!r} has no zh-hans translation"
    )


@pytest.mark.parametrize("model", our_models(), ids=lambda m: m._meta.label)
def test_every_model_has_translated_names(model):
    meta = model._meta
    for option in ("verbose_name", "verbose_name_plural"):
        # Set explicitly: Django's default plural appends an "s" to the
        # Chinese name ("工作室s").
        assert option in meta.original_attrs, f"{meta.label} has no {option}"
        value = getattr(meta, option)
        assert isinstance(value, Promise), f"{meta.label}.{option} is not lazy"
        assert CJK.search(zh(value)), (
            f"{meta.label}.{option} {str(value)!r} has no zh-hans translation"
        )


def _catalogue(locale_dir):
    path = Path(locale_dir) / "zh_Hans" / "LC_MESSAGES" / "django.mo"
    if not path.exists():
        return {}
    with path.open("rb") as fh:
        return gettext.GNUTranslations(fh)._catalog


def library_catalogue():
    """What Django would translate without our catalogue: Django's own, then
    each installed library app (earlier apps win, as in Django)."""
    merged = dict(_catalogue(Path(django.__file__).parent / "conf" / "locale"))
    for app_config in reversed(list(apps.get_app_configs())):
        if app_config.name.split(".")[0] in OUR_APPS:
            continue
        merged.update(_catalogue(Path(app_config.path) / "locale"))
    merged.pop("", None)  # the header
    return merged


def test_our_catalogue_never_overrides_a_library_translation():
    ours = _catalogue(settings.LOCALE_PATHS[0])
    theirs = library_catalogue()
    assert len(theirs) > 1000  # Wagtail's and Django's catalogues were found
    overrides = {
        key: (ours[key], theirs[key])
        for key in ours
        if key in theirs and ours[key] != theirs[key]
    }
    assert not overrides, (
        "our django.po changes what Wagtail/Django say; drop the entry or give "
        f"ours a msgctxt: {overrides}"
    )


def test_wagtail_sidebar_and_our_pagination_both_read_right():
    with translation.override("zh-hans"):
        assert translation.gettext("Pages") == "页面"  # Wagtail's sidebar
        assert translation.pgettext("pagination", "Pages") == "分页"
        assert translation.pgettext("pagination", "Next") == "下一页"


@pytest.mark.django_db
def test_admin_shows_booleans_as_words(client, django_capture_on_commit_callbacks):
    from bs4 import BeautifulSoup

    from problems.models import Problem
    from search.models import ThesaurusEntry
    from tests.factories import EnterpriseFactory, StudioFactory, person

    staff = person("staff")
    client.force_login(staff)
    ThesaurusEntry.objects.create(terms="焊接, 电焊", note="同义词", enabled=True)
    ThesaurusEntry.objects.create(terms="振动, 抖动", note="停用", enabled=False)
    StudioFactory(name="甲工作室", live=True)
    StudioFactory(name="乙工作室", live=False)
    enterprise = EnterpriseFactory()
    problem = Problem.objects.create(
        enterprise=enterprise,
        title="焊枪抖动",
        description="焊枪抖动。",
        onsite_visit=True,
    )

    def cells(url):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 200, url
        page = BeautifulSoup(response.content.decode(), "html.parser")
        return [td.get_text(" ", strip=True) for td in page.select("td, dd")]

    thesaurus = cells("/admin/snippets/search/thesaurusentry/?q=同义词")
    assert "是" in thesaurus
    thesaurus += cells("/admin/snippets/search/thesaurusentry/?q=停用")
    assert "否" in thesaurus
    studios = " ".join(cells("/admin/snippets/studios/studio/"))
    inspect = cells(f"/admin/problem/inspect/{problem.pk}/")
    assert "是" in inspect  # on-site visit possible
    for texts in (thesaurus, studios, inspect):
        assert not {"True", "False"} & set(" ".join(texts).split())


@pytest.mark.django_db
def test_reference_names_read_in_english_on_en(client):
    from tests.factories import (
        DistrictFactory,
        EnterpriseFactory,
        IndustryChainFactory,
        StudioFactory,
    )

    studio = StudioFactory(
        enterprise=EnterpriseFactory(name="青岛啤酒厂", name_en="Qingdao Brewery"),
        industry_chain=IndustryChainFactory(name="食品饮料", name_en="Food and drink"),
        district=DistrictFactory(name="市北区", name_en=""),  # no English name
    )
    with translation.override("en"):
        english = client.get(studio.get_absolute_url()).content.decode()
    with translation.override("zh-hans"):
        chinese = client.get(studio.get_absolute_url()).content.decode()
    assert "Qingdao Brewery" in english and "Food and drink" in english
    assert "市北区" in english  # falls back to the Chinese name
    assert "青岛啤酒厂" in chinese and "食品饮料" in chinese
    assert "Food and drink" not in chinese
