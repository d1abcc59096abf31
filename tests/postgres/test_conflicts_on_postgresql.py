"""The two-PC edit conflict tests of tests/services, with both PCs on the server.

Cases and contacts (test_case_conflicts); meetings, agenda items, minutes texts, the
directory, support plans and assessments, bodies and seats, responses, materials,
the survey and the settings (test_record_conflicts).
"""

from __future__ import annotations

from tests.services.test_case_conflicts import *  # noqa: F403
from tests.services.test_record_conflicts import *  # noqa: F403
