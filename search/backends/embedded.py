"""The embedded backend: documents stored in the database (IndexedStudio),
searched in process memory. Every process brings its in-memory index up to
the stored version before it answers, so a change saved by one process is
searchable in all of them."""

import threading

import numpy as np
from django.db import transaction
from django.db.models import F

from core.db import update_rows

from ..encoders import get_encoder
from ..models import Embedding, IndexedStudio, IndexState
from .base import EvidenceHit, SearchBackend, StudioHit
from .memory import MemoryIndex


class MemorySearch(SearchBackend):
    """Reads shared by the stored embedded backend and throw-away indexes."""

    def _memory(self):
        raise NotImplementedError

    def lexical(self, terms, *, limit):
        index = self._memory()
        return _hits(index, index.lexical(terms, limit), "lexical")

    def semantic(self, vector, *, limit):
        index = self._memory()
        return _hits(index, index.semantic(vector, limit), "semantic")

    def vector_pending(self, studio_ids):
        return self._memory().pending_vectors(studio_ids)


class EphemeralBackend(MemorySearch):
    """A throw-away in-memory index (evaluate_matching, match on files)."""

    name = "embedded (throw-away)"

    def __init__(self, documents, vectors):
        encoder = get_encoder()
        self.index = MemoryIndex(encoder.dim if encoder else 1)
        for document in documents:
            self.index.add(document, vectors)

    def _memory(self):
        return self.index


class EmbeddedBackend(MemorySearch):
    name = "embedded"

    def __init__(self):
        self._lock = threading.Lock()
        self._index = None
        self._version = -1

    # --- writing (database) ---------------------------------------------------

    def write(self, documents):
        documents = list(documents)
        if not documents:
            return
        with transaction.atomic():
            version = _next_version()
            existing = set(
                IndexedStudio.objects.filter(
                    studio_id__in=[d["studio_id"] for d in documents]
                ).values_list("studio_id", flat=True)
            )
            rows = [
                IndexedStudio(
                    studio_id=d["studio_id"], version=version, live=True, document=d
                )
                for d in documents
            ]
            IndexedStudio.objects.bulk_create(
                [r for r in rows if r.studio_id not in existing]
            )
            stored = dict(
                IndexedStudio.objects.filter(studio_id__in=existing).values_list(
                    "studio_id", "pk"
                )
            )
            changed = [r for r in rows if r.studio_id in existing]
            for row in changed:
                row.pk = stored[row.studio_id]
            update_rows(IndexedStudio, changed, ["version", "live", "document"])

    def remove(self, studio_ids):
        with transaction.atomic():
            version = _next_version()
            IndexedStudio.objects.filter(studio_id__in=list(studio_ids)).update(
                version=version, live=False, document={}
            )

    def rebuild(self, documents, *, progress=None):
        with transaction.atomic():
            IndexedStudio.objects.all().delete()
            version = _next_version()
            batch = []
            for document in documents:
                batch.append(
                    IndexedStudio(
                        studio_id=document["studio_id"],
                        version=version,
                        document=document,
                    )
                )
                if len(batch) == 500:
                    IndexedStudio.objects.bulk_create(batch)
                    if progress:
                        progress(len(batch))
                    batch = []
            IndexedStudio.objects.bulk_create(batch)
            if progress:
                progress(len(batch))
        with self._lock:
            self._index, self._version = None, -1

    def known_tokens(self, studio_ids):
        known = {}
        for document in IndexedStudio.objects.filter(
            studio_id__in=list(studio_ids), live=True
        ).values_list("document", flat=True):
            for item in document.get("evidence", []):
                known[item["hash"]] = item["tokens"]
        return known

    def indexed_versions(self):
        return {
            row["studio_id"]: row["document"].get("fingerprint")
            for row in IndexedStudio.objects.filter(live=True).values(
                "studio_id", "document"
            )
        }

    # --- reading (memory) -----------------------------------------------------

    def sync(self):
        """Apply every stored change newer than this process's index."""
        stored = IndexState.objects.values_list("version", flat=True).first() or 0
        if stored == self._version and self._index is not None:
            return self._index
        with self._lock:
            # A version lower than ours means the database went back in time
            # (a restored backup): start again from it.
            if (
                self._index is None
                or self._index.needs_compaction
                or (stored < self._version)
            ):
                self._index, self._version = _new_index(), -1
            index = self._index
            rows = IndexedStudio.objects.filter(version__gt=self._version).values_list(
                "studio_id", "live", "document", "version"
            )
            changed = [
                (sid, live, doc) for sid, live, doc, _ in rows.order_by("version")
            ]
            vectors = _vectors_for(
                item["hash"]
                for _, live, doc in changed
                if live
                for item in doc["evidence"]
            )
            for studio_id, live, document in changed:
                if live:
                    index.add(document, vectors)
                else:
                    index.remove(studio_id)
            self._version = stored
            return index

    def _memory(self):
        return self.sync()


def _hits(index, results, signal):
    return [
        StudioHit(
            studio_id,
            score,
            index.meta[studio_id],
            [
                EvidenceHit(
                    e["kind"], e["ref"], e["label"], e["text"], s, t, e.get("year")
                )
                for e, s, t in evidence
            ],
            signal=signal,
        )
        for studio_id, score, evidence in results
    ]


def _new_index():
    encoder = get_encoder()
    return MemoryIndex(encoder.dim if encoder else 1)


def _next_version():
    state, _ = IndexState.objects.get_or_create(pk=1)
    IndexState.objects.filter(pk=1).update(version=F("version") + 1)
    return IndexState.objects.values_list("version", flat=True).get(pk=1)


def _vectors_for(hashes):
    encoder = get_encoder()
    hashes = list(set(hashes))
    if not encoder or not hashes:
        return {}
    vectors = {}
    for start in range(0, len(hashes), 5000):
        for content_hash, blob in Embedding.objects.filter(
            encoder=encoder.name, content_hash__in=hashes[start : start + 5000]
        ).values_list("content_hash", "vector"):
            vectors[content_hash] = np.frombuffer(blob, dtype=np.float32)
    return vectors
