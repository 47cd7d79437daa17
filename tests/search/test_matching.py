"""Matching: ranking behaviour on small hand-made cases, and reasons that are true."""

import pytest

from search.backends import get_backend
from search.matching import Problem, Signals, match_problem
from search.models import ThesaurusEntry
from tests.factories import AchievementFactory, IndustryChainFactory, StudioFactory

pytestmark = pytest.mark.django_db

WORDS_ONLY = Signals(semantic=False)


@pytest.fixture(autouse=True)
def committed(django_capture_on_commit_callbacks):
    """Run what a commit would run (the index tasks) after each saved change."""
    global commit
    commit = lambda: django_capture_on_commit_callbacks(execute=True)  # noqa: E731
    yield


def studio(slug, expertise, chain="装备制造", **kwargs):
    with commit():
        return StudioFactory(
            slug=slug,
            name=f"{slug}工作室",
            expertise=expertise,
            industry_chain=IndustryChainFactory(name=chain),
            **kwargs,
        )


def ranked(problem, signals=None):
    return [
        m.slug for m in match_problem(problem, backend=get_backend(), signals=signals)
    ]


def test_a_thesaurus_synonym_brings_the_right_studio_up():
    ThesaurusEntry.objects.all().delete()
    studio("s-servo", "伺服系统振动抑制，陷波滤波参数整定。")
    studio("s-wire", "焊枪更换与送丝机构维修。")
    studio("s-paint", "涂装线漆膜质量控制。")
    problem = Problem(title="焊枪一摆就抖", description="摆动焊时末端发抖。")
    assert ranked(problem, WORDS_ONLY) == ["s-wire"]
    ThesaurusEntry.objects.create(terms="抖、振动")
    assert ranked(problem, WORDS_ONLY) == ["s-wire", "s-servo"]
    servo = match_problem(problem, backend=get_backend(), signals=WORDS_ONLY)[1]
    assert "同义词表：抖 ≈ 振动" in servo.reasons


def test_the_right_skill_in_another_industry_beats_the_same_industry_without_it():
    studio(
        "s-pipe-ut",
        "焊管焊缝超声波探伤与相控阵检测，制作对比试块，判定未熔合缺陷。",
        chain="石油装备",
    )
    studio(
        "s-bridge-paint",
        "钢桥梁重防腐涂装与喷砂除锈，钢箱梁涂层质量控制。",
        chain="桥梁钢结构",
    )
    problem = Problem(
        title="钢箱梁焊缝内部缺陷无法确认",
        description="钢箱梁对接焊缝怀疑有未熔合，需要无损检测手段确认。",
        industry_chain="桥梁钢结构",
    )
    assert ranked(problem)[0] == "s-pipe-ut"


def test_a_studio_sharing_only_surface_words_ranks_below_one_with_the_skill():
    studio("s-vision", "高速包装线在线视觉检测，工业相机识别外观缺陷并联动剔除机构。")
    studio(
        "s-logistics", "瓶装产品包装线的搬运、码垛和仓储，包装线叉车调度与瓶箱周转。"
    )
    problem = Problem(
        title="瓶装线瓶盖歪斜没人发现",
        description="包装线上瓶盖歪了，靠人工抽检，常有漏网，想自动发现并剔除。",
    )
    order = ranked(problem)
    assert order.index("s-vision") < order.index("s-logistics")


def test_every_reason_is_true_of_the_studio():
    ThesaurusEntry.objects.create(terms="抖、振动")
    mudpump = studio(
        "s-mudpump", "钻井泵液力端与排出管汇振动抑制，空气包预充压力调整。"
    )
    with commit():
        AchievementFactory(
            studio=mudpump,
            title="排出管汇减振方案",
            summary="增设管汇支撑，振动幅值下降六成。",
        )
    studio("s-belt", "带式输送机跑偏与打滑治理。", chain="煤炭开采")
    problem = Problem(
        title="钻井泵管线抖",
        description="高泵冲时排出管线抖动。",
        industry_chain="装备制造",
    )
    matches = match_problem(problem, backend=get_backend())
    top = matches[0]
    assert top.slug == "s-mudpump"
    text = mudpump.expertise + "排出管汇减振方案增设管汇支撑，振动幅值下降六成。"
    assert all(term in text.lower() for term in top.matched_terms)
    assert any(r.startswith("同义词表：抖 ≈ 振动") for r in top.reasons)
    assert "同属产业链：装备制造" in top.reasons
    assert all(m.reasons for m in matches)


def test_a_studio_without_vectors_yet_is_matched_on_words_and_says_so(settings):
    settings.SEARCH_INLINE_ENCODE_LIMIT = 0
    studio("s-fresh", "钛合金螺纹车削，粘刀与刀具寿命问题。")
    matches = match_problem(
        Problem(title="钛合金车螺纹粘刀", description="刀片寿命短"),
        backend=get_backend(),
    )
    assert matches[0].slug == "s-fresh"
    assert "仅按词语匹配：该工作室的语义向量尚未算好" in matches[0].reasons
