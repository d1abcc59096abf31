"""次第・資料 tab: agenda items in order with their materials numbered 資料1, 資料2 … 参考資料."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.errors import KnownError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.services.context import ServiceContext
from pfdesk.services.meetings import agenda
from pfdesk.services.meetings.identity import IdentityDecision
from pfdesk.ui.errors import show_error
from pfdesk.ui.fit_layouts import FlowLayout, group
from pfdesk.ui.meetings.dialogs import AgendaItemDialog
from pfdesk.ui.meetings.identity_prompt import save_asking
from pfdesk.ui.meetings.ws_tab import WorkspaceTab
from pfdesk.ui.undo import UndoBar

ITEM, MATERIAL = "item", "material"


def _size(n: int) -> str:
    return f"{n / 1024:,.0f} KB" if n else ""


class AgendaTab(WorkspaceTab):
    """The 次第 with its 配布資料; files are copied into the data folder when attached."""

    def __init__(self, *, ctx: ServiceContext, meeting_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx=ctx, meeting_id=meeting_id, parent=parent)
        self.undo_bar: UndoBar | None = None  # the workspace's, where a saved edit is offered
        layout = QVBoxLayout(self)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(5)
        self.tree.setHeaderLabels(
            [_("次第・資料番号"), _("件名・資料名"), _("説明者・ファイル"), _("公開区分"), _("ケース")]
        )
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        layout.addWidget(self.tree, 1)
        # Two groups per line; on a narrow window (125 %/150 %) a group takes a line of its own.
        row1 = FlowLayout(spacing=12)
        self.add_btn = QPushButton(_("議題を追加…"))
        self.edit_btn = QPushButton(_("編集…"))
        self.up_btn = QPushButton(_("↑ 上へ"))
        self.down_btn = QPushButton(_("↓ 下へ"))
        self.remove_btn = QPushButton(_("議題を削除"))
        row1.addWidget(group(self.add_btn, self.edit_btn, self.remove_btn))
        row1.addWidget(group(self.up_btn, self.down_btn))
        layout.addLayout(row1)
        row2 = FlowLayout(spacing=12)
        self.attach_btn = QPushButton(_("資料を添付…"))
        self.generated_btn = QPushButton(_("pfdesk が作る資料を追加…"))
        self.reference_btn = QPushButton(_("資料／参考資料を切り替え"))
        self.open_btn = QPushButton(_("資料を開く"))
        self.detach_btn = QPushButton(_("資料を外す"))
        row2.addWidget(group(self.attach_btn, self.generated_btn))
        row2.addWidget(group(self.reference_btn, self.open_btn, self.detach_btn))
        layout.addLayout(row2)
        hint = QLabel(_("資料番号（資料1、資料2 …、参考資料）は次第の順に自動で付きます。"
                        "添付できるのは PDF・Excel（.xlsx）・Word（.docx）・CSV です。"))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        writable = ctx.actor.can(Permission.MEETING_WRITE)
        for b in (self.add_btn, self.edit_btn, self.up_btn, self.down_btn, self.remove_btn,
                  self.attach_btn, self.generated_btn, self.reference_btn, self.detach_btn):
            b.setEnabled(writable)
        self.add_btn.clicked.connect(self.add_item)
        self.edit_btn.clicked.connect(self.edit_item)
        self.up_btn.clicked.connect(lambda: self.move_selected(-1))
        self.down_btn.clicked.connect(lambda: self.move_selected(1))
        self.remove_btn.clicked.connect(self.remove_item)
        self.attach_btn.clicked.connect(self.attach)
        self.generated_btn.clicked.connect(self.add_generated)
        self.reference_btn.clicked.connect(self.toggle_reference)
        self.open_btn.clicked.connect(self.open_material)
        self.detach_btn.clicked.connect(self.detach)
        self.tree.itemDoubleClicked.connect(self._double_clicked)
        self.rows: list[agenda.AgendaRow] = []

    def refresh(self) -> None:
        """Reload the 次第, keeping the selection."""
        current = self._current()
        self.rows = agenda.list_agenda(self.ctx, self.meeting_id)
        self.tree.clear()
        for r in self.rows:
            pub = r.publicity_label + ("" if r.publicity else _("（会議と同じ）"))
            top = QTreeWidgetItem([r.label, r.title, r.presenter, pub, r.case_number])
            top.setData(0, Qt.ItemDataRole.UserRole, (ITEM, r.id))
            for m in r.materials:
                where = m.original_name or _("（印刷時に作成）")
                child = QTreeWidgetItem([m.number_label, m.title,
                                         f"{where}　{_size(m.size)}".strip(), "", ""])
                child.setData(0, Qt.ItemDataRole.UserRole, (MATERIAL, m.id))
                top.addChild(child)
            self.tree.addTopLevelItem(top)
            if current and current == (ITEM, r.id):
                self.tree.setCurrentItem(top)
        self.tree.expandAll()
        if not self.rows:
            empty = QTreeWidgetItem([_("議題はまだありません。「議題を追加…」から入力してください。")])
            self.tree.addTopLevelItem(empty)

    def _current(self):
        it = self.tree.currentItem()
        return it.data(0, Qt.ItemDataRole.UserRole) if it else None

    def _row(self, item_id: int) -> agenda.AgendaRow | None:
        return next((r for r in self.rows if r.id == item_id), None)

    def _item_id(self) -> int | None:
        cur = self.tree.currentItem()
        data = self._current()
        if not data or cur is None:
            return None
        if data[0] == MATERIAL:
            parent = cur.parent()  # a material hangs under its agenda item
            return parent.data(0, Qt.ItemDataRole.UserRole)[1] if parent else None
        return data[1]

    def _material(self):
        data = self._current()
        if not data or data[0] != MATERIAL:
            return None
        return next(m for r in self.rows for m in r.materials if m.id == data[1])

    def _double_clicked(self, *_args) -> None:
        if self._material():
            self.open_material()
        elif self.ctx.actor.can(Permission.MEETING_WRITE):
            self.edit_item()

    def add_item(self) -> None:
        """Add an agenda item."""
        dlg = AgendaItemDialog(ctx=self.ctx, meeting_id=self.meeting_id, parent=self)
        if dlg.exec():
            self._done()
            if self.undo_bar is not None and dlg.saved_offer is not None:
                self.undo_bar.offer(dlg.saved_offer)  # 「議題「…」を追加しました　［取り消し］」

    def edit_item(self) -> None:
        """Edit the selected agenda item."""
        item_id = self._item_id()
        if item_id is None:
            return
        dlg = AgendaItemDialog(ctx=self.ctx, meeting_id=self.meeting_id,
                               row=self._row(item_id), parent=self)
        if dlg.exec():
            self._done()
            if self.undo_bar is not None and dlg.saved_offer is not None:
                self.undo_bar.offer(dlg.saved_offer)

    def move_selected(self, delta: int) -> None:
        """Move the selected item up or down (not QWidget.move, which places the widget)."""
        item_id = self._item_id()
        if item_id is None:
            return
        try:
            agenda.move_item(self.ctx, item_id, delta)
        except KnownError as e:
            show_error(self, e)
        self._done()

    def remove_item(self) -> None:
        """Delete the selected item after asking."""
        item_id = self._item_id()
        if item_id is None:
            return
        row = self._row(item_id)
        if row is None:
            return
        if QMessageBox.question(
            self, _("議題の削除"),
            _("「{title}」を削除しますか？\n要点筆記・決定事項・資料も一緒に削除されます。").format(
                title=row.title),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        ) != QMessageBox.StandardButton.Yes:
            return
        try:
            agenda.remove_item(self.ctx, item_id)
        except KnownError as e:
            show_error(self, e)
        self._done()

    def attach(self) -> None:
        """Choose files and copy them into the data folder as materials of the item."""
        item_id = self._item_id()
        if item_id is None:
            QMessageBox.information(self, _("資料を添付"), _("先に資料を付ける議題を選んでください。"))
            return
        files, _f = QFileDialog.getOpenFileNames(
            self, _("添付する資料"), str(Path.home()),
            _("資料 (*.pdf *.xlsx *.docx *.csv);;すべてのファイル (*)"),
        )
        for f in files:
            title, ok = QInputDialog.getText(self, _("資料名"), _("資料名（次第に載る名前）"),
                                             text=Path(f).stem)
            if not ok:
                continue
            try:
                save_asking(self, partial(self._attach_one, item_id, f, title))
            except KnownError as e:
                show_error(self, e)
        self._done()

    def _attach_one(self, item_id: int, path: str, title: str,
                    identity: IdentityDecision | None) -> object:
        return agenda.attach_file(self.ctx, item_id, path, title=title, identity=identity)

    def add_generated(self) -> None:
        """Add a material pfdesk builds when printing (統計, 宿題事項, ケース概要シート)."""
        item_id = self._item_id()
        if item_id is None:
            QMessageBox.information(self, _("資料の追加"), _("先に資料を付ける議題を選んでください。"))
            return
        kinds = list(agenda.GENERATED_MATERIALS.items())
        labels = [_(title) for _k, title in kinds]
        choice, ok = QInputDialog.getItem(
            self, _("pfdesk が作る資料"), _("印刷するときに最新の内容で作成されます"), labels, 0, False
        )
        if not ok:
            return
        try:
            agenda.add_generated_material(self.ctx, item_id, kinds[labels.index(choice)][0])
        except KnownError as e:
            show_error(self, e)
            return
        self._done()

    def toggle_reference(self) -> None:
        """Switch the selected material between 資料 and 参考資料."""
        m = self._material()
        if m is None:
            return
        try:
            agenda.update_material(self.ctx, m.id, title=m.title,
                                   is_reference=not m.is_reference, seen=m)
        except KnownError as e:
            show_error(self, e)
        self._done()

    def open_material(self) -> None:
        """Show a PDF in the preview window; other files in the program Windows associates."""
        m = self._material()
        if m is None:
            return
        try:
            path = agenda.material_path(self.ctx, m.id)
        except KnownError as e:
            show_error(self, e)
            return
        if path.suffix.lower() == ".pdf":
            from pfdesk.ui.printing.preview import safe_file_name, show_pdf_preview

            self.preview_window = show_pdf_preview(self, path, title=m.title,
                                                   save_name=safe_file_name(f"{m.title}.pdf"))
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def detach(self) -> None:
        """Take the selected material off its item."""
        m = self._material()
        if m is None:
            return
        try:
            agenda.remove_material(self.ctx, m.id)
        except KnownError as e:
            show_error(self, e)
        self._done()
