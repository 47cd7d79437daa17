"""The index follows the database: create, update, unpublish, delete; drift repaired."""

import io

import pytest
from django.core.management import CommandError, call_command

from search import indexing
from search.backends import get_backend
from search.models import IndexedStudio
from search.thesaurus import weighted_terms
from studios.models import Studio
from tests.factories import (
    AchievementFactory,
    DistrictFactory,
    EnterpriseFactory,
    IndustryChainFactory,
    StudioFactory,
)
from tests.support import DEMO

pytestmark = pytest.mark.django_db


def found(words):
    return [
        h.document["slug"]
        for h in get_backend().lexical(weighted_terms(words), limit=10)
    ]


def test_create_update_unpublish_delete_are_followed(commit):
    with commit():
        studio = StudioFactory(slug="s-pump", expertise="泥浆泵液力端密封维修。")
    assert found("液力端") == ["s-pump"]
    with commit():
        studio.expertise = "带式输送机滚筒打滑治理。"
        studio.save()
    assert found("液力端") == []
    assert found("滚筒打滑") == ["s-pump"]
    with commit():
        AchievementFactory(studio=studio, title="钛合金螺纹车削刀具", summary="")
    assert found("螺纹车削") == ["s-pump"]
    with commit():
        studio.live = False
        studio.save()
    assert found("滚筒打滑") == []
    with commit():
        studio.live = True
        studio.save()
    assert found("滚筒打滑") == ["s-pump"]
    with commit():
        studio.delete()
    assert found("滚筒打滑") == []


def test_a_change_made_in_another_process_is_seen(commit):
    with commit():
        StudioFactory(slug="s-one", expertise="电压暂降治理。")
    assert found("电压暂降") == ["s-one"]
    # Another process (a worker) writes to the stored index; this process's
    # in-memory index catches up on its next search.
    other = type(get_backend())()
    with commit():
        studio = StudioFactory.build(
            slug="s-two",
            expertise="电压暂降监测。",
            enterprise=EnterpriseFactory(),
            industry_chain=IndustryChainFactory(),
            district=DistrictFactory(),
        )
        Studio.objects.bulk_create([studio])  # no signals: written by "the worker"
    indexing.index_studios(studio_ids=[studio.pk], backend=other)
    assert sorted(found("电压暂降")) == ["s-one", "s-two"]


def test_drift_is_reported_and_repaired(commit):
    with commit():
        kept = StudioFactory(slug="s-kept", expertise="超声波探伤。")
        lost = StudioFactory(slug="s-lost", expertise="相控阵检测。")
        gone = StudioFactory(slug="s-gone", expertise="磁粉检测。")
    IndexedStudio.objects.filter(studio_id=lost.pk).delete()
    Studio.objects.filter(pk=kept.pk).update(expertise="射线检测。")  # no signal
    Studio.objects.filter(pk=gone.pk).update(live=False)  # no signal
    drift, problems = indexing.check()
    assert problems.total == 0
    assert (drift.missing, drift.stale, drift.extra) == (
        [lost.pk],
        [kept.pk],
        [gone.pk],
    )
    with pytest.raises(CommandError, match="drifted"):
        call_command("check_search_index", "--no-progress", stdout=io.StringIO())
    out = io.StringIO()
    call_command("check_search_index", "--repair", "--no-progress", stdout=out)
    assert out.getvalue().splitlines() == [
        "studios: missing 1, stale 1, extra 1 — repaired",
        "public problems: missing 0, stale 0, extra 0",
        "after repair: 0 documents drift",
    ]
    assert [d.total for d in indexing.check()] == [0, 0]
    assert found("射线") == ["s-kept"]
    assert found("磁粉") == []
    assert found("相控阵") == ["s-lost"]


def test_rebuild_indexes_every_live_studio(commit):
    with commit():
        StudioFactory.create_batch(3, expertise="液压支架立柱。")
    IndexedStudio.objects.all().delete()
    out = io.StringIO()
    call_command("rebuild_search_index", "--no-progress", stdout=out)
    assert "indexed 3 studios" in out.getvalue()
    assert len(found("液压支架")) == 3


def test_import_indexes_what_it_imported(commit, settings):
    settings.SEARCH_INLINE_ENCODE_LIMIT = 0  # vectors are another test's subject
    with commit():
        call_command(
            "import_studios",
            str(DEMO / "studios.jsonl"),
            "--no-progress",
            stdout=io.StringIO(),
        )
    assert "s-bjcig-vision" in found("混牌识别")
    assert IndexedStudio.objects.filter(live=True).count() == 36


def test_a_rolled_back_change_does_not_stop_later_ones_being_indexed(commit):
    from django.db import transaction

    with commit():
        studio = StudioFactory(slug="s-roll", expertise="泥浆泵维修。")
    with pytest.raises(RuntimeError), transaction.atomic():
        studio.expertise = "变频器维修。"
        studio.save()
        raise RuntimeError("the request failed")
    with commit():
        studio.expertise = "空压机维修。"
        studio.save()
    assert found("空压机") == ["s-roll"]
