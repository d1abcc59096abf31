"""Input widgets the forms of several areas share: code-list combo boxes."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox


def code_combo(codes, current: str | None = None, *, blank: str | None = None) -> QComboBox:
    """A combo box of a code list's labels, keys as item data (``blank`` adds an "any" item)."""
    box = QComboBox()
    if blank is not None:
        box.addItem(blank, "")
    for key, label in codes:
        box.addItem(label, key)
    if current is not None:
        set_combo(box, current)
    return box


def set_combo(box: QComboBox, key) -> None:
    """Select the item whose data is ``key`` (the first item when there is none)."""
    box.setCurrentIndex(max(0, box.findData(key)))
