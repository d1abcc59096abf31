"""Service tests of tests/services, run unchanged on PostgreSQL (fixtures in conftest.py).

Saving and searching consultations, the search index agreeing with LIKE on the demo
town, meetings and their 文書番号, statistics and the demo town: each imported test
function runs here against a database on the throwaway cluster instead of a SQLite
file. (Tests that edit the SQLite file directly have PostgreSQL versions in
test_store_on_postgresql.py.)
"""

from __future__ import annotations

from tests.services.test_audit import test_untouched_chain_verifies  # noqa: F401
from tests.services.test_case_search_index import (  # noqa: F401
    test_demo_queries_find_something,
    test_index_and_like_agree_on_the_demo_town,
    test_index_follows_new_changed_and_removed_text,
)
from tests.services.test_consultations_cases import *  # noqa: F403
from tests.services.test_consultations_demo import *  # noqa: F403
from tests.services.test_consultations_search import *  # noqa: F403
from tests.services.test_meetings import *  # noqa: F403
from tests.services.test_meetings_numbering import *  # noqa: F403
from tests.services.test_stats import *  # noqa: F403
