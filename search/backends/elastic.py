"""The Elasticsearch backend, through elasticsearch.dsl.

Each piece of a studio's evidence is one document. Its `tokens` field holds
the same jieba tokens the embedded backend indexes (whitespace-analysed, BM25
with the same k1 and b), so the two backends rank alike; its `text` field is
analysed by a Chinese analyzer (IK or smartcn when the plugin is installed,
the built-in `cjk` bigram analyzer otherwise) for the public search box; its
`vector` field holds the sentence vector for kNN. Signals are fused in Python
(Elasticsearch's RRF needs a paid licence) by the same code as the embedded
backend. Every query clause is named (`_name`) so each hit says what matched.
"""

import functools
import time
from collections import defaultdict

import numpy as np
from django.conf import settings
from django.utils.module_loading import import_string
from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, helpers
from elasticsearch.dsl import (
    DenseVector,
    Document,
    Index,
    Integer,
    Keyword,
    Q,
    Search,
    Text,
)

from ..embeddings import stored_vectors
from ..encoders import get_encoder
from .base import (
    EvidenceHit,
    ProblemHit,
    SearchBackend,
    SearchUnavailable,
    StudioHit,
)
from .memory import OTHER_EVIDENCE_WEIGHT

CHINESE_ANALYZERS = [("analysis-ik", "ik_max_word"), ("analysis-smartcn", "smartcn")]
FALLBACK_ANALYZER = "cjk"
EVIDENCE_PER_STUDIO = 5
# Text fields name these analyzers; the index settings define them (the
# Chinese one as the best analyzer every node has: `pick_chinese_analyzer`).
CHINESE = "chinese"
JIEBA_TOKENS = "jieba_tokens"


def pick_chinese_analyzer(plugins_per_node):
    """IK or smartcn when every node has the plugin, else the built-in cjk."""
    for plugin, analyzer in CHINESE_ANALYZERS:
        if plugins_per_node and all(plugin in names for names in plugins_per_node):
            return analyzer
    return FALLBACK_ANALYZER


def _vector_dims():
    """The configured encoder's vector size, read from its class (the model is
    not loaded); 1 when the semantic signal is off."""
    path = settings.SEARCH_ENCODER
    return import_string(path).dim if path else 1


class IndexedText(Document):
    """The fields both collections share: the text twice (jieba tokens for BM25
    like the embedded backend, and Chinese-analysed), and facets."""

    text = Text(analyzer=CHINESE)
    tokens = Text(analyzer=JIEBA_TOKENS, similarity="BM25")
    enterprise = Keyword()
    industry_chain = Keyword()
    district = Keyword()
    alliances = Keyword(multi=True)
    year = Integer()
    fingerprint = Keyword()


class StudioEvidence(IndexedText):
    """One piece of a studio's evidence, with its studio's metadata."""

    studio_id = Keyword()
    slug = Keyword()
    name = Text(analyzer=CHINESE)
    kind = Keyword()
    ref = Keyword()
    label = Text(analyzer=CHINESE)
    level = Keyword()
    achievement_kind = Keyword()
    vector = DenseVector(dims=_vector_dims(), index=True, similarity="cosine")

    class Index:
        name = settings.SEARCH_INDEXES["evidence"]


# Fields of StudioEvidence that differ from piece to piece (and the document's
# fingerprint); the others are the studio's metadata, the same on each piece.
PIECE_FIELDS = frozenset(
    {"kind", "ref", "label", "text", "tokens", "year", "achievement_kind", "vector"}
)


class PublicProblem(IndexedText):
    """A public problem (one document each), for the public search box."""

    problem_id = Keyword()
    title = Text(analyzer=CHINESE)
    tags = Keyword(multi=True)
    status = Keyword()

    class Index:
        name = settings.SEARCH_INDEXES["problems"]


# Answers of a cluster that is there but cannot serve now.
UNAVAILABLE_STATUSES = {429, 502, 503, 504}


