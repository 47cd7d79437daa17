"""Changing SEARCH_ENCODER re-encodes: vectors are stored per encoder name, so
a new encoder (another dimension) never gets the old encoder's vectors."""

import hashlib

import numpy as np
import pytest

from search.embeddings import embed
from search.encoders import content_hash, get_encoder
from search.models import Embedding

pytestmark = pytest.mark.django_db
TEXTS = ["窑头密封漏风，冒灰严重", "开式齿轮磨损，啮合异响"]


class NarrowHashEncoder:
    """Another encoder than tests.core.encoders.HashEncoder: other name, 8 d."""

    name = "test-hash-narrow"
    dim = 8

    def passages(self, texts):
        return np.stack([self.query(t) for t in texts])

    def query(self, text):
        digest = hashlib.sha256(b"narrow" + text.encode()).digest()[: self.dim]
        vector = np.frombuffer(digest, dtype=np.uint8).astype(np.float32) - 127.5
        return vector / np.linalg.norm(vector)


@pytest.fixture
def use_encoder(settings):
    def use(path):
        settings.SEARCH_ENCODER = path
        get_encoder.cache_clear()
        return get_encoder()

    yield use
    get_encoder.cache_clear()


def test_a_new_encoder_encodes_again_in_its_own_dimension(use_encoder):
    old = use_encoder("tests.core.encoders.HashEncoder")
    before = embed(TEXTS)
    assert {v.shape for v in before.values()} == {(old.dim,)}

    new = use_encoder("tests.search.test_encoder_switch.NarrowHashEncoder")
    after = embed(TEXTS)

    assert {v.shape for v in after.values()} == {(new.dim,)}
    for text in TEXTS:
        assert np.allclose(after[content_hash(text)], new.query(text))
    stored = Embedding.objects.values_list("encoder", flat=True)
    assert sorted(stored) == sorted([old.name] * 2 + [new.name] * 2)


def test_switching_back_reuses_the_stored_vectors(use_encoder, monkeypatch):
    use_encoder("tests.core.encoders.HashEncoder")
    first = embed(TEXTS)
    use_encoder("tests.search.test_encoder_switch.NarrowHashEncoder")
    embed(TEXTS)

    old = use_encoder("tests.core.encoders.HashEncoder")
    monkeypatch.setattr(
        type(old), "passages", lambda self, texts: pytest.fail("encoded again")
    )
    again = embed(TEXTS)
    assert all(np.array_equal(again[h], first[h]) for h in first)
