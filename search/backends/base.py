"""What every search backend gives the code above it."""

from dataclasses import dataclass, field


class SearchUnavailable(Exception):  # noqa: N818 (a state, not a bug)
    """The search engine does not answer (refused, timed out, overloaded).
    The public search falls back to the database; background work that
    needs the engine waits in the outbox (core.outbox ``wait_on``). Not a
    ConnectionError on purpose: a task does not burn its retries on it."""


@dataclass
class EvidenceHit:
    kind: str  # profile, tags, achievement, member, solved_problem, problem
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


@dataclass
class ProblemHit:
    problem_id: int
    score: float
    document: dict  # problem metadata (title, chain, district, alliances, year…)
    text: str  # the indexed text, for a snippet
    terms: list = field(default_factory=list)  # query terms found in it


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

    def evidence_vectors(self, studio_ids):
        """{studio_id: [(EvidenceHit, vector)]} of these studios' evidence that
        has a sentence vector, for the re-ranking stage above the backend."""
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

    # Public problems, for the public search box (found by their words).

    def write_problems(self, documents):
        raise NotImplementedError

    def remove_problems(self, problem_ids):
        raise NotImplementedError

    def search_problems(self, terms, *, limit):
        """Public problems ranked by BM25 for weighted ``terms``."""
        raise NotImplementedError

    def problem_versions(self):
        """{problem_id: indexed fingerprint}, for drift checks."""
        raise NotImplementedError

    def rebuild_problems(self, documents, *, progress=None):
        raise NotImplementedError
