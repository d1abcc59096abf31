"""新規受付の確認: existing cases that may be the same person, shown before a new case is made.

実人数 counts distinct persons; a person who consults again should continue their own case
(or have it reopened) rather than be counted twice. The clerk decides: open the existing case,
or go on and make a new case for another person, or go back to the form.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_date
from pfdesk.services.consultations.same_person import SamePersonCandidate

OPEN, NEW = "open", "new"


class SamePersonDialog(QDialog):
    """Lists the candidates; ``choice`` is OPEN (with ``case_id``), NEW, or None (back)."""

    HEADERS = (_("ケース番号"), _("氏名"), _("ふりがな"), _("生年月日"), _("受付日"), _("状況"),
               _("一致した内容"))

    def __init__(self, candidates: list[SamePersonCandidate], *,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("同じ人のケースがないか確認してください"))
        self.resize(940, 330)
        self.candidates = candidates
        self.choice: str | None = None
        self.case_id: int | None = None

        intro = QLabel(_(
            "入力した本人と同じ人かもしれないケースが{n}件あります。同じ人なら新しいケースは作らず、"
            "そのケースを開いて続けてください（終結していれば再開します）。"
            "新しいケースを作ると、実人数に二重に数えられます。"
        ).format(n=len(candidates)))
        intro.setWordWrap(True)

        self.table = QTableWidget(len(candidates), len(self.HEADERS))
        self.table.setHorizontalHeaderLabels(list(self.HEADERS))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for r, c in enumerate(candidates):
            closed = (_("{status}（{d}）").format(status=c.status_label,
                                                   d=format_date(c.closed_on))
                      if c.closed_on else c.status_label)
            values = (c.case_number, c.name, c.kana,
                      format_date(c.birth_date) if c.birth_date else _("不明"),
                      format_date(c.intake_date), closed, c.reason)
            for col, text in enumerate(values):
                self.table.setItem(r, col, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        if candidates:
            self.table.selectRow(0)
        self.table.doubleClicked.connect(lambda _index: self.choose_open())

        self.open_button = QPushButton(_("既存のケースを開く／再開する"))
        self.open_button.setDefault(True)
        self.new_button = QPushButton(_("別の人として新しいケースを作る"))
        self.back_button = QPushButton(_("戻って入力を確かめる"))
        self.open_button.clicked.connect(self.choose_open)
        self.new_button.clicked.connect(self.choose_new)
        self.back_button.clicked.connect(self.reject)
        note = QLabel(_("既存のケースを開く場合、入力中の主訴・支援方針は下書きとして残り、"
                        "次に「新規受付」を開いたときに復元できます。"))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555555;")

        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        outer = QVBoxLayout(self)
        outer.addWidget(intro)
        outer.addWidget(self.table, 1)
        outer.addWidget(note)
        outer.addLayout(buttons)

    def selected(self) -> SamePersonCandidate | None:
        """The highlighted candidate."""
        row = self.table.currentRow()
        return self.candidates[row] if 0 <= row < len(self.candidates) else None

    def choose_open(self) -> None:
        """既存のケースを開く／再開する."""
        chosen = self.selected()
        if chosen is None:
            return
        self.choice, self.case_id = OPEN, chosen.case_id
        self.accept()

    def choose_new(self) -> None:
        """別の人として新しいケースを作る."""
        self.choice, self.case_id = NEW, None
        self.accept()