def unavailable_as_search_unavailable(method):
    """A method of the backend whose unreachable engine (connection refused
    or reset, timeout, cluster overloaded) raises SearchUnavailable."""

    @functools.wraps(method)
    def guarded(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except TransportError as exc:
            raise SearchUnavailable(f"Elasticsearch: {exc!r}"[:500]) from exc
        except ApiError as exc:
            if exc.meta.status in UNAVAILABLE_STATUSES:
                raise SearchUnavailable(f"Elasticsearch: {exc!r}"[:500]) from exc
            raise

    return guarded


def index_definition(name, document, *, chinese_analyzer):
    """A concrete index for ``document`` (StudioEvidence or PublicProblem): one
    shard, so BM25 statistics are global, and our analyzers."""
    index = Index(name)
    index.settings(
        number_of_shards=1,
        number_of_replicas=0 if settings.DEBUG else 1,
        analysis={
            "analyzer": {
                JIEBA_TOKENS: {
                    "type": "custom",
                    "tokenizer": "whitespace",
                    "filter": ["lowercase"],
                },
                CHINESE: {"type": chinese_analyzer},
            }
        },
    )
    index.document(document)
    return index


def to_source(document, values):
    """The ``_source`` of a ``document`` class from the flat dict ``values``:
    every mapped field once, keywords as strings, an empty keyword absent."""
    source = {}
    for name, spec in document._doc_type.mapping.to_dict()["properties"].items():
        value = values.get(name)
        if spec["type"] == "keyword":
            if value in ("", None):
                value = None
            elif isinstance(value, int):
                value = str(value)
        source[name] = value
    return source


def lexical_query(terms, *, size):
    """BM25 over the jieba tokens; one named clause per weighted term."""
    should = [
        Q(
            "match",
            tokens={"query": term, "boost": round(weight, 4), "_name": f"term:{term}"},
        )
        for term, weight in terms.items()
    ]
    return (
        Search()
        .query(Q("bool", should=should, minimum_should_match=1))
        .source(excludes=["vector", "tokens"])
        .extra(size=size, track_total_hits=False)
    )


def semantic_query(vector, *, k):
    knn = Q(
        "knn",
        field="vector",
        query_vector=[float(x) for x in vector],
        k=k,
        num_candidates=max(k * 5, 100),
        _name="semantic",
    )
    return Search().query(knn).source(excludes=["vector", "tokens"]).extra(size=k)


def evidence_vectors_query(studio_ids):
    """Every piece of evidence of these studios that has a vector, with it:
    the re-ranking stage compares the problem's sentences with each piece."""
    return (
        Search()
        .filter("terms", studio_id=[str(i) for i in studio_ids])
        .filter("exists", field="vector")
        .source(excludes=["tokens"])
        .extra(size=len(studio_ids) * 20)
    )


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, url, client=None):
        if client is None:
            # Short timeouts, one retry: a request never hangs on an engine
            # that does not answer. Bulk writes (in workers) get more time.
            client = Elasticsearch(
                url,
                request_timeout=settings.ELASTICSEARCH_TIMEOUT,
                max_retries=settings.ELASTICSEARCH_MAX_RETRIES,
                retry_on_timeout=False,
            )
            self.bulk_client = client.options(
                request_timeout=4 * settings.ELASTICSEARCH_TIMEOUT
            )
        else:
            self.bulk_client = client
        self.client = client
        self.alias = StudioEvidence.Index.name
        self.problem_alias = PublicProblem.Index.name
        self._ensured = set()  # aliases known to exist: no round trip per query

    # --- index management -----------------------------------------------------

    def chinese_analyzer(self):
        nodes = self.client.nodes.info(metric="plugins")["nodes"].values()
        return pick_chinese_analyzer(
            [{p["name"] for p in node.get("plugins", [])} for node in nodes]
        )

    def _create(self, name, alias):
        document = PublicProblem if alias == self.problem_alias else StudioEvidence
        index_definition(
            name, document, chinese_analyzer=self.chinese_analyzer()
        ).create(using=self.client)

    def ensure_index(self, alias=None):
        """Create the alias's index if missing; asked once per alias and process."""
        alias = alias or self.alias
        if alias in self._ensured:
            return
        if not self.client.indices.exists_alias(name=alias):
            name = f"{alias}-{time.strftime('%Y%m%d%H%M%S')}"
            self._create(name, alias)
            self.client.indices.put_alias(index=name, name=alias)
        self._ensured.add(alias)

    @unavailable_as_search_unavailable
    def rebuild(self, documents, *, progress=None):
        self._rebuild(
            self.alias,
            lambda name: self._actions(documents, name),
            progress,
            EVIDENCE_PER_STUDIO,
        )

    @unavailable_as_search_unavailable
    def rebuild_problems(self, documents, *, progress=None):
        self._rebuild(
            self.problem_alias,
            lambda name: problem_actions(documents, name),
            progress,
            1,
        )

    def _rebuild(self, alias, actions, progress, per_item):
        """Write a new index, then swap the alias in one atomic step."""
        name = f"{alias}-{time.strftime('%Y%m%d%H%M%S')}"
        self._create(name, alias)
        count = 0
        for ok, _ in helpers.streaming_bulk(self.bulk_client, actions(name)):
            count += ok
            if progress and count % per_item == 0:
                progress(1)
        self.client.indices.refresh(index=name)
        old = (
            list(self.client.indices.get_alias(name=alias))
            if self.client.indices.exists_alias(name=alias)
            else []
        )
        swap = [{"remove": {"index": i, "alias": alias}} for i in old]
        swap.append({"add": {"index": name, "alias": alias}})
        self.client.indices.update_aliases(actions=swap)
        for index in old:
            self.client.indices.delete(index=index)
        self._ensured.add(alias)

    # --- writing --------------------------------------------------------------

    def _actions(self, documents, index):
        documents = list(documents)
        encoder = get_encoder()
        vectors = (
            stored_vectors(
                [i["hash"] for d in documents for i in d["evidence"]], encoder
            )
            if encoder
            else {}
        )
        for document in documents:
            for item in document["evidence"]:
                yield {
                    "_op_type": "index",
                    "_index": index,
                    "_id": f"{document['studio_id']}:{item['kind']}:{item['ref']}",
                    "_source": evidence_source(
                        document, item, vectors.get(item["hash"])
                    ),
                }

    @unavailable_as_search_unavailable
    def write(self, documents):
        documents = list(documents)
        if not documents:
            return
        self.ensure_index()
        self.remove([d["studio_id"] for d in documents], refresh=False)
        helpers.bulk(
            self.bulk_client, self._actions(documents, self.alias), refresh=True
        )

    def _delete(self, alias, field, ids, *, refresh):
        """Delete the documents whose ``field`` is one of ``ids`` from the
        index behind ``alias``."""
        self.ensure_index(alias)
        self.client.delete_by_query(
            index=alias,
            query={"terms": {field: [str(i) for i in ids]}},
            refresh=refresh,
            conflicts="proceed",
        )

    @unavailable_as_search_unavailable
    def remove(self, studio_ids, refresh=True):
        self._delete(self.alias, "studio_id", studio_ids, refresh=refresh)

    @unavailable_as_search_unavailable
    def indexed_versions(self):
        self.ensure_index()
        found = {}
        for hit in helpers.scan(
            self.client,
            index=self.alias,
            query={"query": {"term": {"kind": "profile"}}},
            _source=["studio_id", "fingerprint"],
        ):
            source = hit["_source"]
            found[_studio_key(source["studio_id"])] = source.get("fingerprint")
        return found

    # --- public problems ------------------------------------------------------

    @unavailable_as_search_unavailable
    def write_problems(self, documents):
        documents = list(documents)
        if not documents:
            return
        self.ensure_index(self.problem_alias)
        helpers.bulk(
            self.bulk_client,
            problem_actions(documents, self.problem_alias),
            refresh=True,
        )

    @unavailable_as_search_unavailable
    def remove_problems(self, problem_ids):
        self._delete(self.problem_alias, "problem_id", problem_ids, refresh=True)

    @unavailable_as_search_unavailable
    def problem_versions(self):
        self.ensure_index(self.problem_alias)
        return {
            int(hit["_source"]["problem_id"]): hit["_source"].get("fingerprint")
            for hit in helpers.scan(
                self.client,
                index=self.problem_alias,
                query={"query": {"match_all": {}}},
                _source=["problem_id", "fingerprint"],
            )
        }

    @unavailable_as_search_unavailable
    def search_problems(self, terms, *, limit):
        if not terms:
            return []
        self.ensure_index(self.problem_alias)
        response = (
            lexical_query(terms, size=limit)
            .index(self.problem_alias)
            .using(self.client)
            .execute()
        )
        hits = []
        for hit in response:
            source = hit.to_dict()
            text = source.pop("text")
            source["problem_id"] = int(source["problem_id"])
            hits.append(
                ProblemHit(
                    source["problem_id"],
                    hit.meta.score,
                    source,
                    text,
                    _matched_terms(hit),
                )
            )
        return hits

    # --- reading --------------------------------------------------------------

    def _search(self, search):
        self.ensure_index()
        return search.index(self.alias).using(self.client).execute()

    @unavailable_as_search_unavailable
    def lexical(self, terms, *, limit):
        if not terms:
            return []
        response = self._search(lexical_query(terms, size=limit * EVIDENCE_PER_STUDIO))
        hits = [
            (hit.to_dict(), hit.meta.score, _matched_terms(hit)) for hit in response
        ]
        return aggregate(hits, limit)

    @unavailable_as_search_unavailable
    def semantic(self, vector, *, limit):
        response = self._search(semantic_query(vector, k=limit * EVIDENCE_PER_STUDIO))
        best = {}
        for hit in response:
            source = hit.to_dict()
            key = source["studio_id"]
            # cosine similarity back from Elasticsearch's (1 + cos) / 2 score
            similarity = 2 * hit.meta.score - 1
            entry = best.setdefault(key, [source, similarity, []])
            entry[1] = max(entry[1], similarity)
            entry[2].append(_evidence_hit(source, similarity, []))
        ranked = sorted(best.values(), key=lambda e: -e[1])[:limit]
        return [
            StudioHit(
                _studio_key(s["studio_id"]),
                score,
                _meta(s),
                sorted(ev, key=lambda e: -e.score)[:3],
                signal="semantic",
            )
            for s, score, ev in ranked
        ]

    @unavailable_as_search_unavailable
    def vector_pending(self, studio_ids):
        if not studio_ids:
            return set()
        response = self._search(
            Search()
            .filter("terms", studio_id=[str(i) for i in studio_ids])
            .exclude("exists", field="vector")
            .source(["studio_id"])
            .extra(size=len(studio_ids) * 20)
        )
        return {_studio_key(hit.studio_id) for hit in response}

    @unavailable_as_search_unavailable
    def evidence_vectors(self, studio_ids):
        if not studio_ids:
            return {}
        found = {}
        for hit in self._search(evidence_vectors_query(studio_ids)):
            source = hit.to_dict()
            found.setdefault(_studio_key(source["studio_id"]), []).append(
                (
                    _evidence_hit(source, 0.0, []),
                    np.asarray(source["vector"], dtype=np.float32),
                )
            )
        return found


