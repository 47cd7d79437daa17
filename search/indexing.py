"""Keeping the search index true to the database."""

import json
from dataclasses import dataclass, field

from studios.models import Studio

from .backends import get_backend
from .documents import problem_source, studio_documents
from .embeddings import embed
from .encoders import content_hash


def fingerprinted(document):
    body = json.dumps(document, sort_keys=True, ensure_ascii=False, default=str)
    return {**document, "fingerprint": content_hash(body)}


def live_documents(studio_ids=None, backend=None, batch=500):
    """Fingerprinted documents of live studios, reusing stored tokens."""
    studios = Studio.objects.filter(live=True).order_by("pk")
    if studio_ids is not None:
        studios = studios.filter(pk__in=list(studio_ids))
    ids = list(studios.values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        known = (backend or get_backend()).known_tokens(chunk)
        for document in studio_documents(chunk, known):
            yield fingerprinted(document)


def index_studios(*, studio_ids, backend=None):
    """Index the live ones of these studios and drop the others; idempotent."""
    backend = backend or get_backend()
    studio_ids = set(studio_ids)
    documents = list(live_documents(studio_ids, backend))
    backend.write(documents)
    gone = studio_ids - {d["studio_id"] for d in documents}
    if gone:
        backend.remove(gone)
    return len(documents), len(gone)


def encode_studios(*, studio_ids, backend=None, progress=None):
    """Compute the missing sentence vectors of these studios, then re-index them
    so every backend serves the vectors."""
    documents = list(live_documents(studio_ids, backend))
    embed(
        [item["text"] for d in documents for item in d["evidence"]], progress=progress
    )
    (backend or get_backend()).write(documents)
    return len(documents)


def encode_missing(*, backend=None, progress=None, batch=20):
    """Compute the sentence vectors live studios still lack (the encoding
    the workers have not done yet); returns how many studios lacked them."""
    backend = backend or get_backend()
    ids = Studio.objects.filter(live=True).values_list("pk", flat=True)
    pending = sorted(backend.vector_pending(list(ids)))
    for start in range(0, len(pending), batch):
        chunk = pending[start : start + batch]
        encode_studios(studio_ids=chunk, backend=backend)
        if progress:
            progress(len(chunk))
    return len(pending)


def pending_vectors(*, backend=None):
    """How many live studios still lack their sentence vectors."""
    backend = backend or get_backend()
    ids = Studio.objects.filter(live=True).values_list("pk", flat=True)
    return len(backend.vector_pending(list(ids)))


def rebuild(*, backend=None, progress=None):
    backend = backend or get_backend()
    backend.rebuild(live_documents(backend=backend), progress=progress)
    backend.rebuild_problems(public_problem_documents(), progress=progress)


# --- public problems (the public search box) ---------------------------------


def public_problem_documents(problem_ids=None, batch=500):
    source = problem_source()
    ids = source.searchable(problem_ids)
    for start in range(0, len(ids), batch):
        for document in source.documents(ids[start : start + batch]):
            yield fingerprinted(document)


def index_problems(*, problem_ids, backend=None):
    """Index the publicly searchable ones of these problems, drop the others."""
    backend = backend or get_backend()
    problem_ids = set(problem_ids)
    documents = list(public_problem_documents(problem_ids))
    backend.write_problems(documents)
    gone = problem_ids - {d["problem_id"] for d in documents}
    if gone:
        backend.remove_problems(gone)
    return len(documents), len(gone)


@dataclass
class Drift:
    missing: list = field(default_factory=list)  # live, not in the index
    stale: list = field(default_factory=list)  # indexed from older content
    extra: list = field(default_factory=list)  # indexed, but deleted or hidden now

    @property
    def total(self):
        return len(self.missing) + len(self.stale) + len(self.extra)

    @property
    def ids(self):
        return self.missing + self.stale + self.extra


def check(*, backend=None, repair=False, progress=None):
    """Drift of the studios and of the public problems, each repaired if asked."""
    backend = backend or get_backend()
    studios = _drift(
        live_documents(backend=backend),
        "studio_id",
        backend.indexed_versions(),
        set(Studio.objects.filter(live=True).values_list("pk", flat=True)),
        progress,
    )
    problems = _drift(
        public_problem_documents(),
        "problem_id",
        backend.problem_versions(),
        set(problem_source().searchable()),
        progress,
    )
    if repair and studios.total:
        index_studios(studio_ids=studios.ids, backend=backend)
    if repair and problems.total:
        index_problems(problem_ids=problems.ids, backend=backend)
    return studios, problems


def _drift(documents, key, indexed, wanted, progress):
    drift = Drift()
    for document in documents:
        if document[key] not in indexed:
            drift.missing.append(document[key])
        elif indexed[document[key]] != document["fingerprint"]:
            drift.stale.append(document[key])
        if progress:
            progress(1)
    drift.extra = sorted(set(indexed) - wanted)
    return drift
