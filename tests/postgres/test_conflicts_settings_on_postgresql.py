"""The two-PC tests of the 秘匿 rule, the 保存年限 and the 地域課題 tags, on the server.

Both PCs open the same server database (test_conflicts_settings): a stale rule or
period form is refused, and a tag another PC added is kept.
"""

from __future__ import annotations

import pytest

from tests.services.test_conflicts_settings import *  # noqa: F403


@pytest.fixture
def second_store(store, tmp_path):
    """The same server database opened by a second PC (its own engine and folder)."""
    from pfdesk.paths import DataPaths
    from pfdesk.store.pg import open_server_store

    other = open_server_store(DataPaths(tmp_path / "pc2"), store.engine.url)
    yield other
    other.close()
