"""The board at scale: a page is read in index order, not by sorting every
problem the reader may see (10,000 problems on PostgreSQL: 27 ms a page
sorted, 1 ms read from the index; bench/load.py)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction

from problems.filters import BoardFilter

pytestmark = pytest.mark.django_db


def test_a_board_page_is_read_in_index_order_without_sorting():
    page = BoardFilter({"page": 3}, user=AnonymousUser()).qs[40:60]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # A test's few rows make a sort cheaper than any index: forbid
            # sorting, so the plan shows whether an index gives the order.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_sort = off")
        plan = page.explain()
    sorting = "Sort" if connection.vendor == "postgresql" else "B-TREE FOR ORDER BY"
    assert sorting not in plan, plan
