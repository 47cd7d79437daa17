"""The problems.jsonl schema of the interchange format."""

from core.interchange import Field

from .models import LONG_TEXT

PROBLEM = {
    "id": Field("id", required=True),
    "title": Field("str", required=True, max_length=200),
    "enterprise": Field("str", required=True, max_length=200),
    "industry_chain": Field("str", max_length=100),
    "description": Field("str", required=True, max_length=LONG_TEXT),
    "tags": Field("list", item=Field("str", required=True, max_length=100)),
}
