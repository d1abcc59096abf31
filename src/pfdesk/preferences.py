"""Per-user preferences kept outside any store: the display language and text size.

The language must be known before a store opens (the sign-in dialog is already in
it), so it lives in the user's config folder (``PFDESK_CONFIG_DIR`` overrides it), not
in a data folder. Chosen in 設定; ``--lang`` and ``PFDESK_LANG`` win over it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import platformdirs

from pfdesk.core.atomic import write_bytes_atomic
from pfdesk.core.i18n import LANGUAGES

_FILE = "preferences.json"


def config_dir() -> Path:
    """The user's pfdesk config folder."""
    env = os.environ.get("PFDESK_CONFIG_DIR")
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_config_dir("pfdesk", "pfdesk", roaming=False))


def _read() -> dict:
    try:
        data = json.loads((config_dir() / _FILE).read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def saved_language() -> str | None:
    """The language chosen in 設定, or None when none was chosen."""
    lang = _read().get("language")
    return lang if lang in LANGUAGES else None


def save_language(language: str) -> None:
    """Keep ``language`` ("ja" or "en") for the next start."""
    if language not in LANGUAGES:
        raise ValueError(language)
    data = _read()
    data["language"] = language
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(folder / _FILE, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def saved_text_size() -> str | None:
    """The text size chosen in 設定 ("standard", "large", "largest"), or None."""
    size = _read().get("text_size")
    return size if isinstance(size, str) and size else None


def save_text_size(size: str) -> None:
    """Keep the text size ``size`` for the next start."""
    data = _read()
    data["text_size"] = size
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(folder / _FILE, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def language_from(argv: list[str]) -> str | None:
    """The value of ``--lang X`` / ``--lang=X`` in ``argv`` (read before the parser exists)."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def choose_language(argv: list[str]) -> str:
    """``--lang``, else ``PFDESK_LANG``, else the saved choice, else Japanese."""
    return (language_from(argv) or os.environ.get("PFDESK_LANG") or saved_language() or "ja")
