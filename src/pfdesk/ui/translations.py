"""Qt's own texts in Japanese: the qtbase_ja catalogue plus the few texts it lacks.

Installed once at start (and by the screenshot tour), so the buttons of Qt's standard
boxes read はい / いいえ / 保存 / キャンセル instead of Yes / No / Save / Cancel.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

log = logging.getLogger(__name__)

#: Texts of Qt's standard buttons that qtbase_ja leaves in English (or lacks when the
#: catalogue cannot be found at all): (context, source) -> Japanese.
FALLBACK: dict[tuple[str, str], str] = {
    ("QPlatformTheme", "OK"): "OK",
    ("QPlatformTheme", "Save"): "保存",
    ("QPlatformTheme", "Save All"): "すべて保存",
    ("QPlatformTheme", "Open"): "開く",
    ("QPlatformTheme", "&Yes"): "はい(&Y)",
    ("QPlatformTheme", "Yes to &All"): "すべてはい(&A)",
    ("QPlatformTheme", "&No"): "いいえ(&N)",
    ("QPlatformTheme", "N&o to All"): "すべていいえ(&O)",
    ("QPlatformTheme", "Abort"): "中止",
    ("QPlatformTheme", "Retry"): "再試行",
    ("QPlatformTheme", "Ignore"): "無視",
    ("QPlatformTheme", "Close"): "閉じる",
    ("QPlatformTheme", "Cancel"): "キャンセル",
    ("QPlatformTheme", "Discard"): "変更を破棄",
    ("QPlatformTheme", "Don't Save"): "保存しない",
    ("QPlatformTheme", "Help"): "ヘルプ",
    ("QPlatformTheme", "Apply"): "適用",
    ("QPlatformTheme", "Reset"): "リセット",
    ("QPlatformTheme", "Restore Defaults"): "既定に戻す",
    ("QMessageBox", "Show Details..."): "詳細を表示…",
    ("QMessageBox", "Hide Details..."): "詳細を隠す…",
}


class FallbackTranslator(QTranslator):
    """Answers only for the texts in :data:`FALLBACK`; consulted after qtbase_ja."""

    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: D102
        return FALLBACK.get((context, source_text), "")

    def isEmpty(self) -> bool:  # noqa: D102, N802 - Qt API
        return False


def translation_dirs() -> list[Path]:
    """Where qtbase_ja.qm is looked for: pfdesk's own copy first, then Qt's folder."""
    from pfdesk.paths import resources_dir

    return [resources_dir() / "translations",
            Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))]


def install_qt_translations(app: QCoreApplication) -> list[str]:
    """Install the Japanese catalogues into ``app``; returns the files loaded.

    Safe to call more than once: an application keeps the translators it already has.
    """
    from pfdesk.core.i18n import current_language

    if current_language() != "ja":  # Qt's own texts are English already
        return []
    existing = app.findChildren(QTranslator, "pfdesk-qt-ja")
    if existing:
        return [t.filePath() or "fallback" for t in existing]
    loaded: list[str] = []
    # Installed first, so it is asked last: only what qtbase_ja does not answer.
    fallback = FallbackTranslator(app)
    fallback.setObjectName("pfdesk-qt-ja")
    app.installTranslator(fallback)
    for folder in translation_dirs():
        qt = QTranslator(app)
        if qt.load("qtbase_ja", str(folder)):
            qt.setObjectName("pfdesk-qt-ja")
            app.installTranslator(qt)
            loaded.append(qt.filePath())
            break
    else:
        log.warning("qtbase_ja.qm not found in %s", [str(d) for d in translation_dirs()])
    loaded.append("fallback")
    return loaded
