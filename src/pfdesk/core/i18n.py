"""Translation hook for user-visible strings outside Qt.

Every user-visible string is written in Japanese and wrapped in ``_()`` so that
it can be collected and translated with gettext. Catalogs, when present, live
in ``resources/locale/<lang>/LC_MESSAGES/pfdesk.mo``; without one the Japanese
text is used as is.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

_LOCALE_DIR = Path(__file__).resolve().parents[1] / "resources" / "locale"
_translation: gettext.NullTranslations = gettext.NullTranslations()


def install(language: str | None = None) -> None:
    """Load the catalog for ``language`` (or ``PFDESK_LANG``); Japanese needs none."""
    global _translation
    lang = language or os.environ.get("PFDESK_LANG", "ja")
    if lang == "ja":
        _translation = gettext.NullTranslations()
        return
    _translation = gettext.translation(
        "pfdesk", localedir=str(_LOCALE_DIR), languages=[lang], fallback=True
    )


def _(text: str) -> str:
    """Translate ``text`` (identity for Japanese)."""
    return _translation.gettext(text)
