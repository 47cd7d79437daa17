"""deploy/ is what an operator runs (Docker cannot run here: these tests read
the files, they do not start the topology)."""

import re

import yaml
from django.conf import settings

from tests.support import ROOT

DEPLOY = ROOT / "deploy"


def compose():
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


def test_compose_has_every_part_of_the_topology():
    services = compose()["services"]
    assert {"web", "worker", "worker-encoding", "beat", "postgres", "redis"} <= set(
        services
    )
    assert "elasticsearch" in services
    assert services["web"]["command"][0] == "gunicorn"
    assert services["beat"]["command"][:4] == ["celery", "-A", "config", "beat"]


def test_the_workers_take_every_queue_and_only_one_beat_runs():
    services = compose()["services"]
    taken = set()
    for service in services.values():
        command = service.get("command") or []
        if command[:4] == ["celery", "-A", "config", "worker"]:
            taken |= set(command[command.index("-Q") + 1].split(","))
    assert taken == set(settings.CELERY_QUEUES_BY_KIND)
    beats = [s for s in services.values() if "beat" in (s.get("command") or [])]
    assert len(beats) == 1


def test_elasticsearch_image_matches_the_client_and_has_smartcn():
    pinned = re.search(
        r"^elasticsearch==([\d.]+)$",
        (ROOT / "requirements.txt").read_text(),
        re.MULTILINE,
    ).group(1)
    dockerfile = (DEPLOY / "elasticsearch" / "Dockerfile").read_text()
    assert f"ARG ES_VERSION={pinned}" in dockerfile
    assert "elasticsearch-plugin install --batch analysis-smartcn" in dockerfile
    build = compose()["services"]["elasticsearch"]["build"]
    assert build["args"]["ES_VERSION"] == pinned


def test_systemd_units_run_the_same_processes():
    units = {p.name: p.read_text() for p in (DEPLOY / "systemd").glob("*.service")}
    assert set(units) == {
        "jianglian-web.service",
        "jianglian-worker@.service",
        "jianglian-beat.service",
    }
    for text in units.values():
        assert "EnvironmentFile=/etc/jianglian/env" in text
        assert "config.settings.production" in text
