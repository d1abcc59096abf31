"""Logging: a rotating file in the user log folder, and warnings on the console for commands.

The log and crash files are readable by their owner only (0600, folder 0700), and a filter
takes phone numbers, e-mail addresses and SQL parameters out of every record: a log is
sent to a vendor or kept for years, case data must never reach it.
"""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import os
import re
import sys
from pathlib import Path

from pfdesk.paths import log_dir

_configured = False
_crash_file = None

#: Owner-only permissions of the log and crash files and their folder.
FILE_MODE = 0o600
FOLDER_MODE = 0o700

_PHONE = re.compile(r"(?<![\d.])[0０][0-9０-９]{1,4}[-－ー―‐()（）\s]*[0-9０-９]{1,4}"
                    r"[-－ー―‐()（）\s]*[0-9０-９]{3,4}(?![\d.])")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_SQL_PARAMS = re.compile(r"\[parameters: .*?\](?=\n|$)", re.S)
#: What a filtered value becomes in the log.
SCRUBBED = "[省略]"


def scrub(text: str) -> str:
    """``text`` without phone numbers, e-mail addresses and SQL statement parameters."""
    text = _SQL_PARAMS.sub("[parameters: " + SCRUBBED + "]", text)
    text = _EMAIL.sub(SCRUBBED, text)
    return _PHONE.sub(SCRUBBED, text)


class PersonalDataFilter(logging.Filter):
    """Scrub every record (message and traceback) before any handler writes it."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Replace the record's text by its scrubbed form; never drops a record."""
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must still be logged
            message = str(record.msg)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg, record.args = scrub(message), None
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        return True


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating file handler whose files are created owner-only."""

    def _open(self):
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
        _tighten(Path(self.baseFilename))
        return os.fdopen(fd, self.mode, encoding=self.encoding, errors=self.errors)

    def doRollover(self) -> None:
        """Rotate, then make sure the renamed files stay owner-only."""
        super().doRollover()
        for i in range(1, self.backupCount + 1):
            rotated = Path(f"{self.baseFilename}.{i}")
            if rotated.exists():
                _tighten(rotated)


def _tighten(path: Path, mode: int = FILE_MODE) -> None:
    try:
        os.chmod(path, mode)
    except OSError:  # a file system without Unix modes (FAT, some shares)
        pass


def open_private(path: Path):
    """Open ``path`` for appending, created owner-only (for crash dumps)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, FILE_MODE)
    _tighten(path)
    return os.fdopen(fd, "a", encoding="utf-8")


class _CurrentStderrHandler(logging.StreamHandler):
    """Writes to ``sys.stderr`` as it is now, not as it was at set-up (it may be replaced)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def setup_logging(*, console: bool = False, level: int = logging.INFO) -> None:
    """Send log records to ``pfdesk.log`` (5 files × 1 MB) and, for commands, to stderr.

    A hard crash (segfault in Qt or SQLite) writes its stack to ``crash.log`` beside it.
    """
    global _configured, _crash_file
    if _configured:
        return
    root = logging.getLogger()
    root.setLevel(level)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    scrubber = PersonalDataFilter()
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        _tighten(folder, FOLDER_MODE)
        fh = PrivateRotatingFileHandler(
            folder / "pfdesk.log", maxBytes=1_000_000, backupCount=5, encoding="utf-8"
        )
        fh.setFormatter(fmt)
        fh.addFilter(scrubber)
        root.addHandler(fh)
        _crash_file = open_private(folder / "crash.log")
        faulthandler.enable(_crash_file)
    except OSError as e:  # a read-only profile must not stop the program
        print(f"pfdesk: ログファイルを作成できません: {e}", flush=True)
    if console or os.environ.get("PFDESK_LOG_CONSOLE"):
        ch = _CurrentStderrHandler()
        ch.setLevel(logging.WARNING)
        ch.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        ch.addFilter(scrubber)
        root.addHandler(ch)
    _configured = True
