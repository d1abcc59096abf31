"""The two-PC tests of the 秘匿 rule, the 保存年限 and the 地域課題 tags, on the server.

Both PCs open the same server database (test_conflicts_settings): a stale rule or
period form is refused, and a tag another PC added is kept.
"""

from __future__ import annotations

from tests.services.test_conflicts_settings import *  # noqa: F403
