"""Structured logs: with LOG_FORMAT=json (production's default) a failing
background job logs one JSON object a line with its job id, task name,
attempt and subject (the problem or studios it works on)."""

import io
import json
import logging
import logging.config

import pytest

import tests.core.worker_tasks  # noqa: F401 (registers the failing tasks)
from config.settings.base import logging_settings
from core import outbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log():
    """The outbox's records, formatted by the JSON formatter of the settings."""
    config = logging_settings("json", "INFO")
    configurator = logging.config.DictConfigurator(config)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(configurator.configure_formatter(config["formatters"]["json"]))
    logger = logging.getLogger("jianglian.outbox")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(level)


def records(stream):
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_failing_job_logs_a_json_line_with_its_fields(commit, json_log):
    with commit():
        job = outbox.enqueue("tests.broken", 42)
    lines = records(json_log)
    [failed] = [r for r in lines if r["level"] == "ERROR" and "failed:" in r["message"]]
    assert failed["job_id"] == job.pk
    assert failed["task_name"] == "tests.broken"
    assert failed["attempt"] == 1
    assert failed["problem_id"] == 42
    assert failed["name"] == "jianglian.outbox" and "time" in failed
    started = next(r for r in lines if "started" in r["message"])
    assert (started["job_id"], started["problem_id"]) == (job.pk, 42)


def test_a_waiting_job_logs_its_studios(commit, json_log):
    with commit():
        job = outbox.enqueue("tests.needs_part", [3, 4])
    [waits] = [r for r in records(json_log) if "waits" in r["message"]]
    assert (waits["job_id"], waits["studio_ids"], waits["attempt"]) == (
        job.pk,
        [3, 4],
        1,
    )


def test_log_format_is_json_or_text():
    assert logging_settings("text", "INFO")["handlers"]["console"]["formatter"] == (
        "text"
    )
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        logging_settings("xml", "INFO")
