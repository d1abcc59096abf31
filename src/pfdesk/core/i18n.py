"""Translation hook for user-visible strings.

Every user-visible string is written in Japanese and wrapped in ``_()``; the
catalogues (GNU gettext, one system for the whole app) are made by
``python -m pfdesk.core.catalogue`` and live in
``resources/locale/<lang>/LC_MESSAGES/pfdesk.mo``. Japanese needs none. Labels kept in
tables (code lists, menus built at import) are translated when the module is imported,
so :func:`install` runs first, before the rest of pfdesk is imported.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

#: The languages pfdesk can be shown in: code → name in that language.
LANGUAGES = {"ja": "日本語", "en": "English"}
_HERE = Path(__file__).resolve()
_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "ja"


def locale_dir() -> Path:
    """The catalogues' folder: inside the package (wheel, bundle) or resources/ of a checkout."""
    for candidate in (_HERE.parents[1] / "resources" / "locale",
                      _HERE.parents[3] / "resources" / "locale"):
        if candidate.is_dir():
            return candidate
    return _HERE.parents[1] / "resources" / "locale"


def install(language: str | None = None) -> str:
    """Load the catalogue for ``language`` (or ``PFDESK_LANG``; Japanese by default).

    Returns the language in use: an unknown one falls back to Japanese.
    """
    global _translation, _language
    lang = (language or os.environ.get("PFDESK_LANG") or "ja").strip().lower()
    if lang not in LANGUAGES or lang == "ja":
        _translation, _language = gettext.NullTranslations(), "ja"
        return _language
    _translation = gettext.translation("pfdesk", localedir=str(locale_dir()), languages=[lang],
                                       fallback=True)
    _language = lang
    return _language


def current_language() -> str:
    """The code of the language in use ("ja" or "en")."""
    return _language


def _(text: str) -> str:
    """Translate ``text`` (identity for Japanese)."""
    return _translation.gettext(text)


def N_(text: str) -> str:  # noqa: N802 - the gettext convention
    """Mark ``text`` for the catalogue without translating it now (translated when shown)."""
    return text
