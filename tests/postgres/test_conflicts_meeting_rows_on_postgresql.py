"""Two PCs adding and removing 委員 seats and 出欠 rows, with both PCs on the server.

The tests of tests/services/test_conflicts_meeting_rows, unchanged; the server never
hands a freed number to a new row, so the reused-number tests check plain removal there.
"""

from __future__ import annotations

from tests.services.test_conflicts_meeting_rows import *  # noqa: F403
