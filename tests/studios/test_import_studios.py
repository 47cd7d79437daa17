"""import_studios / export_studios: the interchange round trip and bad input."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import BackgroundJob
from studios.models import Achievement, AlliancePage, Craftsman, Studio, StudioTag
from studios.services.importing import import_studios
from tests.support import DEMO, studio_record

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def export_records(tmp_path):
    path = tmp_path / "export.jsonl"
    run("export_studios", str(path))
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def normalise(record):
    record = dict(record)
    record["alliances"] = sorted(record.get("alliances", []))
    return record


def test_export_after_import_reproduces_the_demo_studios(tmp_path):
    out, _ = run("import_studios", str(DEMO / "studios.jsonl"))
    assert out.strip() == "created 36, updated 0, unchanged 0, rejected 0"
    original = [
        json.loads(line)
        for line in (DEMO / "studios.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    exported = export_records(tmp_path)
    assert [normalise(r) for r in exported] == sorted(
        (normalise(r) for r in original), key=lambda r: r["id"]
    )


def test_reimport_updates_and_never_duplicates(tmp_path):
    run("import_studios", str(DEMO / "studios.jsonl"))
    counts = (
        Studio.objects.count(),
        Achievement.objects.count(),
        Craftsman.objects.count(),
        StudioTag.objects.count(),
        AlliancePage.objects.count(),
    )
    achievement_ids = set(Achievement.objects.values_list("pk", flat=True))
    out, _ = run("import_studios", str(DEMO / "studios.jsonl"))
    assert out.strip() == "created 0, updated 0, unchanged 36, rejected 0"
    assert counts == (
        Studio.objects.count(),
        Achievement.objects.count(),
        Craftsman.objects.count(),
        StudioTag.objects.count(),
        AlliancePage.objects.count(),
    )
    # Achievement pages keep their address across re-imports.
    assert set(Achievement.objects.values_list("pk", flat=True)) == achievement_ids


def test_reimport_applies_changes(write_jsonl):
    import_studios(path=write_jsonl([studio_record()]))
    changed = studio_record(
        name="新名字工作室",
        tags=["振动抑制"],
        leader={"name": "李工", "titles": []},
        achievements=[{"title": "光源改进", "kind": "five_small", "year": 2024}],
        alliances=[],
    )
    report = import_studios(path=write_jsonl([changed]))
    assert (report.created, report.updated) == (0, 1)
    studio = Studio.objects.get(slug="s-test-vision")
    assert studio.name == "新名字工作室"
    assert [t.name for t in studio.tags.all()] == ["振动抑制"]
    assert [m.craftsman.name for m in studio.members.all()] == ["李工"]
    assert [(a.title, a.year) for a in studio.achievements.all()] == [
        ("光源改进", 2024)
    ]
    assert not studio.alliances.exists()


def test_tags_are_matched_case_insensitively(write_jsonl):
    import_studios(
        path=write_jsonl(
            [
                studio_record("s-one", tags=["PLC", "BOPP膜"]),
                studio_record("s-two", tags=["plc", "bopp膜", "PLC"]),
            ]
        )
    )
    from taggit.models import Tag

    assert sorted(Tag.objects.values_list("name", flat=True)) == ["BOPP膜", "PLC"]
    assert Studio.objects.get(slug="s-two").tags.count() == 2


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ('{"id": "s-broken", "name": ', "invalid JSON"),
        (
            json.dumps(
                {
                    k: v
                    for k, v in studio_record("s-nofield").items()
                    if k != "expertise"
                }
            ),
            "expertise: is required",
        ),
        (
            json.dumps(studio_record("s-wrongtype", members="十二")),
            "members: must be an integer, not string",
        ),
        (json.dumps(studio_record("S_Bad Id")), "id: must match [a-z0-9-]{3,64}"),
        (
            json.dumps(
                studio_record(
                    "s-badkind", achievements=[{"title": "x", "kind": "poem"}]
                )
            ),
            "achievements[0].kind: must be one of",
        ),
        (
            json.dumps(studio_record("s-badlevel", level="世界级")),
            "level: must be one of",
        ),
        ("[1, 2, 3]", "must be a JSON object, not list"),
    ],
)
def test_a_bad_line_is_rejected_with_file_line_and_field(write_jsonl, line, expected):
    path = write_jsonl([studio_record("s-good-one"), line, studio_record("s-good-two")])
    with pytest.raises(CommandError, match="1 line"):
        call_command(
            "import_studios",
            str(path),
            "--no-progress",
            stdout=io.StringIO(),
            stderr=(err := io.StringIO()),
        )
    assert f"{path}:2: " in err.getvalue()
    assert expected in err.getvalue()
    # Line mode: the good lines are in, the bad line only is rejected.
    assert sorted(Studio.objects.values_list("slug", flat=True)) == [
        "s-good-one",
        "s-good-two",
    ]


def test_duplicate_id_in_one_file_rejects_the_later_line(write_jsonl):
    path = write_jsonl(
        [
            studio_record("s-dup"),
            studio_record("s-other"),
            studio_record("s-dup", name="第二个"),
        ]
    )
    report = import_studios(path=path)
    assert [str(e) for e in report.errors] == [
        f"{path}:3: id: duplicate id 's-dup' (first on line 1)"
    ]
    assert Studio.objects.get(slug="s-dup").name == "测试视觉检测劳模创新工作室"


def test_atomic_mode_imports_nothing_when_any_line_is_bad(write_jsonl):
    path = write_jsonl([studio_record("s-fine"), '{"id": "s-half"'])
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(
            "import_studios",
            str(path),
            "--atomic",
            "--no-progress",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert not Studio.objects.exists()


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="nope.jsonl: No such file"):
        run("import_studios", str(tmp_path / "nope.jsonl"))


def test_a_database_failure_leaves_nothing_half_written(write_jsonl, monkeypatch):
    from studios.services import importing

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing, "_write_achievements", fail)
    with pytest.raises(RuntimeError):
        import_studios(path=write_jsonl([studio_record()]))
    assert not Studio.objects.exists()
    assert not Craftsman.objects.exists()


def test_ten_thousand_line_file(write_jsonl, tmp_path):
    records = [
        studio_record(f"s-gen-{i:05d}", name=f"工作室{i}", tags=[f"专长{i % 50}"])
        for i in range(10_000)
    ]
    records[5000] = '{"id": "s-gen-05000", "name": "缺字段"}'
    path = write_jsonl(records)
    report = import_studios(path=path)
    assert (report.created, report.rejected) == (9_999, 1)
    assert str(report.errors[0]).startswith(f"{path}:5001: ")
    assert Studio.objects.count() == 9_999
    assert Achievement.objects.count() == 2 * 9_999
    assert len(export_records(tmp_path)) == 9_999


def test_export_to_standard_output():
    call_command(
        "import_studios",
        str(DEMO / "studios.jsonl"),
        "--no-progress",
        stdout=io.StringIO(),
    )
    out = io.StringIO()
    call_command("export_studios", "-", "--no-progress", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 36
    assert json.loads(lines[0])["id"] == "s-baoqiao-bridge-welding"


def _reimport_changed(write_jsonl, prefix, count):
    """Import ``count`` studios, re-import them all changed (words, tags,
    alliances); the queries of the re-import and the studios' ids."""
    ids = [f"s-{prefix}-{i}" for i in range(count)]
    import_studios(path=write_jsonl([studio_record(i) for i in ids], name="v1.jsonl"))
    changed = [
        studio_record(i, expertise="主轴振动抑制。", tags=["在线检测"], alliances=[])
        for i in ids
    ]
    with CaptureQueriesContext(connection) as queries:
        report = import_studios(path=write_jsonl(changed, name="v2.jsonl"))
    assert report.updated == count
    return len(queries), set(
        Studio.objects.filter(slug__in=ids).values_list("pk", flat=True)
    )


def test_changed_reimport_writes_in_bulk_and_records_indexing_of_every_studio(
    write_jsonl,
):
    # Replacing the tags and alliances of 12 studios costs no more queries
    # than of 3: no write per studio (a per-row signal rewrote the index job
    # once per studio, quadratic at 10,000 studios).
    small, _ = _reimport_changed(write_jsonl, "few", 3)
    BackgroundJob.objects.all().delete()
    large, studio_ids = _reimport_changed(write_jsonl, "many", 12)
    assert large == small
    # The index work is still recorded with the change, for every studio.
    recorded = {
        pk
        for args in BackgroundJob.objects.filter(
            task="search.index_studios"
        ).values_list("args", flat=True)
        for pk in args[0]
    }
    assert studio_ids <= recorded
    assert set(
        StudioTag.objects.filter(content_object_id__in=studio_ids).values_list(
            "tag__name", flat=True
        )
    ) == {"在线检测"}
    assert not Studio.alliances.through.objects.filter(
        studio_id__in=studio_ids
    ).exists()
