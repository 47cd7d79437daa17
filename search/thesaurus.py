"""Query expansion through the staff-edited thesaurus, the same for every backend."""

from dataclasses import dataclass

from core.cache import cached_for_content

from .models import ThesaurusEntry
from .text import normalise, tokens

SYNONYM_WEIGHT = 0.5


@dataclass(frozen=True)
class Expansion:
    found: str  # the word as it stands in the text
    synonym: str  # the equivalent term added to the query


def groups():
    def load():
        return [
            [normalise(t) for t in entry.term_list]
            for entry in ThesaurusEntry.objects.filter(enabled=True)
        ]

    return cached_for_content("thesaurus-groups", load)


def expansions(text, thesaurus=None):
    """Equivalent terms for the words of ``text`` that the thesaurus knows."""
    text = normalise(text)
    found = []
    for group in groups() if thesaurus is None else thesaurus:
        present = [term for term in group if term in text]
        if not present:
            continue
        for synonym in group:
            if synonym not in text:
                found.append(Expansion(present[0], synonym))
    return found


def weighted_terms(text, thesaurus=None):
    """Query tokens with weights: the text's own 1.0, thesaurus synonyms less."""
    weights = {}
    for token in tokens(text):
        weights[token] = weights.get(token, 0) + 1.0
    added = {}
    for expansion in expansions(text, thesaurus):
        for token in tokens(expansion.synonym):
            if token not in weights:
                added[token] = SYNONYM_WEIGHT
    return {**added, **weights}
