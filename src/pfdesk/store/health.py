"""Is the store file whole? Cheap checks before opening, SQLite's checks after.

``precheck`` looks at the file without opening it (missing, empty, cut short, a
damaged header) and never lets a folder that has held a store start again empty;
``quick_check``/``full_check`` run SQLite's own checks on an open connection.
A damaged plain header is told apart from an encrypted store, so a damaged file
is never reported as a wrong password.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass, field
from pathlib import Path

from pfdesk.core.errors import StoreUnusable
from pfdesk.core.i18n import _
from pfdesk.paths import DataPaths
from pfdesk.store.presence import has_held_store

SQLITE_HEADER = b"SQLite format 3\x00"


def _expects_encrypted(paths: DataPaths) -> bool:
    try:
        data = json.loads(paths.keys.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return paths.keys.exists()
    return bool(data.get("entries"))


def _unusable(paths: DataPaths, reason: str, message: str) -> StoreUnusable:
    return StoreUnusable(message, reason=reason, root=str(paths.root), where=str(paths.store),
                         hint=_("データは消していません。復元の画面（コマンドでは「pfdesk recover-store」）で、"
                                  "バックアップを選んで元に戻せます。"))


def header_problem(path: Path, *, encrypted: bool) -> str | None:
    """Why the file at ``path`` cannot be a whole store, judged from its size and header."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(100)
    except OSError:
        return _("データファイルを読み取れません。")
    if size == 0:
        return _("データファイルが空（0 バイト）になっています。")
    if head.startswith(SQLITE_HEADER):
        if len(head) < 100:
            return _("データファイルが途中で切れています。")
        page_size = struct.unpack(">H", head[16:18])[0]
        page_size = 65536 if page_size == 1 else page_size
        if page_size < 512 or page_size & (page_size - 1):
            return _("データファイルの先頭部分が壊れています。")
        pages = struct.unpack(">I", head[28:32])[0]
        counter_ok = head[24:28] == head[92:96]
        # With a WAL beside it, pages past the file's end may wait there to be copied in.
        wal = path.with_name(path.name + "-wal")
        pending = wal.exists() and wal.stat().st_size > 0
        if size % page_size or (counter_ok and pages and size < pages * page_size
                                and not pending):
            return _("データファイルが途中で切れています（{size:,} バイト）。").format(size=size)
        return None
    if not encrypted:
        return _("データファイルの先頭部分が壊れていて、データとして読み取れません。")
    if size % 1024:
        return _("データファイルが途中で切れています（{size:,} バイト）。").format(size=size)
    return None


def ready_to_open(paths: DataPaths) -> str | None:
    """Finish or undo an interrupted replacement, then refuse a missing or damaged store.

    The one way in before a store is opened or a password asked for; returns what was
    rolled forward or back (a sentence to tell the user), or None.
    """
    from pfdesk.store.safefile import recover_interrupted

    try:
        paths.ensure()
        notice = recover_interrupted(paths)
        _drop_stale_key_temps(paths)
        precheck(paths)
    except OSError as e:
        from pfdesk.store.errors import folder_error

        raise folder_error(e, paths.root) from e
    return notice


def _drop_stale_key_temps(paths: DataPaths) -> None:
    """Remove the temporary keys.json a killed write left (wrapped keys; never half-used).

    keys.json is replaced all at once from its temporary file: a leftover one was never
    renamed into place. Only when no other pfdesk has the folder open, whose write it
    could be.
    """
    from pfdesk.store import presence

    if presence.others(paths.root):
        return
    for temp in paths.root.glob(f".~{paths.keys.name}.tmp-*"):
        temp.unlink(missing_ok=True)


def precheck(paths: DataPaths) -> None:
    """Refuse a missing, empty or visibly damaged store in a folder that has held one.

    A folder that never held a store passes (a new store is made there).
    """
    if not paths.store.exists():
        if has_held_store(paths.root):
            raise _unusable(paths, "missing", _(
                "データファイル（{name}）が見つかりません。このフォルダーには以前データが"
                "ありました。").format(name=paths.store.name))
        return
    problem = header_problem(paths.store, encrypted=_expects_encrypted(paths))
    if problem is None:
        return
    reason = "empty" if paths.store.stat().st_size == 0 else "damaged"
    if reason == "empty" and not has_held_store(paths.root):
        return  # an empty file made by hand in a new folder: a new store goes there
    raise _unusable(paths, reason, problem)


@dataclass(frozen=True)
class CheckResult:
    """What SQLite's checks found: nothing (``ok``) or the first problems."""

    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing was found."""
        return not self.problems


def run_check(dbapi_connection, *, full: bool) -> CheckResult:
    """``PRAGMA quick_check`` (or ``integrity_check`` and ``foreign_key_check`` when ``full``)."""
    cur = dbapi_connection.cursor()
    try:
        rows = cur.execute(
            f"PRAGMA {'integrity_check' if full else 'quick_check'}(20)").fetchall()
        problems = [str(r[0]) for r in rows if str(r[0]).lower() != "ok"]
        if full and not problems:
            fk = cur.execute("PRAGMA foreign_key_check").fetchall()
            problems = [_("参照先のない行: {table}（{rowid} 行目）").format(table=r[0], rowid=r[1])
                        for r in fk[:20]]
    finally:
        cur.close()
    return CheckResult(problems)
