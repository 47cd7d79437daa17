"""Background indexing; the matching engine's index arrives with the search issue."""


def enqueue_index_studios(studio_ids):
    return None
