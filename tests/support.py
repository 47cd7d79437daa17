"""Plain helpers shared by the test folders: paths, sample records, the API
schema. Fixtures live in conftest.py files; factories in factories.py."""

import json
from pathlib import Path

import schemathesis
from django.urls import URLPattern, URLResolver, get_resolver

from bench.processes import run_python as bench_python

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "demo"


def run_python(env, *args, timeout=120):
    """``python ARGS`` in its own process, from the project root with ``env``;
    the test fails with its output if it fails. Returns the finished process."""
    done = bench_python(args, env, timeout=timeout)
    assert done.returncode == 0, (
        f"python {' '.join(args)} failed:\n{done.stdout}{done.stderr}"
    )
    return done


def route_names(patterns=None, namespace=None):
    """Every named route (None for unnamed ones) of the URL resolver, but the
    admins' (Wagtail's and Django's: their own permissions, tried apart)."""
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern).startswith(
                ("admin/", "django-admin/", "documents/")
            ):
                continue
            yield from route_names(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern):
            if pattern.name is None:
                yield None
            else:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def routes_without(policy, exempt=()):
    """The routes (as route_names gives them, as strings) that ``policy``
    does not name and ``exempt`` does not excuse, sorted."""
    named = {str(name) for name in route_names()}
    return sorted(named - {str(name) for name in policy} - set(exempt))


def studio_record(studio_id="s-test-vision", **overrides):
    record = {
        "id": studio_id,
        "name": "测试视觉检测劳模创新工作室",
        "enterprise": "测试卷烟厂",
        "industry_chain": "烟酒食品",
        "district": "渭滨区",
        "level": "市级",
        "leader": {"name": "张师傅", "titles": ["宝鸡工匠", "高级技师"]},
        "expertise": "高速包装线在线视觉检测与剔除。",
        "tags": ["机器视觉", "在线检测"],
        "members": 12,
        "achievements": [
            {
                "title": "封签检测装置",
                "kind": "patent",
                "year": 2021,
                "summary": "实用新型专利。",
            },
            {
                "title": "光源改进",
                "kind": "five_small",
                "year": 2023,
                "summary": "误剔率下降。",
                "benefit_wan_yuan": 12.5,
            },
        ],
        "alliances": ["宝鸡烟酒食品工业跨区域创新工作室联盟"],
    }
    record.update(overrides)
    return record


def load_api_schema():
    """The schema /api/schema/ serves, bound to our WSGI app (as from_wsgi does)."""
    from django.core.wsgi import get_wsgi_application
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.renderers import OpenApiJsonRenderer

    raw = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(
        json.loads(OpenApiJsonRenderer().render(raw))
    )
    loaded.app = get_wsgi_application()
    loaded.location = "/api/schema/"
    return loaded


def call_as(case, user):
    """Send a schema-generated request with ``user``'s API token: no answer is a
    server error, and every answer conforms to the schema (status code,
    content type, body). Not checked: whether each schema-valid body is
    accepted (an id that does not exist is schema-valid) or each invalid one
    refused (an empty ?page=)."""
    from rest_framework.authtoken.models import Token
    from schemathesis import checks

    token = Token.objects.get_or_create(user=user)[0]
    response = case.call(headers={"Authorization": f"Token {token}"})
    assert response.status_code < 500, (case.method, case.path, response.text[:500])
    case.validate_response(
        response,
        excluded_checks=[
            checks.positive_data_acceptance,
            checks.negative_data_rejection,
        ],
    )
    return response
