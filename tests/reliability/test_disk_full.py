"""A full disk during backup and restore: a clear Japanese message, nothing half-written.

strace makes every ``write``/``pwrite64`` from the N-th on fail with ENOSPC in a
real ``python -m pfdesk`` process.
"""

from __future__ import annotations

import zipfile

import pytest

from tests.reliability import harness


def _check_outcome(done, data, baseline, *, must_fail=True):
    """Refused with a plain message (or, for a write that did not matter, done); never half."""
    assert "Traceback" not in done.stderr, done.stderr
    if done.returncode == 0 and not must_fail:
        pass  # the failed write was one pfdesk could do without (e.g. a log line)
    else:
        assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
        assert any(w in done.stderr for w in ("空き容量", "読み書きに失敗")), done.stderr
    after = harness.reopen_and_read(data)
    assert after.stats == baseline.stats and after.audit_ok, after.detail
    assert harness.leftovers(data) == []
    for z in (data / "backups").glob("*.zip"):  # every ZIP there is whole
        with zipfile.ZipFile(z) as f:
            assert f.testzip() is None, z


def _run(template, tmp_path, args, syscall, which):
    probe = harness.fresh_copy(template, tmp_path / "probe")
    counts = harness.count_syscalls(harness.pfdesk_cmd(probe, *args(probe)), tmp_path)
    n = max(1, counts[syscall] * which // 4)
    data = harness.fresh_copy(template, tmp_path / "data")
    before = {p.name for p in (data / "backups").iterdir()}
    return harness.run_failing(harness.pfdesk_cmd(data, *args(data)), syscall, n), data, before


def _backup(data):
    return ["backup"]


def _restore(data):
    return ["restore", str(data / "backups" / "base.zip"), "--yes"]


def test_disk_full_during_backup(strace, kill_template, baseline, tmp_path):
    done, data, before = _run(kill_template, tmp_path, _backup, "write", 2)
    _check_outcome(done, data, baseline)
    assert {p.name for p in (data / "backups").iterdir()} == before  # no half ZIP


def test_disk_full_during_restore(strace, kill_template, baseline, tmp_path):
    done, data, _before = _run(kill_template, tmp_path, _restore, "write", 2)
    _check_outcome(done, data, baseline)


@pytest.mark.slow
@pytest.mark.parametrize("op", [_backup, _restore], ids=["backup", "restore"])
@pytest.mark.parametrize("syscall,which", [
    ("write", 1),  # audit-head.json's write: a warning, not a traceback
    ("write", 3), ("pwrite64", 1), ("pwrite64", 2), ("pwrite64", 3)])
def test_disk_full_at_other_points(op, syscall, which, strace, kill_template, baseline, tmp_path):
    done, data, _before = _run(kill_template, tmp_path, op, syscall, which)
    _check_outcome(done, data, baseline, must_fail=syscall == "pwrite64")
