"""Write files all-or-nothing, and turn file-system failures into plain Japanese.

A crash, a full disk or a file held open by Excel must never leave half a file behind.
"""

from __future__ import annotations

import errno
import hashlib
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

from pfdesk.core.errors import FileProblem
from pfdesk.core.i18n import _

# Windows reports a file held open by another program as a sharing or lock violation.
_WINERROR_SHARING = {32, 33}
# ERROR_DISK_FULL, ERROR_HANDLE_DISK_FULL
_WINERROR_DISK_FULL = {39, 112}
# ERROR_INVALID_NAME, ERROR_FILENAME_EXCED_RANGE
_WINERROR_BAD_NAME = {123, 206}

_ALLOWED_MODES = {"w", "wb", "wt"}


def write_error(exc: OSError, path: str | Path) -> FileProblem:
    """Describe an ``OSError`` raised while saving ``path`` as a :class:`FileProblem`."""
    target = Path(path)
    name = target.name or str(target)
    where = str(target)
    winerror = getattr(exc, "winerror", None)
    code = exc.errno

    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)) or winerror in _WINERROR_DISK_FULL:
        return FileProblem(
            _("ディスクの空き容量が足りないため、ファイル「{name}」を保存できません。").format(
                name=name
            ),
            hint=_("不要なファイルを削除するか、別の保存先を選んでから、もう一度お試しください。"),
            where=where,
        )
    if code == errno.EROFS:
        return FileProblem(
            _("保存先が読み取り専用のため、ファイル「{name}」を保存できません。").format(name=name),
            hint=_(
                "USBメモリの書き込み禁止スイッチを確認するか、別の保存先を選んでください。"
            ),
            where=where,
        )
    if isinstance(exc, IsADirectoryError):
        return FileProblem(
            _("「{name}」はフォルダーのため、ファイルとして保存できません。").format(name=name),
            hint=_("別のファイル名を指定してください。"),
            where=where,
        )
    if isinstance(exc, FileNotFoundError | NotADirectoryError):
        folder = target.parent
        return FileProblem(
            _("保存先のフォルダー「{folder}」が見つからないため、ファイル「{name}」を保存できません。")
            .format(folder=folder.name or str(folder), name=name),
            hint=_(
                "USBメモリやネットワークドライブが外れていないか確認するか、"
                "別の保存先を選んでください。"
            ),
            where=where,
        )
    if isinstance(exc, PermissionError) or winerror in _WINERROR_SHARING:
        return FileProblem(
            _(
                "ファイル「{name}」に書き込めません。ほかのソフト（Excel や PDF ビューアなど）で"
                "開いていれば閉じてから、もう一度お試しください。"
            ).format(name=name),
            hint=_("それでも保存できない場合は、書き込みが許可されている別の保存先を選んでください。"),
            where=where,
        )
    if code in (errno.ENAMETOOLONG, errno.EINVAL) or winerror in _WINERROR_BAD_NAME:
        return FileProblem(
            _("ファイル名「{name}」は使えません。").format(name=name),
            hint=_('記号（\\ / : * ? " < > |）を含まない、短めの名前にしてください。'),
            where=where,
        )
    return FileProblem(
        _("ファイル「{name}」を保存できませんでした。（{reason}）").format(
            name=name, reason=exc.strerror or exc
        ),
        hint=_("保存先やファイル名を変えて、もう一度お試しください。"),
        where=where,
    )


