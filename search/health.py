"""The search check of /health/: the engine answers a search."""

import dataclasses

from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

from core.health import InRequestThread

from .backends import get_backend
from .thesaurus import weighted_terms


@dataclasses.dataclass
class Search(InRequestThread, HealthCheck):
    def __repr__(self):
        return "Search"

    def check(self):
        try:
            get_backend().lexical(weighted_terms("机器视觉"), limit=1)
        except Exception as exc:
            raise ServiceUnavailable("the search engine does not answer") from exc
