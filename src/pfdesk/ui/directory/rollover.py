"""年度更新: the posts to check each April, with confirm / end / add-successor per row."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.errors import KnownError, ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.core.wareki import format_fiscal_year, parse_date
from pfdesk.services.context import ServiceContext
from pfdesk.services.directory.people import end_post, list_people
from pfdesk.services.directory.rollover import (
    add_successor,
    confirm_posts,
    hand_over_seats,
    rollover_list,
    seats_to_hand_over,
)
from pfdesk.services.directory.types import PersonInput
from pfdesk.ui.directory.fields import CheckedLineEdit, DateEdit, FormErrors, save_buttons
from pfdesk.ui.directory.models import RolloverModel
from pfdesk.ui.errors import show_error
from pfdesk.ui.widgets import table_view

#: 在任を確認 from the keyboard (not Ctrl+K, which opens すべてを検索 on every page).
CONFIRM_KEY = "Ctrl+Shift+K"


class SuccessorDialog(QDialog):
    """後任の登録: the successor's name and first day; the predecessor ends the day before."""

    def __init__(self, *, ctx: ServiceContext, item, first_day: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.item = ctx, item
        self.setWindowTitle(_("後任の登録"))
        layout = QVBoxLayout(self)
        post = " ".join(x for x in (item.organization_name, item.department, item.title) if x)
        info = QLabel(_("{post}\n前任: {name}（着任日の前日で退任になります）").format(
            post=post, name=item.person_name))
        info.setWordWrap(True)
        layout.addWidget(info)
        form = QFormLayout()
        self.start_on = DateEdit()
        self.edits: dict[str, QLineEdit] = {
            "family_name": QLineEdit(), "given_name": QLineEdit(),
            "family_kana": CheckedLineEdit("reading"), "given_kana": CheckedLineEdit("reading"),
            "title": QLineEdit(item.title), "start_on": self.start_on,
        }
        self.start_on.set_date(first_day)
        names = QHBoxLayout()
        names.addWidget(self.edits["family_name"])
        names.addWidget(self.edits["given_name"])
        kanas = QHBoxLayout()
        kanas.addWidget(self.edits["family_kana"])
        kanas.addWidget(self.edits["given_kana"])
        form.addRow(_("後任の氏名（姓・名）"), names)
        form.addRow(_("ふりがな（姓・名）"), kanas)
        self.existing = QComboBox()
        self.existing.addItem(_("（新しく登録する）"), None)
        for p in list_people(ctx, in_post_only=False):
            where = f"　{p.organization_name}" if p.organization_name else ""
            self.existing.addItem(f"{p.full_name}（{p.full_kana}）{where}", p.id)
        self.existing.setEditable(True)
        self.existing.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = self.existing.completer()
        assert completer is not None  # an editable combo box has one
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        form.addRow(_("または名簿にいる人"), self.existing)
        form.addRow(_("職名"), self.edits["title"])
        form.addRow(_("着任日"), self.edits["start_on"])
        layout.addLayout(form)
        self.seats = QCheckBox()
        self.seats.setChecked(True)
        seats = []
        if ctx.actor.can(Permission.MEETING_WRITE):
            seats = seats_to_hand_over(ctx, item.post_id, first_day)
        self.seats.setText(_("前任の会議体の委員も後任に引き継ぐ"))
        # The list can be long: it goes in a wrapped label so the dialog keeps its width.
        self.seats_list = QLabel(_(
            "{seats}\n（前任の委員は着任日の前日で終わり、後任が同じ役職で委嘱期間の終わりまで"
            "委員になります）").format(
            seats="、".join(f"{x.body_name}（{x.role_label}）" for x in seats)))
        self.seats_list.setWordWrap(True)
        self.seats_list.setIndent(24)
        self.seats.setVisible(bool(seats))
        self.seats_list.setVisible(bool(seats))
        self.seats.toggled.connect(self.seats_list.setEnabled)
        layout.addWidget(self.seats)
        layout.addWidget(self.seats_list)
        self.errors = FormErrors()
        layout.addWidget(self.errors)
        layout.addWidget(save_buttons(self, self.save))
        self.edits["family_name"].setFocus()

    def save(self) -> bool:
        """Record the successor."""
        e = self.edits
        if not all(w.check() for w in e.values() if isinstance(w, CheckedLineEdit)):
            return False
        try:
            start = self.start_on.date()
            if start is None:
                raise ValidationError(_("着任日が入力されていません。"), field="start_on")
            i = self.existing.findText(self.existing.currentText())
            chosen = self.existing.itemData(i) if i > 0 else None
            if chosen is not None:
                new_post = add_successor(self.ctx, self.item.post_id, start, person_id=chosen,
                                         title=e["title"].text())
            else:
                person = PersonInput(family_name=e["family_name"].text(),
                                     given_name=e["given_name"].text(),
                                     family_kana=e["family_kana"].text(),
                                     given_kana=e["given_kana"].text())
                new_post = add_successor(self.ctx, self.item.post_id, start, person=person,
                                         title=e["title"].text())
        except ValidationError as err:
            self.errors.show_error(err, e)
            return False
        if not self.seats.isHidden() and self.seats.isChecked():
            self._hand_over(new_post, start)
        self.accept()
        return True

    def _hand_over(self, new_post: int, start: date) -> None:
        # The successor is already stored; a seat problem is reported, not a reason to
        # keep the form open (the seats can still be changed on the 会議 page).
        try:
            seats = seats_to_hand_over(self.ctx, self.item.post_id, start)
            if seats:
                hand_over_seats(self.ctx, self.item.post_id, new_post,
                                [x.membership_id for x in seats])
        except KnownError as err:
            show_error(self, err)


class RolloverView(QWidget):
    """The 年度更新 list and its actions."""

    changed = Signal()

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.model = RolloverModel(self)
        self.view = table_view(self.model, alternating=True)
        # Widths from the first 40 rows: every row read took most of the page's show.
        self.view.horizontalHeader().setResizeContentsPrecision(40)
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        self.confirm_button = QPushButton(_("在任を確認（今年度も同じ）"))
        # Ctrl+K alone is すべてを検索 everywhere; confirming row after row takes Ctrl+Shift+K.
        self.confirm_button.setShortcut(QKeySequence(CONFIRM_KEY))
        self.confirm_button.setToolTip(_("選んだ人の在任を確認します（Ctrl+Shift+K）"))
        self.end_button = QPushButton(_("退任にする…"))
        self.successor_button = QPushButton(_("後任を登録…"))
        self.confirm_button.clicked.connect(self.confirm)
        self.end_button.clicked.connect(self.end)
        self.successor_button.clicked.connect(self.successor)
        for b in (self.confirm_button, self.end_button, self.successor_button):
            b.setEnabled(ctx.actor.can(Permission.DIRECTORY_WRITE))
            row.addWidget(b)
        row.addStretch(1)
        layout.addLayout(row)
        self.view.doubleClicked.connect(lambda _i: self.successor())
        self.fiscal_year = 0
        self._resize_pending = False

    def refresh(self) -> None:
        """Reload the list."""
        self.show_list(rollover_list(self.ctx))

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        """Fit the columns to the list shown while the tab was not on screen."""
        super().showEvent(event)
        if self._resize_pending:
            self._resize_pending = False
            self.view.resizeColumnsToContents()

    def show_list(self, data) -> None:
        """Show ``data`` (a ``rollover_list`` result, read here or in the background)."""
        self.fiscal_year = data.fiscal_year
        self.model.set_records(data.items)
        # Widths measured when the list is on screen: the page fills this tab unseen.
        self._resize_pending = not self.view.isVisible()
        if not self._resize_pending:
            self.view.resizeColumnsToContents()
        if data.items:
            self.summary.setText(_(
                "{fy}の年度更新: 確認が必要な在任が {n} 件あります（退任済みで後任未登録 {e} 件、"
                "今年度の在任未確認 {u} 件）。行を選んで、下のボタンで1件ずつ片付けてください（後任の登録はダブルクリックでも）。"
                "複数行を選んでまとめて確認することもできます。").format(
                fy=format_fiscal_year(data.fiscal_year), n=len(data.items), e=data.ended,
                u=data.unconfirmed))
        else:
            self.summary.setText(_("{fy}の年度更新で確認が必要な在任はありません。").format(
                fy=format_fiscal_year(data.fiscal_year)))

    def _selected(self) -> list:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        if not rows:
            QMessageBox.information(self, _("年度更新"), _("一覧から行を選んでください。"))
        return [self.model.record(r) for r in rows]

    def _done(self) -> None:
        self.refresh()
        self.changed.emit()

    def confirm(self) -> None:
        """Still in post (or ended with nobody after): off the list for this 年度."""
        items = self._selected()
        if items:
            try:
                confirm_posts(self.ctx, [i.post_id for i in items], self.fiscal_year)
            except KnownError as e:
                show_error(self, e)
            self._done()

    def end(self) -> None:
        """The person left: enter the last day (3/31 by default)."""
        items = self._selected()
        if not items:
            return
        default = date(self.fiscal_year, 3, 31).strftime("%Y/%m/%d")
        text, ok = QInputDialog.getText(self, _("退任"), _("退任日（最後の在任日）:"),
                                        QLineEdit.EchoMode.Normal, default)
        if not ok:
            return
        try:
            day = parse_date(text)
            for i in items:
                end_post(self.ctx, i.post_id, day)
        except KnownError as e:
            show_error(self, e)
        self._done()

    def successor(self) -> None:
        """Register who took over the selected post."""
        items = self._selected()
        if not items:
            return
        item = items[0]
        first = date(self.fiscal_year, 4, 1)
        if item.end_on:
            first = item.end_on + timedelta(days=1)
        dlg = SuccessorDialog(ctx=self.ctx, item=item, first_day=first, parent=self)
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        if dlg.exec():
            self._done()
