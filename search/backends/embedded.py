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
from ..models import Embedding, IndexedProblem, IndexedStudio, IndexState
from .base import EvidenceHit, ProblemHit, SearchBackend, StudioHit
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

    def evidence_vectors(self, studio_ids):
        return {
            studio_id: [
                (EvidenceHit(e["kind"], e["ref"], e["label"], e["text"], 0.0), vector)
                for e, vector in pieces
            ]
            for studio_id, pieces in self._memory().evidence_vectors(studio_ids).items()
        }

    def _problem_memory(self):
        raise NotImplementedError

    def search_problems(self, terms, *, limit):
        index = self._problem_memory()
        return [
            ProblemHit(
                problem_id,
                score,
                index.meta[problem_id],
                evidence[0][0]["text"],
                evidence[0][2],
            )
            for problem_id, score, evidence in index.lexical(terms, limit)
        ]


class EphemeralBackend(MemorySearch):
    """A throw-away in-memory index (evaluate_matching, match on files)."""

    name = "embedded (throw-away)"

    def __init__(self, documents, vectors):
        encoder = get_encoder()
        self.index = MemoryIndex(encoder.dim if encoder else 1)
        for document in documents:
            self.index.add(document, vectors)
        self.problem_index = MemoryIndex(1, key="problem_id")

    def _memory(self):
        return self.index

    def _problem_memory(self):
        return self.problem_index


class StoredIndex:
    """One collection of the embedded backend: documents stored in ``model``
    (keyed by ``key``), versioned by IndexState row ``state``, searched in
    this process's memory."""

    def __init__(self, model, key, state, *, vectors):
        self.model, self.key, self.state, self.vectors = model, key, state, vectors
        self._lock = threading.Lock()
        self._index = None
        self._version = -1

    def _rows(self, ids):
        return self.model.objects.filter(**{f"{self.key}__in": list(ids)})

    # --- writing (database) ---------------------------------------------------

    def write(self, documents):
        documents = list(documents)
        if not documents:
            return
        key = self.key
        with transaction.atomic():
            version = _next_version(self.state)
            stored = dict(self._rows(d[key] for d in documents).values_list(key, "pk"))
            rows = [
                self.model(**{key: d[key]}, version=version, live=True, document=d)
                for d in documents
            ]
            self.model.objects.bulk_create(
                [r for r in rows if getattr(r, key) not in stored]
            )
            changed = [r for r in rows if getattr(r, key) in stored]
            for row in changed:
                row.pk = stored[getattr(row, key)]
            update_rows(self.model, changed, ["version", "live", "document"])

    def remove(self, ids):
        with transaction.atomic():
            version = _next_version(self.state)
            self._rows(ids).update(version=version, live=False, document={})

    def rebuild(self, documents, *, progress=None):
        with transaction.atomic():
            self.model.objects.all().delete()
            version = _next_version(self.state)
            batch = []
            for document in documents:
                batch.append(
                    self.model(
                        **{self.key: document[self.key]},
                        version=version,
                        document=document,
                    )
                )
                if len(batch) == 500:
                    self.model.objects.bulk_create(batch)
                    if progress:
                        progress(len(batch))
                    batch = []
            self.model.objects.bulk_create(batch)
            if progress:
                progress(len(batch))
        with self._lock:
            self._index, self._version = None, -1

    def known_tokens(self, ids):
        known = {}
        for document in (
            self._rows(ids).filter(live=True).values_list("document", flat=True)
        ):
            for item in document.get("evidence", []):
                known[item["hash"]] = item["tokens"]
        return known

    def indexed_versions(self):
        return {
            row[self.key]: row["document"].get("fingerprint")
            for row in self.model.objects.filter(live=True).values(self.key, "document")
        }

    # --- reading (memory) -----------------------------------------------------

    def sync(self):
        """Apply every stored change newer than this process's index."""
        stored = (
            IndexState.objects.filter(pk=self.state)
            .values_list("version", flat=True)
            .first()
            or 0
        )
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
                self._index, self._version = self._new_index(), -1
            index = self._index
            rows = self.model.objects.filter(version__gt=self._version).values_list(
                self.key, "live", "document", "version"
            )
            changed = [
                (key, live, doc) for key, live, doc, _ in rows.order_by("version")
            ]
            vectors = (
                _vectors_for(
                    item["hash"]
                    for _, live, doc in changed
                    if live
                    for item in doc["evidence"]
                )
                if self.vectors
                else {}
            )
            for key, live, document in changed:
                if live:
                    index.add(document, vectors)
                else:
                    index.remove(key)
            self._version = stored
            return index

    def _new_index(self):
        encoder = get_encoder() if self.vectors else None
        return MemoryIndex(encoder.dim if encoder else 1, key=self.key)


class EmbeddedBackend(MemorySearch):
    name = "embedded"

    def __init__(self):
        self.studios = StoredIndex(IndexedStudio, "studio_id", 1, vectors=True)
        # Problems are found by their words (the public search box).
        self.problems = StoredIndex(IndexedProblem, "problem_id", 2, vectors=False)

    def write(self, documents):
        self.studios.write(documents)

    def remove(self, studio_ids):
        self.studios.remove(studio_ids)

    def rebuild(self, documents, *, progress=None):
        self.studios.rebuild(documents, progress=progress)

    def known_tokens(self, studio_ids):
        return self.studios.known_tokens(studio_ids)

    def indexed_versions(self):
        return self.studios.indexed_versions()

    def sync(self):
        return self.studios.sync()

    def _memory(self):
        return self.studios.sync()

    def write_problems(self, documents):
        self.problems.write(documents)

    def remove_problems(self, problem_ids):
        self.problems.remove(problem_ids)

    def rebuild_problems(self, documents, *, progress=None):
        self.problems.rebuild(documents, progress=progress)

    def problem_versions(self):
        return self.problems.indexed_versions()

    def _problem_memory(self):
        return self.problems.sync()


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


def _next_version(state):
    IndexState.objects.get_or_create(pk=state)
    IndexState.objects.filter(pk=state).update(version=F("version") + 1)
    return IndexState.objects.values_list("version", flat=True).get(pk=state)


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
