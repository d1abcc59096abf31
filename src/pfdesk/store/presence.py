"""Who has a data folder's store open, whether the last one stopped cleanly, and whether it ever held a store.

Each pfdesk process that opens a store leaves a small file in
``.pfdesk-sessions/`` (computer, process, OS user, command, since) and removes it
when it closes the store. A file whose process is gone means that process stopped
without closing (a crash, a kill, a power cut): the next start checks the store
first. The same files tell a user who holds the store when it is busy.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import logging
import os
import socket
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pfdesk.core.i18n import _

log = logging.getLogger(__name__)

SESSIONS = ".pfdesk-sessions"
MARKER = ".pfdesk-store"  # written once a store was created in the folder


@dataclass(frozen=True)
class Holder:
    """One pfdesk process that has the store open (or had, if it stopped uncleanly)."""

    host: str
    pid: int
    user: str
    command: str
    since: str
    file: Path

    def describe(self) -> str:
        """「pfdesk import（PC-01 の yamada、10:32 から）」."""
        try:
            at = datetime.fromisoformat(self.since).strftime("%H:%M")
        except ValueError:
            at = "?"
        return _("{command}（{host} の {user}、{at} から）").format(
            command=self.command, host=self.host, user=self.user, at=at)


def _folder(root: Path) -> Path:
    return Path(root) / SESSIONS


def _pid_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":  # pragma: no cover - Windows only
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return False
        code = ctypes.c_ulong()
        ok = kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return bool(ok) and code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read(f: Path) -> Holder | None:
    try:
        d = json.loads(f.read_text(encoding="utf-8"))
        return Holder(str(d["host"]), int(d["pid"]), str(d.get("user", "")),
                      str(d.get("command", "pfdesk")), str(d.get("since", "")), f)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _all(root: Path) -> list[Holder]:
    folder = _folder(root)
    if not folder.is_dir():
        return []
    return [h for f in sorted(folder.glob("*.json")) if (h := _read(f)) is not None]


def _is_gone(h: Holder) -> bool:
    return h.host == socket.gethostname() and not _pid_alive(h.pid)


def others(root: Path) -> list[Holder]:
    """The other pfdesk processes that have this folder's store open now."""
    return [h for h in _all(root) if h.pid != os.getpid() or h.host != socket.gethostname()
            if not _is_gone(h)]


def unclean_stops(root: Path) -> list[Holder]:
    """Processes on this computer that opened the store and never closed it."""
    return [h for h in _all(root) if _is_gone(h)]


def clear(holders: list[Holder]) -> None:
    """Forget the entries of processes that are gone (after the store was checked)."""
    for h in holders:
        with contextlib.suppress(OSError):
            h.file.unlink()


def command_name() -> str:
    """What this process is, for the others to read: 「pfdesk」 or 「pfdesk import」."""
    words = [a for a in sys.argv[1:] if not a.startswith("-")][:1]
    return " ".join(["pfdesk", *words])


def register(root: Path) -> Path | None:
    """Leave this process's entry; None when the folder cannot be written (read-only)."""
    folder = _folder(root)
    f = folder / f"{socket.gethostname()}-{os.getpid()}.json"
    try:
        folder.mkdir(exist_ok=True)
        f.write_text(json.dumps({
            "host": socket.gethostname(), "pid": os.getpid(),
            "user": getpass.getuser(), "command": command_name(),
            "since": datetime.now().isoformat(timespec="seconds"),
        }, ensure_ascii=False), encoding="utf-8")
    except OSError:
        log.warning("could not register the open store in %s", folder)
        return None
    return f


def unregister(entry: Path | None) -> None:
    """Remove this process's entry: the store was closed cleanly."""
    if entry is not None:
        with contextlib.suppress(OSError):
            entry.unlink()


def mark_created(root: Path) -> None:
    """Remember that this folder holds a store (so its loss is never taken for a new start)."""
    with contextlib.suppress(OSError):
        (Path(root) / MARKER).write_text(
            json.dumps({"created": datetime.now().isoformat(timespec="seconds")}),
            encoding="utf-8")


def has_held_store(root: Path) -> bool:
    """Whether anything in the folder shows that a store lived here."""
    root = Path(root)
    if (root / MARKER).exists() or (root / "keys.json").exists() \
            or (root / "audit-head.json").exists():
        return True
    backups = root / "backups"
    if backups.is_dir() and any(p.suffix in (".zip", ".sqlite3") for p in backups.iterdir()):
        return True
    attachments = root / "attachments"
    return attachments.is_dir() and any(attachments.iterdir())
