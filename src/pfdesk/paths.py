"""Where pfdesk keeps its files: the store, attachments, backups and logs.

The real store lives in the platformdirs user data folder; ``--data-dir`` or
``PFDESK_DATA_DIR`` overrides it. The demo town always lives in a folder of its
own so it is never mixed with real data.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "pfdesk"
APP_AUTHOR = "pfdesk"
STORE_FILE = "pfdesk.sqlite3"


@dataclass(frozen=True)
class DataPaths:
    """The folders and files of one data folder."""

    root: Path

    @property
    def store(self) -> Path:
        """The SQLite store file."""
        return self.root / STORE_FILE

    @property
    def attachments(self) -> Path:
        """Files copied into the store (meeting materials)."""
        return self.root / "attachments"

    @property
    def backups(self) -> Path:
        """Automatic backups (before upgrades) and manual ones."""
        return self.root / "backups"

    @property
    def keys(self) -> Path:
        """Per-user wrapped keys of an encrypted store."""
        return self.root / "keys.json"

    @property
    def audit_head(self) -> Path:
        """The newest audit entry's number and hash, kept outside the store."""
        return self.root / "audit-head.json"

    @property
    def mappings(self) -> Path:
        """Saved import column mappings."""
        return self.root / "mappings"

    def ensure(self) -> DataPaths:
        """Create the folders that must exist."""
        for p in (self.root, self.attachments, self.backups, self.mappings):
            p.mkdir(parents=True, exist_ok=True)
        return self


def default_data_dir() -> Path:
    """The real store's folder: PFDESK_DATA_DIR or the user data folder."""
    env = os.environ.get("PFDESK_DATA_DIR")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR, roaming=False))


def demo_data_dir() -> Path:
    """The demo town's folder, beside (never inside) the real one."""
    env = os.environ.get("PFDESK_DEMO_DIR")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR, roaming=False)).with_name(
        f"{APP_NAME}-demo"
    )


def log_dir() -> Path:
    """The rotating log files' folder."""
    env = os.environ.get("PFDESK_LOG_DIR")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def resources_dir() -> Path:
    """The shipped resources (example forms, mappings, templates)."""
    here = Path(__file__).resolve().parent
    packaged = here / "resources"
    if packaged.is_dir():
        return packaged
    return here.parents[1] / "resources"
