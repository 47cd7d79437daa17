"""Chinese text → tokens for BM25 (jieba), shared by every backend."""

import logging
import re
import unicodedata
from pathlib import Path

import jieba

jieba.setLogLevel(logging.WARNING)

STOPWORDS = frozenset(
    word
    for line in (Path(__file__).parent / "data" / "stopwords.txt")
    .read_text("utf-8")
    .splitlines()
    if not line.startswith("#")
    for word in line.split()
)
_TOKEN = re.compile(r"[\w\u4e00-\u9fff]", re.UNICODE)


def normalise(text):
    return unicodedata.normalize("NFKC", text or "").lower()


def tokens(text):
    """Tokens for indexing and querying: jieba's search-mode cut, which also
    yields the parts of long compounds (振动抑制 → 振动, 抑制, 振动抑制)."""
    return [
        token
        for token in jieba.lcut_for_search(normalise(text))
        if token.strip() and _TOKEN.search(token) and token not in STOPWORDS
    ]
