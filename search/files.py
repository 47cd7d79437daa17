"""Matching straight from interchange files, on a throw-away index."""

import uuid
from collections import defaultdict
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import CommandError

from core.interchange import split_records

from .backends import elasticsearch_backend
from .backends.embedded import EphemeralBackend
from .documents import document_from_record
from .embeddings import embed
from .matching import Problem


def read_valid(path, schema):
    try:
        records, errors = split_records(path, schema)
    except OSError as exc:
        raise CommandError(f"{path}: {exc.strerror}") from exc
    if errors:
        raise CommandError("\n".join(str(e) for e in errors))
    return records


def throwaway_backend(studio_records, *, progress=None, encode=True):
    documents = [document_from_record(r) for r in studio_records]
    texts = [item["text"] for d in documents for item in d["evidence"]]
    vectors = embed(texts, progress=progress) if encode else {}
    return EphemeralBackend(documents, vectors)


def enterprise_alliances(studio_records):
    alliances = defaultdict(set)
    for record in studio_records:
        alliances[record["enterprise"]].update(record.get("alliances") or [])
    return alliances


def problem_from_record(record, alliances=None):
    return Problem(
        title=record["title"],
        description=record["description"],
        tags=record.get("tags") or [],
        industry_chain=record.get("industry_chain") or "",
        enterprise=record["enterprise"],
        alliances=sorted((alliances or {}).get(record["enterprise"], [])),
    )


@contextmanager
def throwaway_elastic(studio_records):
    """The studios in a new Elasticsearch index of their own, deleted afterwards."""
    if not settings.ELASTICSEARCH_URL:
        raise CommandError("--backend elasticsearch needs ELASTICSEARCH_URL")
    backend = elasticsearch_backend(settings.ELASTICSEARCH_URL)
    backend.alias = f"{backend.alias}-eval-{uuid.uuid4().hex[:8]}"
    try:
        backend.rebuild(document_from_record(r) for r in studio_records)
        yield backend
    finally:
        backend.client.indices.delete(
            index=f"{backend.alias}-*", ignore_unavailable=True
        )
