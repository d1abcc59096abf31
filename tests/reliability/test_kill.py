"""A real pfdesk killed at the renames, fsyncs, unlinks and writes of restore, encrypt, backup.

After every kill the folder is opened again: the figures (``pfdesk stats --json``)
are those from before, the audit log verifies and nothing half-done is left.
The long run (every syscall, 1,000 kills) is ``tests/reliability/kill_storm.py``.
"""

from __future__ import annotations

import pytest

from tests.reliability import harness


def _operation(name: str, data):
    if name == "restore":
        return harness.pfdesk_cmd(data, "restore", str(data / "backups" / "base.zip"), "--yes")
    if name == "encrypt":
        return harness.pfdesk_cmd(data, "encrypt")
    return harness.pfdesk_cmd(data, "backup")


def _points(counts, plan):
    return [(sc, n) for sc, k in plan.items() for n in harness.sample(counts.get(sc, 0), k)]


def _storm(op, template, baseline, tmp_path, plan):
    probe = harness.fresh_copy(template, tmp_path / "probe")
    counts = harness.count_syscalls(_operation(op, probe), tmp_path)
    assert counts["rename"] >= 2, counts  # the operation really swaps files
    failures = _kill_and_check(op, template, baseline, tmp_path, _points(counts, plan))
    assert not failures, failures


def _kill_and_check(op, template, baseline, tmp_path, points, *, must_die=False):
    failures = []
    for syscall, n in points:
        data = harness.fresh_copy(template, tmp_path / "data")
        done = harness.run_killed(_operation(op, data), syscall, n)
        after = harness.reopen_and_read(data)
        left = harness.leftovers(data)
        if after.stats != baseline.stats or not after.audit_ok or left:
            failures.append((syscall, n, after.detail[-300:], left))
        if done.returncode == 0 and must_die:
            failures.append((syscall, n, "not killed: the operation no longer makes this call", []))
    return failures


@pytest.mark.parametrize("op", ["restore", "encrypt"])
def test_kills_at_the_commit_renames_of_restore_and_encrypt_lose_nothing(
        op, strace, kill_template, baseline, tmp_path):
    """The short in-suite run: a kill at each rename that swaps the store, keys or journal."""
    probe = harness.fresh_copy(kill_template, tmp_path / "probe")
    points = harness.commit_renames(_operation(op, probe), tmp_path)
    assert len(points) >= 3, points  # journal, old store aside, new store in place
    assert not _kill_and_check(op, kill_template, baseline, tmp_path,
                               [("rename", n) for n in points], must_die=True)


@pytest.mark.slow
@pytest.mark.parametrize("op", ["restore", "encrypt", "backup"])
def test_kills_at_sampled_syscalls_lose_nothing(op, strace, kill_template, baseline, tmp_path):
    _storm(op, kill_template, baseline, tmp_path,
           {"rename": 99, "renameat": 99, "renameat2": 99, "fsync": 6, "fdatasync": 3,
            "unlink": 4, "unlinkat": 2, "write": 4, "pwrite64": 2})


@pytest.mark.slow
def test_a_killed_backup_leaves_no_copy_of_the_store_in_the_destination(
        strace, kill_template, baseline, tmp_path):
    probe = harness.fresh_copy(kill_template, tmp_path / "probe")
    dest = tmp_path / "usb"
    dest.mkdir()
    counts = harness.count_syscalls(harness.pfdesk_cmd(probe, "backup", str(dest)), tmp_path)
    for syscall, n in [("write", k) for k in harness.sample(counts["write"], 3)] + [
            ("fsync", k) for k in harness.sample(counts["fsync"], 2)]:
        data = harness.fresh_copy(kill_template, tmp_path / "data")
        for p in dest.iterdir():
            p.unlink()
        harness.run_killed(harness.pfdesk_cmd(data, "backup", str(dest)), syscall, n)
        names = sorted(p.name for p in dest.iterdir())
        # Either the finished, verified ZIP or nothing: no temp file, no raw store copy.
        assert all(n.startswith("pfdesk-") and n.endswith(".zip") for n in names), names
        after = harness.reopen_and_read(data)
        assert after.stats == baseline.stats and after.audit_ok, after.detail
        assert harness.leftovers(data) == []


@pytest.mark.slow
def test_kills_at_the_commit_renames_of_an_encrypted_restore_lose_nothing(
        strace, kill_template_encrypted, tmp_path):
    """The keys.json of the backup and its encrypted store come in together or not at all."""
    base = harness.reopen_and_read(harness.fresh_copy(kill_template_encrypted, tmp_path / "b"))
    assert base.stats and base.audit_ok, base.detail
    probe = harness.fresh_copy(kill_template_encrypted, tmp_path / "probe")
    points = harness.commit_renames(_operation("restore", probe), tmp_path)
    assert len(points) >= 4, points  # journal, old store aside, new store, keys.json
    assert not _kill_and_check("restore", kill_template_encrypted, base, tmp_path,
                               [("rename", n) for n in points], must_die=True)
