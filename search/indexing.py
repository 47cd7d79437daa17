"""Keeping the search index true to the database."""

import json
from dataclasses import dataclass, field

from studios.models import Studio

from .backends import get_backend
from .documents import studio_documents
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


def rebuild(*, backend=None, progress=None):
    backend = backend or get_backend()
    backend.rebuild(live_documents(backend=backend), progress=progress)


@dataclass
class Drift:
    missing: list = field(default_factory=list)  # live studios not in the index
    stale: list = field(default_factory=list)  # indexed from older content
    extra: list = field(default_factory=list)  # indexed but deleted or unpublished

    @property
    def total(self):
        return len(self.missing) + len(self.stale) + len(self.extra)


def check(*, backend=None, repair=False, progress=None):
    backend = backend or get_backend()
    indexed = backend.indexed_versions()
    drift = Drift()
    for document in live_documents(backend=backend):
        studio_id = document["studio_id"]
        if studio_id not in indexed:
            drift.missing.append(studio_id)
        elif indexed[studio_id] != document["fingerprint"]:
            drift.stale.append(studio_id)
        if progress:
            progress(1)
    live = set(Studio.objects.filter(live=True).values_list("pk", flat=True))
    drift.extra = sorted(set(indexed) - live)
    if repair and drift.total:
        index_studios(
            studio_ids=drift.missing + drift.stale + drift.extra, backend=backend
        )
    return drift