def read_error(exc: OSError, path: str | Path) -> FileProblem:
    """Describe an ``OSError`` raised while opening or reading ``path``."""
    target = Path(path)
    name = target.name or str(target)
    where = str(target)
    winerror = getattr(exc, "winerror", None)
    if isinstance(exc, FileNotFoundError | NotADirectoryError):
        return FileProblem(
            _("ファイル「{name}」が見つかりません。").format(name=name),
            hint=_("ファイルが移動・削除されていないか、名前が変わっていないか確認してください。"),
            where=where,
        )
    if isinstance(exc, IsADirectoryError):
        return FileProblem(
            _("「{name}」はフォルダーです。ファイルを選んでください。").format(name=name),
            where=where,
        )
    if isinstance(exc, PermissionError) or winerror in _WINERROR_SHARING:
        return FileProblem(
            _("ファイル「{name}」を開けません。").format(name=name),
            hint=_(
                "ほかのソフト（Excel など）で開いていれば閉じてから、もう一度お試しください。"
                "閲覧の権限がない場合は、ファイルの持ち主に確認してください。"
            ),
            where=where,
        )
    return FileProblem(
        _("ファイル「{name}」を読み込めませんでした。（{reason}）").format(
            name=name, reason=exc.strerror or exc
        ),
        where=where,
    )


def _replace(src: str, dst: Path) -> None:
    # On Windows a virus scanner or the search indexer may hold the fresh file for a
    # moment; a few short retries avoid a spurious "file is open" message.
    attempts = 5 if os.name == "nt" else 1
    for attempt in range(attempts):
        try:
            os.replace(src, dst)
            return
        except PermissionError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.1 * (attempt + 1))


def _fsync_folder(folder: Path) -> None:
    # Makes the rename itself durable on POSIX; Windows cannot open folders this way.
    if os.name == "nt":
        return
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextmanager
def atomic_write(
    path: str | Path,
    mode: str = "wb",
    encoding: str | None = None,
    newline: str | None = None,
) -> Iterator[IO[Any]]:
    """Yield a file to write; it replaces ``path`` only if the block finishes without error.

    The data goes to a hidden temp file (``.~<name>.tmp-XXXX``) in the same folder, is
    flushed to disk and then renamed over ``path``. On any exception the temp file is
    removed, ``path`` is left as it was and the exception propagates; file-system
    failures (file open in Excel, disk full, missing folder ...) become
    :class:`FileProblem`. Text modes default to UTF-8, not the Windows code page.
    An existing file keeps its permission bits; a new one is private to the user.
    """
    if mode not in _ALLOWED_MODES:
        raise ValueError(f"atomic_write supports only write modes, not {mode!r}")
    target = Path(path)
    if "b" not in mode and encoding is None:
        encoding = "utf-8"
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".~{target.name}.tmp-", dir=target.parent)
    except OSError as exc:
        raise write_error(exc, target) from exc

    try:
        if os.name != "nt":
            # mkstemp creates 0600; keep the permissions someone gave the file before.
            # (Not on Windows: a copied read-only flag would block the cleanup below.)
            with suppress(OSError):
                os.chmod(tmp, os.stat(target).st_mode & 0o7777)
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        _replace(tmp, target)
    except BaseException as exc:
        with suppress(OSError):
            os.unlink(tmp)
        # Only failures of this write are translated: an OSError about some other file,
        # raised inside the caller's block, is the caller's to report.
        if isinstance(exc, OSError) and exc.filename in (None, tmp, str(target)):
            raise write_error(exc, target) from exc
        raise
    _fsync_folder(target.parent)


def write_bytes_atomic(path: str | Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` all at once (see :func:`atomic_write`)."""
    with atomic_write(path, "wb") as fh:
        fh.write(data)


def shred_file(path: str | Path, *, unlink: bool = True) -> None:
    """Overwrite a file with zeros (synced to disk), then delete it unless ``unlink`` is off.

    For files holding personal data in plain text (a plain store after encryption, a
    plain backup, a disposed case's attachment). A file already gone is no error.
    """
    target = Path(path)
    try:
        size = target.stat().st_size
        with open(target, "r+b") as fh:
            for start in range(0, size, 1 << 20):
                fh.write(b"\0" * min(1 << 20, size - start))
            fh.flush()
            os.fsync(fh.fileno())
        if unlink:
            target.unlink()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise write_error(exc, target) from exc


def sha256_file(path: str | Path) -> str:
    """Return the SHA-256 of the file at ``path`` as lowercase hex."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1024 * 1024), b""):
                digest.update(chunk)
    except OSError as exc:
        raise read_error(exc, path) from exc
    return digest.hexdigest()
