"""Elasticsearch: contract tests on the mapping and queries we generate (no
server needed), and live tests that run only when ELASTICSEARCH_URL is set."""

import os
import uuid
from types import SimpleNamespace

import numpy as np
import pytest

from problems.status import Status
from search.backends.elastic import (
    PublicProblem,
    StudioEvidence,
    aggregate,
    evidence_source,
    evidence_vectors_query,
    index_definition,
    lexical_query,
    pick_chinese_analyzer,
    problem_actions,
    semantic_query,
)
from search.backends.memory import MemoryIndex
from search.documents import document_from_record
from search.thesaurus import weighted_terms
from tests.support import studio_record

# Both indexes search the jieba tokens with BM25 (whitespace-separated words)
JIEBA_TOKENS = {"type": "text", "analyzer": "jieba_tokens", "similarity": "BM25"}


def test_mapping_keeps_jieba_tokens_a_chinese_text_field_and_vectors():
    body = index_definition(
        "jl-evidence-1", StudioEvidence, chinese_analyzer="smartcn"
    ).to_dict()
    assert body["settings"]["number_of_shards"] == 1  # global BM25 statistics
    analyzers = body["settings"]["analysis"]["analyzer"]
    assert analyzers["jieba_tokens"] == {
        "type": "custom",
        "tokenizer": "whitespace",
        "filter": ["lowercase"],
    }
    # the text fields' "chinese" analyzer is the one picked for the nodes
    assert analyzers["chinese"] == {"type": "smartcn"}
    fields = body["mappings"]["properties"]
    assert fields["tokens"] == JIEBA_TOKENS
    assert fields["text"]["analyzer"] == fields["name"]["analyzer"] == "chinese"
    assert fields["vector"] == {
        "type": "dense_vector",
        "dims": 384,
        "index": True,
        "similarity": "cosine",
    }
    for keyword in ["studio_id", "kind", "industry_chain", "alliances", "level"]:
        assert fields[keyword]["type"] == "keyword"


def test_problem_mapping_keeps_jieba_tokens_and_chinese_text_without_vectors():
    body = index_definition(
        "jl-problems-1", PublicProblem, chinese_analyzer="ik_max_word"
    ).to_dict()
    assert body["settings"]["analysis"]["analyzer"]["chinese"] == {
        "type": "ik_max_word"
    }
    fields = body["mappings"]["properties"]
    assert fields["tokens"] == JIEBA_TOKENS
    assert fields["text"]["analyzer"] == fields["title"]["analyzer"] == "chinese"
    assert "vector" not in fields
    for keyword in ["problem_id", "status", "industry_chain", "alliances", "tags"]:
        assert fields[keyword]["type"] == "keyword"
    assert fields["year"]["type"] == "integer"


def test_index_names_come_from_settings(settings):
    assert StudioEvidence.Index.name == settings.SEARCH_INDEXES["evidence"]
    assert PublicProblem.Index.name == settings.SEARCH_INDEXES["problems"]


def problem_document(**overrides):
    """A public problem's document as problems.search builds it."""
    return {
        "problem_id": 7,
        "title": "压盖后瓶盖歪斜漏检",
        "enterprise": "甲企业",
        "industry_chain": "烟酒食品",
        "district": "",
        "alliances": ["甲联盟"],
        "tags": ["瓶盖"],
        "status": Status.PUBLISHED,
        "year": 2026,
        "fingerprint": "f" * 64,
        "evidence": [
            {
                "kind": "problem",
                "ref": 7,
                "label": "压盖后瓶盖歪斜漏检",
                "text": "压盖后瓶盖歪斜漏检",
                "hash": "h",
                "tokens": "压盖 瓶盖 歪斜 漏检",
            }
        ],
        **overrides,
    }


