"""The studios.jsonl schema of the interchange format (shared/data/FORMAT.md)."""

from core.interchange import Field

from ..models import Achievement
from ..models.studio import Level

ACHIEVEMENT = {
    "title": Field("str", required=True, max_length=200),
    "kind": Field("str", required=True, choices=[k.value for k in Achievement.Kind]),
    "year": Field("int"),
    "summary": Field("str"),
    "benefit_wan_yuan": Field("number"),
}

STUDIO = {
    "id": Field("id", required=True),
    "name": Field("str", required=True, max_length=200),
    "enterprise": Field("str", required=True, max_length=200),
    "industry_chain": Field("str", required=True, max_length=100),
    "district": Field("str", max_length=100),
    "level": Field("str", choices=[level.value for level in Level]),
    "leader": Field(
        "object",
        fields={
            "name": Field("str", required=True, max_length=50),
            "titles": Field("list", item=Field("str", max_length=100)),
        },
    ),
    "expertise": Field("str", required=True),
    "tags": Field("list", item=Field("str", required=True, max_length=100)),
    "members": Field("int"),
    "achievements": Field("list", item=Field("object", fields=ACHIEVEMENT)),
    "alliances": Field("list", item=Field("str", required=True, max_length=255)),
}
