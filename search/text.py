"""Chinese text → tokens for BM25 (jieba), shared by every backend."""

import logging
import re
import unicodedata
from pathlib import Path

import jieba

jieba.setLogLevel(logging.WARNING)


def _word_list(name):
    return frozenset(
        word
        for line in (Path(__file__).parent / "data" / name)
        .read_text("utf-8")
        .splitlines()
        if not line.startswith("#")
        for word in line.split()
    )


STOPWORDS = _word_list("stopwords.txt")
# Shared by a problem and a studio without saying anything about the skill:
# counted by BM25, never shown to a person as a shared term.
FILLER = _word_list("filler.txt")
_NUMBERISH = re.compile(r"^[\d.%％°℃a-z]*$")
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


def worth_showing(term):
    """A shared term a person can use as evidence: two characters or more,
    no stop-word or filler, no bare number or unit."""
    return (
        len(term) > 1
        and term not in STOPWORDS
        and term not in FILLER
        and not (_NUMBERISH.match(term) and not term.isalpha())
    )