def test_problem_documents_are_indexed_one_per_problem_with_their_tokens():
    document = problem_document()
    [action] = problem_actions([document], "jl-problems")
    assert (action["_index"], action["_id"]) == ("jl-problems", "7")
    source = action["_source"]
    assert source["tokens"].split() == ["压盖", "瓶盖", "歪斜", "漏检"]
    assert source["district"] is None  # absent keyword, not an empty string
    assert (source["problem_id"], source["alliances"]) == ("7", ["甲联盟"])
    assert set(source) == set(PublicProblem._doc_type.mapping)  # every field once


@pytest.mark.parametrize(
    ("plugins", "expected"),
    [
        ([{"analysis-ik"}, {"analysis-ik", "analysis-smartcn"}], "ik_max_word"),
        ([{"analysis-smartcn"}, {"analysis-smartcn"}], "smartcn"),
        ([{"analysis-smartcn"}, set()], "cjk"),  # a node without it: fall back
        ([], "cjk"),
    ],
)
def test_chinese_analyzer_falls_back_cleanly_without_the_plugin(plugins, expected):
    assert pick_chinese_analyzer(plugins) == expected


def test_lexical_query_names_every_weighted_term():
    query = lexical_query({"振动": 1.0, "抖动": 0.5}, size=50).to_dict()
    should = query["query"]["bool"]["should"]
    assert query["query"]["bool"]["minimum_should_match"] == 1
    assert {
        "match": {"tokens": {"query": "振动", "boost": 1.0, "_name": "term:振动"}}
    } in should
    assert {
        "match": {"tokens": {"query": "抖动", "boost": 0.5, "_name": "term:抖动"}}
    } in should
    assert query["_source"] == {"excludes": ["vector", "tokens"]}
    assert query["size"] == 50


def test_semantic_query_is_a_named_knn():
    query = semantic_query(np.ones(4, dtype=np.float32), k=20).to_dict()
    knn = query["query"]["knn"]
    assert knn["field"] == "vector" and knn["k"] == 20
    assert knn["num_candidates"] >= 20 and knn["_name"] == "semantic"
    assert knn["query_vector"] == [1.0, 1.0, 1.0, 1.0]


def test_re_ranking_fetches_every_vectored_piece_of_the_candidates():
    query = evidence_vectors_query([7, "s-abc"]).to_dict()
    filters = query["query"]["bool"]["filter"]
    assert {"terms": {"studio_id": ["7", "s-abc"]}} in filters
    assert {"exists": {"field": "vector"}} in filters
    # the vector comes back (the first-stage queries exclude it), tokens do not
    assert query["_source"] == {"excludes": ["tokens"]}
    assert query["size"] >= 2 * 5


def test_evidence_documents_carry_tokens_metadata_and_vector():
    document = document_from_record(studio_record())
    item = document["evidence"][0]
    source = evidence_source(document, item, np.array([0.5, 0.5], dtype=np.float32))
    assert source["tokens"] == item["tokens"] and "视觉" in source["tokens"].split()
    assert source["alliances"] == ["宝鸡烟酒食品工业跨区域创新工作室联盟"]
    assert source["vector"] == [0.5, 0.5]
    assert set(source) == set(StudioEvidence._doc_type.mapping)
    assert "vector" not in evidence_source(document, item, None)


def test_per_studio_aggregation_matches_the_embedded_backend():
    """Fed the same per-evidence BM25 scores, Elasticsearch's Python-side
    aggregation ranks studios exactly as the embedded index does."""
    records = [
        studio_record("s-a", expertise="钻井泵振动抑制与管汇减振。", tags=["振动抑制"]),
        studio_record("s-b", expertise="伺服振动抑制，机床颤振。", tags=["伺服"]),
        studio_record("s-c", expertise="涂装漆膜附着力。", tags=["涂装"]),
    ]
    documents = [document_from_record(r) for r in records]
    index = MemoryIndex(1)
    for document in documents:
        index.add(document, {})
    terms = weighted_terms("钻井泵排出管线振动", thesaurus=[])
    embedded = index.lexical(terms, 10)
    hits = [
        (
            {
                **evidence_source(
                    documents[[d["studio_id"] for d in documents].index(studio_id)],
                    item,
                    None,
                )
            },
            score,
            t,
        )
        for studio_id, _, pieces in embedded
        for item, score, t in pieces
    ]
    assert [h.studio_id for h in aggregate(hits, 10)] == [s for s, _, _ in embedded]


