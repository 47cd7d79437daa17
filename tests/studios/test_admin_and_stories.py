"""Union staff edit the showcase in the Wagtail admin (in Chinese); stories render."""

import json

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from studios.models import StoryIndexPage, StoryPage
from tests.factories import StudioFactory, alliance

pytestmark = pytest.mark.django_db


def test_admin_edit_screens_open_in_chinese(admin_client):
    studio = StudioFactory()
    page = alliance("测试联盟")
    urls = [
        reverse("wagtailsnippets_studios_studio:add"),
        reverse("wagtailsnippets_studios_studio:edit", args=[studio.pk]),
        reverse("wagtailsnippets_core_industrychain:list"),
        reverse("wagtailsnippets_search_thesaurusentry:list"),
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
    ]
    for url in urls:
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert 'lang="zh-hans"' in response.content.decode()


def test_staff_edit_a_studio_in_the_admin_and_the_public_page_follows(admin_client):
    studio = StudioFactory(name="旧名称工作室")
    url = reverse("wagtailsnippets_studios_studio:edit", args=[studio.pk])
    form = BeautifulSoup(admin_client.get(url).content.decode(), "html.parser").find(
        "form", attrs={"method": "POST"}
    )
    data = {}
    for field in form.select("input, textarea, select"):
        name = field.get("name")
        if not name or field.get("type") in {"submit", "button"}:
            continue
        if field.name == "select":
            chosen = [o["value"] for o in field.find_all("option", selected=True)]
            if field.has_attr("multiple"):
                data[name] = chosen  # a browser sends nothing for none chosen
            else:
                data[name] = chosen[0] if chosen else ""
        elif field.get("type") == "checkbox":
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        else:
            data[name] = field.get(
                "value", field.get_text() if field.name == "textarea" else ""
            )
    data.update({"name": "新名称工作室", "action-publish": "action-publish"})
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert (
        "新名称工作室" in admin_client.get(studio.get_absolute_url()).content.decode()
    )


def test_a_story_page_renders_its_streamfield_body(client):
    index = StoryIndexPage.objects.get()
    studio = StudioFactory()
    story = StoryPage(
        title="跨企业技术会诊解决瓶盖歪斜难题",
        slug="cap-session",
        intro="导语",
        body=json.dumps(
            [
                {"type": "heading", "value": {"text": "会诊现场", "size": "h2"}},
                {"type": "paragraph", "value": "<p>三家工作室的工匠到现场。</p>"},
                {
                    "type": "quote",
                    "value": {"text": "问题在现场。", "attribution": "寇卫东"},
                },
                {
                    "type": "figure",
                    "value": {"value": "126 万元", "label": "年经济效益"},
                },
            ]
        ),
    )
    index.add_child(instance=story)
    story.studios.add(studio)
    story.save_revision().publish()
    page = client.get("/stories/cap-session/").content.decode()
    for text in [
        "会诊现场",
        "三家工作室的工匠到现场。",
        "问题在现场。",
        "126 万元",
        studio.name,
    ]:
        assert text in page
    assert "跨企业技术会诊解决瓶盖歪斜难题" in client.get("/stories/").content.decode()
