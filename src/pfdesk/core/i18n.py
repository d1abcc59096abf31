"""Translation hook for user-visible strings.

Every user-visible string is written in Japanese and wrapped in ``_()``; the
catalogues (GNU gettext, one system for the whole app) are made by
``python -m pfdesk.core.catalogue`` and live in
``resources/locale/<lang>/LC_MESSAGES/pfdesk.po`` (compiled when loaded; a build may
ship the compiled ``.mo`` beside it). Japanese needs none. Labels kept in
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
    _translation = _catalogue(lang)
    _language = lang
    return _language


def _catalogue(lang: str) -> gettext.NullTranslations:
    """The language's catalogue.

    A compiled ``.mo`` when a build made one (and it is not older than the ``.po``),
    else the ``.po`` — the only form kept in the repository — compiled in memory.
    """
    folder = locale_dir() / lang / "LC_MESSAGES"
    mo, po = folder / "pfdesk.mo", folder / "pfdesk.po"
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as fh:
            return gettext.GNUTranslations(fh)
    if po.is_file():
        import io

        from pfdesk.core.catalogue import mo_bytes, read_po

        return gettext.GNUTranslations(io.BytesIO(mo_bytes(read_po(po))))
    return gettext.NullTranslations()


def current_language() -> str:
    """The code of the language in use ("ja" or "en")."""
    return _language


def _(text: str) -> str:
    """Translate ``text`` (identity for Japanese)."""
    return _translation.gettext(text)


def N_(text: str) -> str:  # noqa: N802 - the gettext convention
    """Mark ``text`` for the catalogue without translating it now (translated when shown)."""
    return text
