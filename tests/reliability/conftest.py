"""A demo data folder and a backup of it, built once with the real command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.reliability import harness


@pytest.fixture(scope="session")
def kill_template(tmp_path_factory) -> Path:
    """``pfdesk demo`` in a folder, plus ``backups/base.zip`` made by ``pfdesk backup``."""
    return harness.make_template(tmp_path_factory.mktemp("kill-template") / "data")


@pytest.fixture(scope="session")
def baseline(kill_template, tmp_path_factory) -> harness.Figures:
    """The figures of the untouched demo folder."""
    copy = harness.fresh_copy(kill_template, tmp_path_factory.mktemp("baseline") / "data")
    figures = harness.reopen_and_read(copy)
    assert figures.stats and figures.audit_ok, figures.detail
    return figures


@pytest.fixture
def strace() -> str:
    """strace, or a skip saying how to get it."""
    path = harness.strace_path()
    if path is None:
        pytest.skip("strace is not installed: the kill tests inject SIGKILL/ENOSPC with it "
                    "(apt-get install strace; .ci/run installs it)")
    return path


@pytest.fixture(scope="session")
def kill_template_encrypted(kill_template, tmp_path_factory) -> Path:
    """The demo folder encrypted by ``pfdesk encrypt``, with ``backups/base.zip`` re-made encrypted."""
    root = harness.fresh_copy(kill_template, tmp_path_factory.mktemp("kill-enc") / "data")
    done = harness.run(harness.pfdesk_cmd(root, "encrypt"))
    assert done.returncode == 0, done.stderr
    (root / "backups" / "base.zip").unlink()
    out = harness.run(harness.pfdesk_cmd(root, "backup", str(root / "backups" / "base.zip")))
    assert out.returncode == 0, out.stderr
    return root
