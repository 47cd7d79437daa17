"""The sentence-level second stage, the similarity floor and the reasons, on
small hand-made cases (both backends rank alike: the stage runs above them)."""

import pytest

from search.backends import get_backend
from search.matching import Problem, Signals, match_problem
from search.text import worth_showing
from tests.factories import IndustryChainFactory, StudioFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def studio(django_capture_on_commit_callbacks):
    def make(slug, expertise, chain="装备制造"):
        with django_capture_on_commit_callbacks(execute=True):
            return StudioFactory(
                slug=slug,
                name=f"{slug}工作室",
                expertise=expertise,
                industry_chain=IndustryChainFactory(name=chain),
            )

    return make


def ranked(problem, **signals):
    signals.setdefault("rerank", True)
    return match_problem(problem, backend=get_backend(), signals=Signals(**signals))


KILN_GEAR = Problem(
    title="大牙轮上全是麻坑，小牙轮一边磨得发亮",
    description=(
        "二线的大牙轮近半年齿面上麻坑越来越多，有的地方掉了一层皮。"
        "小牙轮只有一侧发亮，另一侧几乎没磨到。"
        "煅烧操作组说回转窑窑况稳定，烧成温度和喂料量都正常，窑皮也挂得好。"
        "现在每周停机刷一次黑油，想知道还能用多久、怎么修。"
    ),
    industry_chain="水泥建材",
)


def test_a_context_sentence_naming_a_neighbouring_shop_does_not_pull_it_to_the_top(
    studio,
):
    studio(
        "s-kiln-operation",
        "回转窑煅烧操作与窑况稳定控制，烧成温度、喂料量和窑皮维护，熟料质量提升。",
        chain="水泥建材",
    )
    studio(
        "s-open-gear",
        "大型开式齿轮（大牙轮）齿面点蚀、麻坑与剥落的失效分析，"
        "小齿轮偏载接触斑点检测与修形，开式齿轮润滑方案与剩余寿命评估。",
        chain="齿轮传动",
    )
    studio("s-paint", "涂装线漆膜质量控制与喷涂机器人轨迹优化。")
    matches = ranked(KILN_GEAR)
    assert matches[0].slug == "s-open-gear", [m.slug for m in matches]
    # The reason names the sentence of the posting the evidence answers.
    assert any("小牙轮" in r or "麻坑" in r for r in matches[0].reasons)


def test_a_gibberish_query_gets_no_convincing_match(studio):
    studio("s-weld", "焊管焊缝超声波探伤与相控阵检测，判定未熔合缺陷。")
    studio("s-pump", "离心泵汽蚀与振动治理，叶轮修复与密封改造。")
    assert ranked(Problem(title="qwertyuiop", description="asdfghjkl zxcvbnm")) == []
    # A real posting over the same studios still gets its match.
    real = ranked(Problem(title="泵一开就抖得厉害", description="叶轮换过还是抖。"))
    assert real and real[0].slug == "s-pump"


def test_similarity_is_shown_relative_to_the_best_match(studio):
    studio("s-pump", "离心泵汽蚀与振动治理，叶轮修复与机械密封改造。")
    studio("s-fan", "风机动平衡与轴承故障诊断，基础共振治理。")
    studio("s-dairy", "发酵乳工艺与发酵剂活力管理。")
    matches = ranked(
        Problem(title="水泵一开大就抖，叶轮换过", description="出口阀开大后泵体振动。")
    )
    labels = [r for m in matches for r in m.reasons if r.startswith("语义接近程度")]
    assert labels[0].startswith("语义接近程度：最接近")
    assert any("相当于最佳匹配的" in label for label in labels[1:])


def test_filler_and_numbers_are_never_shown_as_shared_terms(studio):
    studio(
        "s-boiler",
        "锅炉水冷壁爆管分析，每天巡检，运行2小时以上的装置投诉处理，管壁减薄检测。",
    )
    (match,) = ranked(
        Problem(
            title="锅炉水冷壁爆管",
            description="装置运行2小时以上就有投诉，每天都要停。",
        ),
        semantic=False,
    )
    assert "爆管" in match.matched_terms or "水冷壁" in match.matched_terms
    shown = "".join(match.reasons)
    for filler in ("以上", "小时", "投诉", "装置", "每天"):
        assert filler not in match.matched_terms
        assert f"{filler}、" not in shown and f"：{filler}" not in shown


@pytest.mark.parametrize(
    "term, shown",
    [("水冷壁", True), ("ndt", True), ("以上", False), ("2mm", False), ("185", False)],
)
def test_worth_showing(term, shown):
    assert worth_showing(term) is shown


def test_what_was_tried_by_a_neighbouring_shop_does_not_pull_its_studio_up(studio):
    """The board's structured fields: the symptoms lead, and what was tried
    (here: by the kiln crew) counts little and stays out of the vector."""
    studio(
        "s-kiln-operation",
        "回转窑煅烧操作与窑况稳定控制，烧成温度、喂料量调整和窑皮维护。",
        chain="水泥建材",
    )
    studio(
        "s-open-gear",
        "大型开式齿轮齿面点蚀、麻坑与剥落的失效分析，小齿轮偏载检测与修形。",
        chain="齿轮传动",
    )
    studio("s-paint", "涂装线漆膜质量控制与喷涂机器人轨迹优化。")
    posting = Problem(
        title="大牙轮齿面全是麻坑",
        description="二线窑的大牙轮出了问题，想找人看看。",
        symptoms="大牙轮齿面麻坑越来越多，小牙轮一侧发亮。",
        tried="煅烧操作组调整过回转窑的烧成温度和喂料量，窑皮维护也重做了一遍。",
        industry_chain="水泥建材",
    )
    for rerank in (False, True):
        matches = ranked(posting, rerank=rerank)
        assert matches[0].slug == "s-open-gear", (rerank, [m.slug for m in matches])
    # Folded into the description, the same words put the kiln crew first.
    folded = Problem(
        title=posting.title,
        description="\n".join([posting.description, posting.symptoms, posting.tried]),
        industry_chain="水泥建材",
    )
    assert ranked(folded, rerank=False)[0].slug == "s-kiln-operation"
