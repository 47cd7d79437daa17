from functools import cache

from django.conf import settings


@cache
def get_backend():
    """The configured backend: Elasticsearch when ELASTICSEARCH_URL is set."""
    if settings.ELASTICSEARCH_URL:
        from .elastic import ElasticsearchBackend

        return ElasticsearchBackend(settings.ELASTICSEARCH_URL)
    from .embedded import EmbeddedBackend

    return EmbeddedBackend()
