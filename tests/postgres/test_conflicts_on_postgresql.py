"""The two-PC edit conflict tests of tests/services, with both PCs on the server.

Cases and contacts (test_case_conflicts); meetings, agenda items, minutes texts, the
directory, support plans and assessments, bodies and seats, responses, materials,
the survey and the settings (test_record_conflicts).
"""

from __future__ import annotations

import pytest

from tests.services.test_case_conflicts import *  # noqa: F403
from tests.services.test_record_conflicts import *  # noqa: F403


@pytest.fixture
def second_store(store, tmp_path):
    """The same server database opened by a second PC (its own engine and folder)."""
    from pfdesk.paths import DataPaths
    from pfdesk.store.pg import open_server_store

    other = open_server_store(DataPaths(tmp_path / "pc2"), store.engine.url)
    yield other
    other.close()
