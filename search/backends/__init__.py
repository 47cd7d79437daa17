from functools import cache

from django.conf import settings

from .embedded import EmbeddedBackend


@cache
def get_backend():
    """The configured backend: Elasticsearch when ELASTICSEARCH_URL is set."""
    if settings.ELASTICSEARCH_URL:
        return elasticsearch_backend(settings.ELASTICSEARCH_URL)
    return EmbeddedBackend()


def elasticsearch_backend(url):
    # only processes configured for Elasticsearch load its client library
    from .elastic import ElasticsearchBackend

    return ElasticsearchBackend(url)