# --- live tests ---------------------------------------------------------------

ES_URL = os.environ.get("ELASTICSEARCH_URL")
live = pytest.mark.skipif(
    not ES_URL,
    reason="ELASTICSEARCH_URL is not set: no Elasticsearch server to test "
    "against (contract tests above still ran)",
)


@live
@pytest.mark.elasticsearch
@pytest.mark.django_db
def test_live_rebuild_and_match_agree_with_the_embedded_backend():
    from problems.interchange import PROBLEM
    from search.backends.elastic import ElasticsearchBackend
    from search.files import (
        enterprise_alliances,
        problem_from_record,
        read_valid,
        throwaway_backend,
    )
    from search.matching import match_problem
    from studios.services.studio_format import STUDIO
    from tests.support import DEMO

    studios = read_valid(DEMO / "studios.jsonl", STUDIO)
    problems = read_valid(DEMO / "problems.jsonl", PROBLEM)
    embedded = throwaway_backend(studios)
    elastic = ElasticsearchBackend(ES_URL)
    elastic.alias = f"jl-test-{uuid.uuid4().hex[:8]}-evidence"
    try:
        elastic.rebuild(document_from_record(r) for r in studios)
        alliances = enterprise_alliances(studios)
        overlaps = []
        for record in problems:
            problem = problem_from_record(record, alliances)
            a = [m.slug for m in match_problem(problem, backend=embedded, top=10)]
            b = [m.slug for m in match_problem(problem, backend=elastic, top=10)]
            overlaps.append(len(set(a[:5]) & set(b[:5])) / 5)
        assert sum(overlaps) / len(overlaps) >= 0.8
    finally:
        elastic.client.indices.delete(index=f"{elastic.alias}-*")


@live
@pytest.mark.elasticsearch
@pytest.mark.django_db
def test_live_public_problems_are_found_by_their_words():
    from search.backends.elastic import ElasticsearchBackend

    elastic = ElasticsearchBackend(ES_URL)
    elastic.problem_alias = f"jl-test-{uuid.uuid4().hex[:8]}-problems"
    document = problem_document(fingerprint="f")
    try:
        elastic.rebuild_problems([document])
        [hit] = elastic.search_problems({"瓶盖": 1.0}, limit=5)
        assert (hit.problem_id, hit.terms) == (7, ["瓶盖"])
        assert elastic.problem_versions() == {7: "f"}
        elastic.remove_problems([7])
        assert elastic.search_problems({"瓶盖": 1.0}, limit=5) == []
    finally:
        elastic.client.indices.delete(index=f"{elastic.problem_alias}-*")


class CountingClient:
    """Stands in for the Elasticsearch client: every index exists, no hits."""

    def __init__(self):
        self.alias_checks = 0
        self.searches = 0
        self.indices = self

    def exists_alias(self, name):
        self.alias_checks += 1
        return True

    def search(self, **kwargs):
        self.searches += 1
        return SimpleNamespace(
            body={"took": 1, "timed_out": False, "hits": {"hits": []}}
        )


def test_the_index_is_checked_once_per_process_not_once_per_query():
    from search.backends.elastic import ElasticsearchBackend

    client = CountingClient()
    backend = ElasticsearchBackend("http://unused", client=client)
    for _ in range(3):
        assert backend.lexical({"振动": 1.0}, limit=5) == []
        assert backend.search_problems({"振动": 1.0}, limit=5) == []
    assert client.searches == 6
    assert client.alias_checks == 2  # the evidence alias and the problems alias
