"""The question asked when meeting text names a case: link it, replace it, or keep it.

Meeting services raise :class:`~pfdesk.services.meetings.identity.IdentityFound` when text
about to be saved holds a case's name, reading, birth date, address, phone or number.
:func:`save_asking` runs a save, asks the user with :class:`IdentityDialog` when that
happens, and runs the save again with the answer.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.errors import KnownError
from pfdesk.core.i18n import _
from pfdesk.services.meetings.identity import ACTIONS, IdentityDecision, IdentityFound


class IdentityNotDecided(KnownError):
    """The user closed the question without choosing: nothing was saved."""

    def __init__(self) -> None:
        super().__init__(_("個人情報の扱いが選ばれなかったため、保存していません。"),
                         hint=_("入力した内容はそのまま残っています。もう一度保存してください。"))


class IdentityDialog(QDialog):
    """Which case was found where, and the three choices (with a reason for keeping)."""

    def __init__(self, found: IdentityFound, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.found = found
        self.setWindowTitle(_("個人情報が入力されています"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = QLabel(_("次の欄に、ケースを特定できる情報が入力されています。"
                         "どのように扱うかを選んでください。"))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.findings = QListWidget()
        for f in found.findings:
            self.findings.addItem(_("{field}：{kind}「{found}」（ケース {code}）").format(
                field=f.field_label, kind=f.kind_label, found=f.found, code=f.case_code))
        self.findings.setMaximumHeight(120)
        layout.addWidget(self.findings)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for key, label in ACTIONS.items():
            b = QRadioButton(_(label))
            self.buttons[key] = b
            self.group.addButton(b)
            layout.addWidget(b)
        self.buttons["link"].setEnabled(found.linkable)
        self.buttons["replace"].setEnabled(found.replaceable)
        cases = list(dict.fromkeys((f.case_id, f.case_code) for f in found.findings))
        self.case = QComboBox()
        for case_id, code in cases:
            self.case.addItem(code, case_id)
        self.case.setVisible(len(cases) > 1)
        layout.addWidget(self.case)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(_("このまま残す理由（例: 本人の同意を得て記録する）"))
        layout.addWidget(self.reason)
        note = QLabel(_("結び付けると、会議の種類と同意に応じて表示が制限されます。"
                        "このまま残した場合も、閲覧者や会議資料では「ケースA」のように"
                        "置き換えて表示されます。"))
        note.setWordWrap(True)
        layout.addWidget(note)
        self.box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.box.button(QDialogButtonBox.StandardButton.Ok).setText(_("この扱いで保存"))
        self.box.button(QDialogButtonBox.StandardButton.Cancel).setText(_("キャンセル"))
        self.box.accepted.connect(self.accept)
        self.box.rejected.connect(self.reject)
        layout.addWidget(self.box)
        default = "link" if found.linkable else "replace" if found.replaceable else "keep"
        self.buttons[default].setChecked(True)
        self.group.buttonToggled.connect(self._update)
        self.reason.textChanged.connect(self._update)
        self._update()

    def choice(self) -> str:
        """The key of the checked choice."""
        return next(k for k, b in self.buttons.items() if b.isChecked())

    def _update(self, *_args) -> None:
        keep = self.choice() == "keep"
        self.reason.setEnabled(keep)
        self.case.setEnabled(self.choice() == "link")
        ok = self.box.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not keep or bool(self.reason.text().strip()))

    def decision(self) -> IdentityDecision:
        """The answer to pass to the save."""
        action = self.choice()
        return IdentityDecision(
            action=action, reason=self.reason.text() if action == "keep" else "",
            case_id=self.case.currentData() if action == "link" else None)


def save_asking(parent: QWidget | None, save: Callable[[IdentityDecision | None], object],
                *, ask: Callable[[IdentityFound], IdentityDecision | None] | None = None):
    """Run ``save(None)``; when it names a case, ask and run ``save(decision)``.

    Raises :class:`IdentityNotDecided` when the user cancels the question; other errors
    reach the caller as before. ``ask`` replaces the dialog (tests).
    """
    try:
        return save(None)
    except IdentityFound as found:
        decision = (ask or (lambda f: _ask_dialog(parent, f)))(found)
        if decision is None:
            raise IdentityNotDecided() from found
        return save(decision)


def _ask_dialog(parent: QWidget | None, found: IdentityFound) -> IdentityDecision | None:
    dialog = IdentityDialog(found, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.decision()
