"""The 実態把握 and 報告の回答 conflict tests of tests/services, with both PCs on the server.

回答を取り消す, the answer sheet's preview and import, and the 窓口・実態把握 answers of
returns (test_conflicts_survey_returns).
"""

from __future__ import annotations

import pytest

from tests.services.test_conflicts_survey_returns import *  # noqa: F403


@pytest.fixture
def second_store(store, tmp_path):
    """The same server database opened by a second PC (its own engine and folder)."""
    from pfdesk.paths import DataPaths
    from pfdesk.store.pg import open_server_store

    other = open_server_store(DataPaths(tmp_path / "pc2"), store.engine.url)
    yield other
    other.close()
