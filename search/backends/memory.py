"""An in-memory BM25 + vector index over pieces of evidence, grouped in
blocks: one block per studio (its evidence) or per public problem (its text).

Each key's evidence is appended as one contiguous block; replacing a key
marks its old block dead and appends a new one, and the index is compacted
when too much of it is dead (as Lucene merges segments).
"""

import math
from array import array

import numpy as np

K1 = 1.2
B = 0.75
OTHER_EVIDENCE_WEIGHT = 0.3  # aggregate = best piece + 0.3 × the others


class MemoryIndex:
    """``key`` names the document field that identifies a block:
    ``studio_id`` (studio documents) or ``problem_id`` (problem documents)."""

    def __init__(self, dim, key="studio_id"):
        self.dim = dim
        self.key = key
        self.postings = {}  # term -> (array of doc ids, array of term frequencies)
        self.doc_len = array("f")
        self.doc_block = array("i")
        self.doc_alive = bytearray()
        self.doc_has_vector = bytearray()
        self.docs = []  # evidence dicts
        self.vectors = np.zeros((1024, dim), dtype=np.float32)
        self.block_start = array("i")
        self.block_key = []  # key (studio or problem id) per block
        self.block_alive = bytearray()
        self.key_block = {}  # key -> its live block
        self.meta = {}  # key -> document without evidence
        self.alive_docs = 0
        self.alive_len = 0.0
        self.dead_docs = 0

    # --- writing --------------------------------------------------------------

    def remove(self, key):
        block = self.key_block.pop(key, None)
        self.meta.pop(key, None)
        if block is None:
            return
        self.block_alive[block] = 0
        for doc in self._block_docs(block):
            if self.doc_alive[doc]:
                self.doc_alive[doc] = 0
                self.alive_docs -= 1
                self.alive_len -= self.doc_len[doc]
                self.dead_docs += 1

    def add(self, document, vectors):
        """Add a document; ``vectors`` maps evidence hash -> vector."""
        key = document[self.key]
        self.remove(key)
        block = len(self.block_start)
        self.block_start.append(len(self.docs))
        self.block_key.append(key)
        self.block_alive.append(1)
        self.key_block[key] = block
        self.meta[key] = {k: v for k, v in document.items() if k != "evidence"}
        for item in document["evidence"]:
            self._add_doc(block, item, vectors.get(item["hash"]))

    def _add_doc(self, block, item, vector):
        doc = len(self.docs)
        terms = item["tokens"].split()
        self.docs.append(item)
        self.doc_len.append(len(terms))
        self.doc_block.append(block)
        self.doc_alive.append(1)
        self.alive_docs += 1
        self.alive_len += len(terms)
        counts = {}
        for term in terms:
            counts[term] = counts.get(term, 0) + 1
        for term, count in counts.items():
            posting = self.postings.get(term)
            if posting is None:
                posting = self.postings[term] = (array("i"), array("f"))
            posting[0].append(doc)
            posting[1].append(count)
        if doc >= len(self.vectors):
            grown = np.zeros((len(self.vectors) * 2, self.dim), dtype=np.float32)
            grown[: len(self.vectors)] = self.vectors
            self.vectors = grown
        self.doc_has_vector.append(vector is not None)
        self.vectors[doc] = 0 if vector is None else vector

    def _block_docs(self, block):
        start = self.block_start[block]
        end = (
            self.block_start[block + 1]
            if block + 1 < len(self.block_start)
            else len(self.docs)
        )
        return range(start, end)

    @property
    def needs_compaction(self):
        return self.dead_docs > 1000 and self.dead_docs > self.alive_docs

    # --- reading --------------------------------------------------------------

    def lexical(self, terms, limit):
        n_docs = len(self.docs)
        if not n_docs or not self.alive_docs:
            return []
        alive = np.frombuffer(self.doc_alive, dtype=np.uint8).astype(bool)
        lengths = np.frombuffer(self.doc_len, dtype=np.float32)
        avgdl = self.alive_len / self.alive_docs
        scores = np.zeros(n_docs, dtype=np.float32)
        for term, weight in terms.items():
            posting = self.postings.get(term)
            if posting is None:
                continue
            docs = np.frombuffer(posting[0], dtype=np.int32)
            tf = np.frombuffer(posting[1], dtype=np.float32)
            keep = alive[docs]
            docs, tf = docs[keep], tf[keep]
            if not len(docs):
                continue
            idf = math.log(1 + (self.alive_docs - len(docs) + 0.5) / (len(docs) + 0.5))
            norm = K1 * (1 - B + B * lengths[docs] / avgdl)
            scores[docs] += weight * idf * tf * (K1 + 1) / (tf + norm)
        hit_docs = np.nonzero(scores)[0]
        if not len(hit_docs):
            return []
        blocks = np.frombuffer(self.doc_block, dtype=np.int32)[hit_docs]
        n_blocks = len(self.block_start)
        best = np.zeros(n_blocks, dtype=np.float32)
        total = np.zeros(n_blocks, dtype=np.float32)
        np.maximum.at(best, blocks, scores[hit_docs])
        np.add.at(total, blocks, scores[hit_docs])
        aggregate = best + OTHER_EVIDENCE_WEIGHT * (total - best)
        wanted = set(terms)
        return [
            (
                self.block_key[block],
                float(aggregate[block]),
                self._evidence(block, scores, wanted),
            )
            for block in _top(aggregate, limit)
        ]

    def semantic(self, vector, limit):
        n_docs = len(self.docs)
        if not n_docs:
            return []
        sims = self.vectors[:n_docs] @ vector
        valid = (
            np.frombuffer(self.doc_alive, dtype=np.uint8)
            & np.frombuffer(self.doc_has_vector, dtype=np.uint8)
        ).astype(bool)
        sims[~valid] = -np.inf
        starts = np.frombuffer(self.block_start, dtype=np.int32)
        best = np.maximum.reduceat(sims, starts)
        best[~np.frombuffer(self.block_alive, dtype=np.uint8).astype(bool)] = -np.inf
        best[~np.isfinite(best)] = -np.inf
        results = []
        for block in _top(best, limit, floor=-np.inf):
            docs = self._block_docs(block)
            ranked = sorted(docs, key=lambda d: -sims[d])
            results.append(
                (
                    self.block_key[block],
                    float(best[block]),
                    [
                        (self.docs[d], float(sims[d]), [])
                        for d in ranked[:3]
                        if np.isfinite(sims[d])
                    ],
                )
            )
        return results

    def _evidence(self, block, scores, wanted):
        docs = [d for d in self._block_docs(block) if scores[d] > 0]
        docs.sort(key=lambda d: -scores[d])
        return [
            (
                self.docs[d],
                float(scores[d]),
                sorted(
                    wanted & set(self.docs[d]["tokens"].split()), key=len, reverse=True
                ),
            )
            for d in docs[:3]
        ]

    def evidence_vectors(self, keys):
        """Each key's live evidence with its vector (for the second stage)."""
        found = {}
        for key in keys:
            block = self.key_block.get(key)
            if block is None:
                continue
            found[key] = [
                (self.docs[d], self.vectors[d])
                for d in self._block_docs(block)
                if self.doc_has_vector[d] and self.doc_alive[d]
            ]
        return found

    def pending_vectors(self, keys):
        """Of these keys, those with a piece of evidence that has no vector."""
        pending = set()
        for key in keys:
            block = self.key_block.get(key)
            if block is not None and not all(
                self.doc_has_vector[d] for d in self._block_docs(block)
            ):
                pending.add(key)
        return pending


def _top(values, limit, floor=0.0):
    candidates = np.nonzero(values > floor)[0]
    if len(candidates) > limit:
        part = np.argpartition(-values[candidates], limit)[:limit]
        candidates = candidates[part]
    return candidates[np.argsort(-values[candidates], kind="stable")]
