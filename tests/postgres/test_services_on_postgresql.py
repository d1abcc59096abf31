"""Service tests of tests/services, run unchanged on PostgreSQL (fixtures in conftest.py).

Saving and searching consultations, the search index agreeing with LIKE on the demo
town, people, meetings and their 文書番号 and action items, printing, statistics and
returns, the support cycle and disposal, the survey, 進行管理, 地域課題, the directory,
the home summary and the demo town: each imported test function runs here against a
database on the throwaway cluster instead of a SQLite file. (Tests that edit the SQLite
file, its triggers or its backups directly are left out; test_store_on_postgresql.py
has server versions of the audit ones.)
"""

from __future__ import annotations

from tests.services import test_retention
from tests.services.test_area_issues import *  # noqa: F403
from tests.services.test_audit import test_untouched_chain_verifies  # noqa: F401
from tests.services.test_case_search_index import (  # noqa: F401
    test_demo_queries_find_something,
    test_index_and_like_agree_on_the_demo_town,
    test_index_follows_new_changed_and_removed_text,
)
from tests.services.test_consultations_cases import *  # noqa: F403
from tests.services.test_consultations_demo import *  # noqa: F403
from tests.services.test_consultations_records import *  # noqa: F403
from tests.services.test_consultations_same_person import *  # noqa: F403
from tests.services.test_consultations_search import *  # noqa: F403
from tests.services.test_directory import *  # noqa: F403
from tests.services.test_meetings import *  # noqa: F403
from tests.services.test_meetings_actions import *  # noqa: F403
from tests.services.test_meetings_numbering import *  # noqa: F403
from tests.services.test_people import *  # noqa: F403
from tests.services.test_printing import *  # noqa: F403
from tests.services.test_progress import *  # noqa: F403
from tests.services.test_retention import (  # noqa: F401
    test_default_periods_and_admin_sets_them,
    test_disposal_needs_an_approval_and_a_date_that_has_come,
    test_disposal_removes_the_case_from_meeting_text_and_attachments,
    test_yearly_candidates_follow_the_periods,
)
from tests.services.test_returns import *  # noqa: F403
from tests.services.test_returns_fit import *  # noqa: F403
from tests.services.test_stats import *  # noqa: F403
from tests.services.test_summary import *  # noqa: F403
from tests.services.test_support_cycle import *  # noqa: F403
from tests.services.test_support_disposal import *  # noqa: F403
from tests.services.test_survey import *  # noqa: F403

# After the star imports, which bring in modules named ``cases``: the retention fixture.
cases = test_retention.cases
