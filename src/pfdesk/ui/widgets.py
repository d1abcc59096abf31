"""Small widgets and set-ups that dialogs in several areas share.

Labels for errors and notes, password fields, the OK/キャンセル and 閉じる button rows,
a read-only table of whole rows, and the 保存先 chooser that adds the file's extension.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QWidget,
)

from pfdesk.core.i18n import _

Button = QDialogButtonBox.StandardButton


def error_label() -> QLabel:
    """A red, wrapping line for what went wrong and what to do; its window grows to show it."""
    from pfdesk.ui.window_fit import GrowingLabel

    label = GrowingLabel("")
    label.setStyleSheet("color: #b00020;")
    label.setWordWrap(True)
    return label


def note_label(text: str) -> QLabel:
    """A grey, wrapping explanation (wide enough that a few lines never get cut off)."""
    label = QLabel(text)
    label.setStyleSheet("color: #555;")
    label.setWordWrap(True)
    label.setMinimumWidth(min(460, label.fontMetrics().horizontalAdvance(text) + 8))
    return label


def title_label(text: str, scale: float) -> QLabel:
    """A bold title ``scale`` times the normal text size (sign-in, lock screen)."""
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    return label


def password_edit(placeholder: str = "") -> QLineEdit:
    """A line edit that hides what is typed."""
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(placeholder)
    edit.setMinimumWidth(240)
    return edit


def password_rows(form: QFormLayout, label: str, confirm_label: str,
                  placeholder: str = "") -> tuple[QLineEdit, QLineEdit]:
    """A new password and the same typed again, as two rows of ``form``."""
    password, confirm = password_edit(placeholder), password_edit()
    form.addRow(label, password)
    form.addRow(confirm_label, confirm)
    return password, confirm


def dialog_buttons(dialog: QDialog, ok_text: str | None = None,
                   cancel_text: str | None = None, *, ok: Button = Button.Ok,
                   on_ok: Callable[[], object] | None = None) -> QDialogButtonBox:
    """The ``ok`` and キャンセル buttons of ``dialog``: ``on_ok`` (default accept) and reject.

    ``ok_text`` None keeps the standard button's own text; ``cancel_text`` defaults to キャンセル.
    """
    box = QDialogButtonBox(ok | Button.Cancel)
    if ok_text is not None:
        box.button(ok).setText(ok_text)
    box.button(Button.Cancel).setText(cancel_text or _("キャンセル"))
    box.accepted.connect(on_ok or dialog.accept)
    box.rejected.connect(dialog.reject)
    return box


def form_footer(dialog: QDialog, form: QFormLayout, ok_text: str | None = None,
                cancel_text: str | None = None, *, ok: Button = Button.Ok) -> QLabel:
    """The error line and the buttons as the last rows of ``form``; returns the error line."""
    error = error_label()
    form.addRow(error)
    form.addRow(dialog_buttons(dialog, ok_text, cancel_text, ok=ok))
    return error


def close_buttons(dialog: QDialog) -> QDialogButtonBox:
    """A single 閉じる button that closes ``dialog``."""
    box = QDialogButtonBox(Button.Close)
    box.button(Button.Close).setText(_("閉じる"))
    box.rejected.connect(dialog.reject)
    return box


def table_view(model: QAbstractItemModel, *, single: bool = False, alternating: bool = False,
               resize: QHeaderView.ResizeMode | None = None) -> QTableView:
    """A read-only table that selects whole rows, without row numbers.

    The last column takes the spare width. ``single`` allows one row at a time (else
    Ctrl/Shift select several); ``resize`` sets how every column is sized.
    """
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    if single:
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(alternating)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    if resize is not None:
        header.setSectionResizeMode(resize)
    header.setStretchLastSection(True)
    return view


def with_suffix(path: str, suffix: str) -> str:
    """``path`` with ``suffix`` (".pdf") added when the name was typed without it."""
    if path and not path.lower().endswith(suffix.lower()):
        return path + suffix
    return path


def ask_save_path_as(parent: QWidget, title: str, default: str,
                     kinds: Sequence[tuple[str, str]]) -> tuple[str, int]:
    """Ask where to save, offering ``kinds`` as (filter text, suffix).

    Returns the path ('' when cancelled) with the chosen kind's suffix added when it was
    typed without it, and the index of that kind (the first when the dialog names none).
    """
    path, chosen = QFileDialog.getSaveFileName(parent, title, default,
                                               ";;".join(text for text, _s in kinds))
    index = next((i for i, (text, _s) in enumerate(kinds) if text == chosen), 0)
    return with_suffix(path, kinds[index][1]), index


def ask_save_path(parent: QWidget, title: str, default: str, file_filter: str,
                  suffix: str) -> str:
    """Ask where to save one kind of file; '' when cancelled, else the path ending in ``suffix``."""
    return ask_save_path_as(parent, title, default, [(file_filter, suffix)])[0]


def menu_of(action: QAction) -> QMenu:
    """The menu a menu-bar entry opens (every entry of the main window's bar has one)."""
    menu = action.menu()
    assert isinstance(menu, QMenu)
    return menu


def insert_actions(menu: QMenu, before: QAction | None, actions: Sequence[QAction]) -> None:
    """Put ``actions`` and a separator before ``before`` (at the end of ``menu`` when None)."""
    for action in actions:
        if before is None:
            menu.addAction(action)
        else:
            menu.insertAction(before, action)
    if before is None:
        menu.addSeparator()
    else:
        menu.insertSeparator(before)


def application() -> QApplication:
    """The running QApplication, made now when there is none (a window of its own)."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)  # pfdesk never makes a bare QCoreApplication
    return app
