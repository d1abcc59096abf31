"""Logging: a rotating file in the user log folder, and warnings on the console for commands."""

from __future__ import annotations

import logging
import logging.handlers
import os

from pfdesk.paths import log_dir

_configured = False


def setup_logging(*, console: bool = False, level: int = logging.INFO) -> None:
    """Send log records to ``pfdesk.log`` (5 files × 1 MB) and, for commands, to stderr."""
    global _configured
    if _configured:
        return
    root = logging.getLogger()
    root.setLevel(level)
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        fh = logging.handlers.RotatingFileHandler(
            folder / "pfdesk.log", maxBytes=1_000_000, backupCount=5, encoding="utf-8"
        )
        fh.setFormatter(fmt)
        root.addHandler(fh)
    except OSError as e:  # a read-only profile must not stop the program
        print(f"pfdesk: ログファイルを作成できません: {e}", flush=True)
    if console or os.environ.get("PFDESK_LOG_CONSOLE"):
        ch = logging.StreamHandler()
        ch.setLevel(logging.WARNING)
        ch.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
        root.addHandler(ch)
    _configured = True