def _matched_terms(hit):
    return [
        q.split(":", 1)[1]
        for q in getattr(hit.meta, "matched_queries", [])
        if q.startswith("term:")
    ]


def problem_source(document):
    """A public problem's Elasticsearch document (one per problem)."""
    return to_source(PublicProblem, {**document, **document["evidence"][0]})


def problem_actions(documents, index):
    for document in documents:
        yield {
            "_op_type": "index",
            "_index": index,
            "_id": str(document["problem_id"]),
            "_source": problem_source(document),
        }


def evidence_source(document, item, vector):
    """One piece of a studio's evidence as an Elasticsearch document."""
    source = to_source(StudioEvidence, {**document, **item})
    if vector is None:
        del source["vector"]
    else:
        source["vector"] = [float(x) for x in vector]
    return source


def aggregate(hits, limit):
    """Per studio: best piece of evidence + OTHER_EVIDENCE_WEIGHT × the others
    (the same formula as the embedded backend)."""
    by_studio = defaultdict(list)
    for source, score, terms in hits:
        by_studio[source["studio_id"]].append((source, score, terms))
    ranked = []
    for pieces in by_studio.values():
        pieces.sort(key=lambda p: -p[1])
        scores = [p[1] for p in pieces]
        total = scores[0] + OTHER_EVIDENCE_WEIGHT * sum(scores[1:])
        source = pieces[0][0]
        ranked.append(
            StudioHit(
                _studio_key(source["studio_id"]),
                total,
                _meta(source),
                [_evidence_hit(s, sc, t) for s, sc, t in pieces[:3]],
            )
        )
    ranked.sort(key=lambda h: -h.score)
    return ranked[:limit]


def _evidence_hit(source, score, terms):
    ref = source["ref"]
    return EvidenceHit(
        source["kind"],
        int(ref) if ref.isdigit() else ref,
        source["label"],
        source["text"],
        score,
        terms,
        source.get("year"),
    )


def _meta(source):
    """The studio's metadata, as the memory index gives it."""
    meta = {
        name: source.get(name)
        for name in StudioEvidence._doc_type.mapping
        if name not in PIECE_FIELDS and name != "fingerprint"
    }
    meta.update(
        studio_id=_studio_key(source["studio_id"]),
        district=meta["district"] or "",
        level=meta["level"] or "",
        alliances=meta["alliances"] or [],
    )
    return meta


def _studio_key(value):
    return int(value) if str(value).isdigit() else value
