"""A sentence encoder for tests of the background machinery: instant and
deterministic (vectors from a hash of the text), so a test measures the
worker, not the model (the real encoder's speed is bench/matching.py's)."""

import hashlib

import numpy as np


class HashEncoder:
    name = "test-hash"
    dim = 16

    def _vector(self, text):
        digest = hashlib.sha256(text.encode()).digest()[: self.dim]
        vector = np.frombuffer(digest, dtype=np.uint8).astype(np.float32) - 127.5
        return vector / np.linalg.norm(vector)

    def passages(self, texts):
        return np.stack([self._vector(t) for t in texts])

    def query(self, text):
        return self._vector(text)
