"""The return snapshot tests of tests/services, run unchanged on the throwaway server."""

from __future__ import annotations

from tests.services.test_returns_snapshots import *  # noqa: F403
