"""Keeping the search index true to the database."""

import json
from dataclasses import dataclass, field

from studios.models import Studio

from .backends import get_backend
from .documents import studio_document, studios_for_index
from .embeddings import embed
from .encoders import content_hash


def fingerprinted(document):
    body = json.dumps(document, sort_keys=True, ensure_ascii=False, default=str)
    return {**document, "fingerprint": content_hash(body)}


def live_documents(studio_ids=None):
    studios = studios_for_index().filter(live=True).order_by("pk")
    if studio_ids is not None:
        studios = studios.filter(pk__in=list(studio_ids))
    for studio in studios.iterator(chunk_size=500):
        yield fingerprinted(studio_document(studio))


def index_studios(*, studio_ids, backend=None):
    """Index the live ones of these studios and drop the others; idempotent."""
    backend = backend or get_backend()
    studio_ids = set(studio_ids)
    documents = list(live_documents(studio_ids))
    backend.write(documents)
    gone = studio_ids - {d["studio_id"] for d in documents}
    if gone:
        backend.remove(gone)
    return len(documents), len(gone)


def encode_studios(*, studio_ids, backend=None, progress=None):
    """Compute the missing sentence vectors of these studios, then re-index them
    so every backend serves the vectors."""
    documents = list(live_documents(studio_ids))
    embed(
        [item["text"] for d in documents for item in d["evidence"]], progress=progress
    )
    (backend or get_backend()).write(documents)
    return len(documents)


def rebuild(*, backend=None, progress=None):
    backend = backend or get_backend()
    backend.rebuild(live_documents(), progress=progress)


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
    for document in live_documents():
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
