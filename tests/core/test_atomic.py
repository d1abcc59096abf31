"""All-or-nothing file writes and their Japanese error messages."""

from __future__ import annotations

import errno
import hashlib
import os
import stat

import pytest

from pfdesk.core import atomic
from pfdesk.core.atomic import atomic_write, sha256_file, write_bytes_atomic
from pfdesk.core.errors import FileProblem


def leftovers(folder):
    return [p.name for p in folder.iterdir() if ".tmp-" in p.name]


def test_writes_file_and_leaves_no_temp(tmp_path):
    target = tmp_path / "名簿.csv"
    with atomic_write(target, "w", encoding="cp932", newline="") as fh:
        fh.write("氏名\r\n髙橋\r\n")
    assert target.read_bytes() == "氏名\r\n髙橋\r\n".encode("cp932")
    assert leftovers(tmp_path) == []


def test_text_mode_defaults_to_utf8(tmp_path):
    target = tmp_path / "a.txt"
    with atomic_write(target, "w") as fh:
        fh.write("𠮷")
    assert target.read_bytes() == "𠮷".encode()


def test_temp_file_sits_next_to_target_with_hidden_name(tmp_path):
    target = tmp_path / "out.pdf"
    with atomic_write(target) as fh:
        names = [p.name for p in tmp_path.iterdir()]
        assert target.exists() is False
        assert len(names) == 1 and names[0].startswith(".~out.pdf.tmp-")
        fh.write(b"x")


def test_target_unchanged_when_writer_raises(tmp_path):
    target = tmp_path / "会議録.pdf"
    target.write_bytes(b"original")
    with pytest.raises(RuntimeError, match="boom"):
        with atomic_write(target) as fh:
            fh.write(b"half of the new")
            raise RuntimeError("boom")
    assert target.read_bytes() == b"original"
    assert leftovers(tmp_path) == []


def test_file_open_elsewhere_becomes_file_problem(tmp_path, monkeypatch):
    # What Windows reports when Excel holds the file: os.replace is refused.
    target = tmp_path / "出席者名簿.xlsx"
    target.write_bytes(b"original")

    def refuse(src, dst):
        raise PermissionError(errno.EACCES, "Permission denied", str(dst))

    monkeypatch.setattr(atomic.os, "replace", refuse)
    with pytest.raises(FileProblem) as info:
        write_bytes_atomic(target, b"new")
    problem = info.value
    assert "「出席者名簿.xlsx」に書き込めません" in problem.message
    assert "Excel" in problem.message and "閉じて" in problem.message
    assert problem.where == str(target)
    assert target.read_bytes() == b"original"
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_folder_names_the_file(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(FileProblem) as info:
            write_bytes_atomic(folder / "通知.pdf", b"x")
    finally:
        folder.chmod(stat.S_IRWXU)
    assert "「通知.pdf」" in info.value.message


def test_disk_full_says_so(tmp_path, monkeypatch):
    target = tmp_path / "backup.zip"

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full)
    with pytest.raises(FileProblem) as info:
        write_bytes_atomic(target, b"data")
    assert "空き容量" in info.value.message and "「backup.zip」" in info.value.message
    assert not target.exists()
    assert leftovers(tmp_path) == []


def test_missing_folder_names_folder(tmp_path):
    with pytest.raises(FileProblem) as info:
        write_bytes_atomic(tmp_path / "なし" / "a.csv", b"x")
    assert "「なし」が見つからない" in info.value.message


def test_other_files_oserror_in_block_is_not_relabelled(tmp_path):
    # A missing input file read inside the block is the caller's problem, not a save failure.
    with pytest.raises(FileNotFoundError):
        with atomic_write(tmp_path / "out.bin") as fh:
            fh.write((tmp_path / "missing-input").read_bytes())
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(os.name == "nt", reason="POSIX permission bits")
def test_keeps_permissions_of_existing_file(tmp_path):
    target = tmp_path / "shared.csv"
    target.write_bytes(b"old")
    target.chmod(0o644)
    write_bytes_atomic(target, b"new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_rejects_read_modes(tmp_path):
    with pytest.raises(ValueError):
        with atomic_write(tmp_path / "x", "r+b"):
            pass


def test_sha256_file(tmp_path):
    target = tmp_path / "a.bin"
    data = os.urandom(3 * 1024 * 1024 + 7)
    write_bytes_atomic(target, data)
    assert sha256_file(target) == hashlib.sha256(data).hexdigest()


def test_sha256_missing_file_is_file_problem(tmp_path):
    with pytest.raises(FileProblem) as info:
        sha256_file(tmp_path / "無い.db")
    assert "「無い.db」が見つかりません" in info.value.message
