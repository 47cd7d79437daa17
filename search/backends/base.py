"""What every search backend gives the code above it."""

from dataclasses import dataclass, field


@dataclass
class EvidenceHit:
    kind: str  # profile, tags, achievement, member
    ref: object
    label: str
    text: str
    score: float
    terms: list = field(default_factory=list)  # query terms found in it
    year: int | None = None  # achievements


@dataclass
class StudioHit:
    studio_id: int
    score: float
    document: dict  # studio metadata (name, slug, chain, alliances, tags…)
    evidence: list = field(default_factory=list)  # best EvidenceHit first
    signal: str = "lexical"  # or "semantic"


class SearchBackend:
    name = "base"

    def write(self, documents):
        """Index or replace these studio documents."""
        raise NotImplementedError

    def remove(self, studio_ids):
        raise NotImplementedError

    def lexical(self, terms, *, limit):
        """Studios ranked by BM25 over their evidence for weighted ``terms``."""
        raise NotImplementedError

    def semantic(self, vector, *, limit):
        """Studios ranked by their most similar piece of evidence."""
        raise NotImplementedError

    def known_tokens(self, studio_ids):
        """{text hash: tokens} already stored for these studios (may be empty)."""
        return {}

    def vector_pending(self, studio_ids):
        """Of these studios, the ids with evidence that has no vector yet."""
        raise NotImplementedError

    def indexed_versions(self):
        """{studio_id: indexed fingerprint} of live studios, for drift checks."""
        raise NotImplementedError

    def rebuild(self, documents, *, progress=None):
        raise NotImplementedError
