"""Vectors by content hash: each text is encoded once per encoder."""

import numpy as np

from .encoders import content_hash, get_encoder
from .models import Embedding

BATCH = 16


def stored_vectors(hashes, encoder):
    found = {}
    hashes = list(set(hashes))
    for start in range(0, len(hashes), 5000):
        rows = Embedding.objects.filter(
            encoder=encoder.name, content_hash__in=hashes[start : start + 5000]
        ).values_list("content_hash", "vector")
        found.update({h: np.frombuffer(v, dtype=np.float32) for h, v in rows})
    return found


def embed(texts, *, progress=None):
    """{hash: vector} for ``texts``, encoding and storing only the new ones."""
    encoder = get_encoder()
    if encoder is None:
        return {}
    by_hash = {content_hash(t): t for t in texts}
    vectors = stored_vectors(by_hash, encoder)
    missing = [(h, t) for h, t in by_hash.items() if h not in vectors]
    for start in range(0, len(missing), BATCH):
        batch = missing[start : start + BATCH]
        encoded = encoder.passages([t for _, t in batch])
        rows = [
            Embedding(
                content_hash=h,
                encoder=encoder.name,
                vector=encoded[i].astype(np.float32).tobytes(),
            )
            for i, (h, _) in enumerate(batch)
        ]
        Embedding.objects.bulk_create(rows, ignore_conflicts=True)
        vectors.update({h: encoded[i] for i, (h, _) in enumerate(batch)})
        if progress:
            progress(len(batch))
    return vectors
