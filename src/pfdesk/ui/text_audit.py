"""Find developer language on screen: English buttons and internal names among widget texts.

:func:`findings_in` walks a window's visible widgets (labels, buttons, tabs, group boxes,
combo boxes, placeholders, lists and the headers and first rows of tables) and returns the
texts that show ``None``, ``True``, snake_case keys (``goal_met``), dotted keys
(``persons.total``), file kinds like ``.toml``, hashes, or Qt's English button words.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTabWidget,
    QWidget,
)

#: What users must never read, with the reason shown in the finding.
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("None/True/False", re.compile(r"(?<![\w.])(None|True|False)(?![\w.])")),
    ("内部の名前", re.compile(r"(?<![\w@./\\-])[a-z][a-z0-9]*_[a-z0-9_]+(?![\w@.-]*@)")),
    ("内部の名前", re.compile(r"(?<![\w@./\\-])[a-z]+\.(total|count|[a-z]+_[a-z_]+)\b")),
    ("内部の名前", re.compile(r"(?<![\w@./\\-])[a-z][a-z0-9_]*(?==)")),
    ("設定ファイルの種類", re.compile(r"\.toml\b|\bTOML\b")),
    ("英語のボタン", re.compile(
        r"^(&?Yes|&?No|Cancel|Save|Discard|Close|Apply|Open|Help|Reset|Abort|Retry|Ignore|"
        r"Don't Save|Yes to All|No to All|Restore Defaults|Show Details\.\.\.)$")),
    ("ハッシュ値", re.compile(r"\bSHA-?256\b|\b[0-9a-f]{32,}\b")),
)

#: Texts that look like an identifier but are what the user typed or must type.
ALLOWED = re.compile(r"https?://\S+|[\w.+-]+@[\w.-]+|[A-Za-z]:\\\S*|/\S+/\S*")

MAX_ROWS = 30


def problems_in_text(text: str) -> list[str]:
    """The reasons ``text`` would read as developer language (empty when it reads fine)."""
    if not text:
        return []
    text = ALLOWED.sub("", text)
    from pfdesk.core.i18n import current_language

    english = current_language() == "en"  # then Qt's English buttons are what users read
    return [f"{why}「{m.group(0)}」" for why, pattern in PATTERNS
            if not (english and why == "英語のボタン") for m in pattern.finditer(text)]


def _model_texts(model: QAbstractItemModel | None) -> list[str]:
    if model is None:
        return []
    out = []
    cols = model.columnCount()
    for c in range(cols):
        head = model.headerData(c, Qt.Orientation.Horizontal)
        if isinstance(head, str):
            out.append(head)
    for r in range(min(model.rowCount(), MAX_ROWS)):
        for c in range(cols):
            value = model.index(r, c).data()
            if isinstance(value, str):
                out.append(value)
    return out


def visible_texts(window: QWidget) -> list[str]:
    """Every text a user can read in ``window`` now (hidden widgets left out)."""
    texts = [window.windowTitle()]
    for w in [window, *window.findChildren(QWidget)]:
        if w is not window and not w.isVisibleTo(window):
            continue
        if isinstance(w, QLabel):
            texts.append(w.text())
        elif isinstance(w, QAbstractButton):
            texts.append(w.text())
        elif isinstance(w, QGroupBox):
            texts.append(w.title())
        elif isinstance(w, QTabWidget):
            texts.extend(w.tabText(i) for i in range(w.count()))
        elif isinstance(w, QComboBox):
            texts.extend(w.itemText(i) for i in range(w.count()))
        elif isinstance(w, QLineEdit):
            texts.append(w.placeholderText())
        elif isinstance(w, QPlainTextEdit):
            texts.append(w.placeholderText())
        elif isinstance(w, QListWidget):
            texts.extend(w.item(i).text() for i in range(min(w.count(), MAX_ROWS)))
        elif isinstance(w, QAbstractItemView) and not isinstance(w, QListWidget):
            texts.extend(_model_texts(w.model()))
    return [t for t in texts if t]


def findings_in(window: QWidget) -> list[str]:
    """The developer-language problems among ``window``'s visible texts, each once."""
    seen: dict[str, None] = {}
    for text in visible_texts(window):
        for problem in problems_in_text(text):
            seen.setdefault(problem, None)
    return list(seen)
