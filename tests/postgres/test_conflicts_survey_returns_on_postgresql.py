"""The 実態把握 and 報告の回答 conflict tests of tests/services, with both PCs on the server.

回答を取り消す, the answer sheet's preview and import, and the 窓口・実態把握 answers of
returns (test_conflicts_survey_returns).
"""

from __future__ import annotations

from tests.services.test_conflicts_survey_returns import *  # noqa: F403
