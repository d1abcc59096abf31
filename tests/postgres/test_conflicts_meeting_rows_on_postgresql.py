"""Two PCs adding and removing 委員 seats and 出欠 rows, with both PCs on the server.

The tests of tests/services/test_conflicts_meeting_rows, unchanged; the server never
hands a freed number to a new row, so the reused-number tests check plain removal there.
"""

from __future__ import annotations

import pytest

from tests.services.test_conflicts_meeting_rows import *  # noqa: F403


@pytest.fixture
def second_store(store, tmp_path):
    """The same server database opened by a second PC (its own engine and folder)."""
    from pfdesk.paths import DataPaths
    from pfdesk.store.pg import open_server_store

    other = open_server_store(DataPaths(tmp_path / "pc2"), store.engine.url)
    yield other
    other.close()
