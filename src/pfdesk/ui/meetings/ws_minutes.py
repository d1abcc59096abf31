"""議事録 tab (要点筆記, 決定事項, 宿題事項 per agenda item; 次回予定) and 宿題事項 tab."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.errors import EditConflict, KnownError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.services.context import ServiceContext
from pfdesk.services.edit_versions import current_text
from pfdesk.services.meetings import actions, minutes
from pfdesk.services.meetings.identity import IdentityDecision
from pfdesk.ui.autosave import AutosaveTextEdit
from pfdesk.ui.errors import show_error
from pfdesk.ui.fit_layouts import FlowLayout
from pfdesk.ui.meetings.dialogs import ActionDialog, ActionStatusDialog
from pfdesk.ui.meetings.identity_prompt import save_asking
from pfdesk.ui.meetings.models import ActionTableModel
from pfdesk.ui.meetings.ws_tab import WorkspaceTab
from pfdesk.ui.widgets import table_view


def _table(model) -> QTableView:
    return table_view(model, resize=QHeaderView.ResizeMode.ResizeToContents)


class MinutesTab(WorkspaceTab):
    """Record the minutes item by item; typing is autosaved as a draft and kept on switching."""

    def __init__(self, *, ctx: ServiceContext, meeting_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx=ctx, meeting_id=meeting_id, parent=parent)
        self.writable = ctx.actor.can(Permission.MEETING_WRITE)
        layout = QVBoxLayout(self)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.items = QListWidget()
        self.items.setMinimumWidth(220)
        # Long 議題 wrap instead of hiding behind a horizontal scroll bar.
        self.items.setWordWrap(True)
        self.items.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        split.addWidget(self.items)
        right = QWidget()
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        self.item_title = QLabel("")
        self.item_title.setWordWrap(True)
        rl.addWidget(self.item_title)
        rl.addWidget(QLabel(_("要点筆記（議事の概要）")))
        self.editor_box = QVBoxLayout()
        rl.addLayout(self.editor_box, 2)
        self.editor: AutosaveTextEdit | None = None
        srow = QHBoxLayout()
        self.saved_label = QLabel("")
        self.save_btn = QPushButton(_("要点筆記を保存"))
        srow.addWidget(self.saved_label, 1)
        srow.addWidget(self.save_btn)
        rl.addLayout(srow)
        dbox = QGroupBox(_("決定事項"))
        dl = QVBoxLayout(dbox)
        self.decisions = QListWidget()
        self.decisions.setWordWrap(True)
        dl.addWidget(self.decisions)
        drow = QHBoxLayout()
        self.dec_add = QPushButton(_("決定事項を追加…"))
        self.dec_edit = QPushButton(_("修正…"))
        self.dec_remove = QPushButton(_("削除"))
        for b in (self.dec_add, self.dec_edit, self.dec_remove):
            drow.addWidget(b)
        drow.addStretch(1)
        dl.addLayout(drow)
        rl.addWidget(dbox, 1)
        abox = QGroupBox(_("この議題で出た宿題事項（担当・期限）"))
        al = QVBoxLayout(abox)
        self.action_model = ActionTableModel(self)
        self.action_table = _table(self.action_model)
        al.addWidget(self.action_table)
        arow = FlowLayout()  # two lines when the pane is narrow (125 %/150 %)
        self.act_add = QPushButton(_("宿題事項を追加…"))
        self.act_edit = QPushButton(_("修正…"))
        self.act_status = QPushButton(_("対応状況を更新…"))
        self.act_remove = QPushButton(_("削除"))
        for b in (self.act_add, self.act_edit, self.act_status, self.act_remove):
            arow.addWidget(b)
        al.addLayout(arow)
        rl.addWidget(abox, 1)
        split.addWidget(right)
        split.setStretchFactor(1, 3)
        layout.addWidget(split, 1)
        nrow = QHBoxLayout()
        nrow.addWidget(QLabel(_("次回予定")))
        self.next_plan = AutosaveTextEdit(ctx=ctx, draft_key=f"meeting:{meeting_id}:next_plan")
        self.next_plan.setMaximumHeight(52)
        nrow.addWidget(self.next_plan, 1)
        self.next_btn = QPushButton(_("次回予定を保存"))
        nrow.addWidget(self.next_btn)
        layout.addLayout(nrow)
        from pfdesk.ui.progress.dialog import findings_row  # a case-reviewing body only

        findings_row(layout, ctx=ctx, meeting_id=meeting_id, parent=self)
        for b in (self.save_btn, self.dec_add, self.dec_edit, self.dec_remove, self.act_add,
                  self.act_edit, self.act_status, self.act_remove, self.next_btn):
            b.setEnabled(self.writable)
        self.next_plan.setReadOnly(not self.writable)
        self.items.currentRowChanged.connect(self._show_item)
        self.save_btn.clicked.connect(self.save_summary)
        self.next_btn.clicked.connect(self.save_next_plan)
        self.dec_add.clicked.connect(self.add_decision)
        self.dec_edit.clicked.connect(self.edit_decision)
        self.dec_remove.clicked.connect(self.remove_decision)
        self.act_add.clicked.connect(self.add_action)
        self.act_edit.clicked.connect(self.edit_action)
        self.act_status.clicked.connect(self.status_action)
        self.act_remove.clicked.connect(self.remove_action)
        self.data: minutes.Minutes | None = None
        self.current_item_id: int | None = None
        self._shown_next_plan: str | None = None
        self._offered = False

    # --- loading ---------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the minutes, keeping typed text (it is saved to the record first)."""
        self.keep_typed_text()
        self.data = minutes.get_minutes(self.ctx, self.meeting_id)
        keep = self.current_item_id
        self.items.blockSignals(True)
        self.items.clear()
        for it in self.data.items:
            item = QListWidgetItem(self._item_text(it))
            item.setData(Qt.ItemDataRole.UserRole, it.agenda.id)
            self.items.addItem(item)
        self.items.blockSignals(False)
        ids = [it.agenda.id for it in self.data.items]
        self.current_item_id = None
        self.items.setCurrentRow(ids.index(keep) if keep in ids else (0 if ids else -1))
        if not ids:
            self._show_item(-1)
        typed = self.next_plan.toPlainText() != self._shown_next_plan
        if self._shown_next_plan is None or not typed:
            # Only replace the 次回予定 box when nothing unsaved was typed into it.
            self.next_plan.set_text_quietly(self.data.meeting.next_plan)
            self._shown_next_plan = self.data.meeting.next_plan
            if self.writable and not self._offered:
                self._offered = True
                self.next_plan.offer_restore()

    def _item(self):
        if self.data is None or self.current_item_id is None:
            return None
        return next((i for i in self.data.items if i.agenda.id == self.current_item_id), None)

    def _show_item(self, row: int) -> None:
        self.keep_typed_text()
        if self.editor is not None:
            self.editor.setParent(None)
            self.editor.deleteLater()
            self.editor = None
        if self.data is None or not 0 <= row < len(self.data.items):
            self.current_item_id = None
            self.item_title.setText(_("議題がありません。「次第・資料」タブで議題を追加してください。"))
            self.decisions.clear()
            self.action_model.set_rows([])
            return
        it = self.data.items[row]
        self.current_item_id = it.agenda.id
        self.item_title.setText(
            f"<b>{it.agenda.label}　{it.agenda.title}</b>　"
            + _("説明: {who}").format(who=it.agenda.presenter or "—")
            + (f"　{_('ケース')} {it.agenda.case_number}" if it.agenda.case_number else "")
            + f"　（{it.agenda.publicity_label}）"
        )
        self.editor = AutosaveTextEdit(ctx=self.ctx, draft_key=f"minutes:item:{it.agenda.id}")
        self.editor.setReadOnly(not self.writable)
        self.editor.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.editor.set_text_quietly(it.agenda.summary)
        self.editor.draft_saved.connect(
            lambda _t: self.saved_label.setText(_("下書きを自動保存しました"))
        )
        self.editor_box.addWidget(self.editor)
        self.saved_label.setText("")
        if self.writable:
            self.editor.offer_restore()
        self.decisions.clear()
        for d in it.decisions:
            item = QListWidgetItem(f"・{d.text}")
            item.setData(Qt.ItemDataRole.UserRole, d.id)
            self.decisions.addItem(item)
        self.action_model.set_rows(list(it.actions))

    def flush(self) -> None:
        """Keep everything typed before the workspace closes."""
        self.keep_typed_text()
        if self.next_plan.pending():
            self.next_plan.save_draft_now()

    def keep_typed_text(self) -> None:
        """Save a changed 要点筆記 into the record before the editor goes away."""
        it = self._item()
        if self.editor is None or it is None or not self.writable:
            return
        if self.editor.toPlainText().strip() != it.agenda.summary.strip():
            try:
                minutes.save_summary(self.ctx, it.agenda.id, self.editor.toPlainText(),
                                     seen_text=it.agenda.summary)
                self.editor.discard_draft()
            except KnownError as e:
                self.editor.save_draft_now()
                show_error(self, e)
                return
            # What is shown next comes from self.data: take the saved text into it, or
            # coming back to this 議題 would show the old (often empty) 要点筆記.
            self.data = minutes.get_minutes(self.ctx, self.meeting_id)
            self._mark_items()

    def _mark_items(self) -> None:
        if self.data is None:
            return
        for row, it in enumerate(self.data.items):
            item = self.items.item(row)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == it.agenda.id:
                item.setText(self._item_text(it))

    @staticmethod
    def _item_text(it) -> str:
        mark = "✓ " if it.agenda.summary else "　"
        case = f"（{it.agenda.case_number}）" if it.agenda.case_number else ""
        return f"{mark}{it.agenda.label}　{it.agenda.title}{case}"

    # --- actions -----------------------------------------------------------------------

    def save_summary(self) -> None:
        """Save the 要点筆記 of the shown item."""
        it = self._item()
        if it is None or self.editor is None:
            return
        try:
            text = self.editor.toPlainText()
            save_asking(self, lambda d: minutes.save_summary(self.ctx, it.agenda.id, text,
                                                             identity=d,
                                                             seen_text=it.agenda.summary))
        except EditConflict as e:
            # Saved elsewhere meanwhile: shown, the typed text stays in the editor, and the
            # next save goes on top of the 要点筆記 as it is now.
            self.data = minutes.get_minutes(self.ctx, self.meeting_id)
            show_error(self, e)
            return
        except KnownError as e:
            show_error(self, e)
            return
        self.editor.discard_draft()
        # Show what was stored: a name replaced by its case number must not linger here.
        self.data = minutes.get_minutes(self.ctx, self.meeting_id)
        stored = self._item()
        if stored is not None:
            self.editor.set_text_quietly(stored.agenda.summary)
        self.saved_label.setText(_("保存しました"))
        self.refresh()

    def save_next_plan(self) -> None:
        """Save the 次回予定."""
        try:
            text = self.next_plan.toPlainText()
            shown = self._shown_next_plan
            save_asking(self, lambda d: minutes.set_next_plan(self.ctx, self.meeting_id, text,
                                                              identity=d, seen_text=shown))
        except EditConflict as e:
            self._shown_next_plan = current_text(e)  # the typed text stays; saved next time
            show_error(self, e)
            return
        except KnownError as e:
            show_error(self, e)
            return
        self.next_plan.discard_draft()
        stored = minutes.get_minutes(self.ctx, self.meeting_id).meeting.next_plan
        self.next_plan.set_text_quietly(stored)
        self._shown_next_plan = stored

    def add_decision(self) -> None:
        """Record a 決定事項 under the shown item."""
        it = self._item()
        if it is None:
            return
        text, ok = QInputDialog.getMultiLineText(self, _("決定事項を追加"), _("決定事項"))
        if not ok:
            return
        try:
            save_asking(self, lambda d: minutes.add_decision(self.ctx, it.agenda.id, text,
                                                             identity=d))
        except KnownError as e:
            show_error(self, e)
            return
        self._done()

    def _decision(self):
        it = self._item()
        cur = self.decisions.currentItem()
        if it is None or cur is None:
            return None
        did = cur.data(Qt.ItemDataRole.UserRole)
        return next((d for d in it.decisions if d.id == did), None)

    def edit_decision(self) -> None:
        """Correct the selected 決定事項."""
        d = self._decision()
        if d is None:
            return
        seen, text = d.text, d.text
        while True:
            text, ok = QInputDialog.getMultiLineText(self, _("決定事項の修正"), _("決定事項"),
                                                     text)
            if not ok:
                return
            try:
                save_asking(self, partial(self._correct_decision, d.id, text, seen))
            except EditConflict as e:
                # Corrected elsewhere meanwhile: shown, then the typed text is offered again.
                show_error(self, e)
                seen = current_text(e)
                continue
            except KnownError as e:
                show_error(self, e)
                return
            break
        self._done()

    def _correct_decision(self, decision_id: int, text: str, seen: str,
                          identity: IdentityDecision | None) -> None:
        minutes.update_decision(self.ctx, decision_id, text, identity=identity, seen_text=seen)

    def remove_decision(self) -> None:
        """Delete the selected 決定事項 after asking."""
        d = self._decision()
        if d is None or QMessageBox.question(
            self, _("決定事項の削除"), _("この決定事項を削除しますか？\n{t}").format(t=d.text),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        ) != QMessageBox.StandardButton.Yes:
            return
        try:
            minutes.remove_decision(self.ctx, d.id)
        except KnownError as e:
            show_error(self, e)
        self._done()

    def _action(self):
        rows = self.action_table.selectionModel().selectedRows()
        return self.action_model.row_at(rows[0].row()) if rows else None

    def add_action(self) -> None:
        """Record an action item under the shown item."""
        it = self._item()
        if it is None:
            return
        if ActionDialog(ctx=self.ctx, meeting_id=self.meeting_id,
                        agenda_item_id=it.agenda.id, parent=self).exec():
            self._done()

    def edit_action(self) -> None:
        """Edit the selected action item."""
        a = self._action()
        if a and ActionDialog(ctx=self.ctx, meeting_id=self.meeting_id, row=a,
                              parent=self).exec():
            self._done()

    def status_action(self) -> None:
        """Change the selected action item's status."""
        a = self._action()
        if a and ActionStatusDialog(ctx=self.ctx, row=a, meeting_id=self.meeting_id,
                                    parent=self).exec():
            self._done()

    def remove_action(self) -> None:
        """Delete an action item recorded by mistake."""
        a = self._action()
        if a is None or QMessageBox.question(
            self, _("宿題事項の削除"),
            _("この宿題事項を削除しますか？\n（やめた場合は「対応状況」を「取下げ」にすると記録が残ります）"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        ) != QMessageBox.StandardButton.Yes:
            return
        try:
            actions.remove_action(self.ctx, a.id)
        except KnownError as e:
            show_error(self, e)
        self._done()


class CarriedOverTab(WorkspaceTab):
    """宿題事項: what earlier meetings of this body left open, to report on and close here."""

    def __init__(self, *, ctx: ServiceContext, meeting_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx=ctx, meeting_id=meeting_id, parent=parent)
        layout = QVBoxLayout(self)
        self.caption = QLabel("")
        self.caption.setWordWrap(True)
        layout.addWidget(self.caption)
        self.model = ActionTableModel(self)
        self.table = _table(self.model)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.status_btn = QPushButton(_("対応状況を更新…（完了はこの会議で報告済みとして記録）"))
        self.status_btn.setEnabled(ctx.actor.can(Permission.MEETING_WRITE))
        row.addWidget(self.status_btn)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(QLabel(_("この会議で出た宿題事項")))
        self.own_model = ActionTableModel(self)
        self.own_table = _table(self.own_model)
        layout.addWidget(self.own_table, 1)
        self.status_btn.clicked.connect(self.update_status)
        self.table.doubleClicked.connect(self._double_clicked)

    def _double_clicked(self) -> None:
        if self.status_btn.isEnabled():
            self.update_status()

    def refresh(self) -> None:
        """Reload the carried-over items and this meeting's own items."""
        rows = actions.carried_over(self.ctx, self.meeting_id)
        self.model.set_rows(rows)
        open_n = sum(1 for r in rows if r.is_open)
        self.caption.setText(
            _("前回までの会議から引き継いだ宿題事項 {n} 件（未完了 {o} 件）。"
              "完了したものは対応状況を「完了」にすると、次の会議には出なくなります。").format(
                n=len(rows), o=open_n)
            if rows else _("前回までの会議から引き継いだ宿題事項はありません。")
        )
        m = minutes.get_minutes(self.ctx, self.meeting_id)
        own = [a for it in m.items for a in it.actions] + list(m.other_actions)
        self.own_model.set_rows(own)

    def update_status(self) -> None:
        """Update the selected item's status; closing records this meeting."""
        sel = self.table.selectionModel().selectedRows()
        if not sel:
            return
        row = self.model.row_at(sel[0].row())
        if ActionStatusDialog(ctx=self.ctx, row=row, meeting_id=self.meeting_id,
                              parent=self).exec():
            self.refresh()
            self.changed.emit()
