"""The search check of /health/: the engine answers a search."""

import dataclasses

from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable

from .backends import get_backend
from .thesaurus import weighted_terms


@dataclasses.dataclass
class Search(HealthCheck):
    def __repr__(self):
        return "Search"

    def run(self):
        try:
            get_backend().lexical(weighted_terms("机器视觉"), limit=1)
        except Exception as exc:
            raise ServiceUnavailable("the search engine does not answer") from exc
