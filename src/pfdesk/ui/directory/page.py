"""関係機関: the directory page — people and organizations, search, 年度更新, files and print.

Layout in :mod:`.page_view`; the lists are loaded by :mod:`.page_lists`, files and print
are in :mod:`.page_files`; this module wires the widgets and acts on the chosen records.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.services.context import ServiceContext
from pfdesk.ui.directory.merge_dialog import MergeDialog
from pfdesk.ui.directory.models import OrganizationsModel, PeopleModel
from pfdesk.ui.directory.org_dialog import OrganizationDialog
from pfdesk.ui.directory.page_files import DirectoryFiles
from pfdesk.ui.directory.page_view import ORGS_TAB, PEOPLE_TAB, ROLLOVER_TAB, _table
from pfdesk.ui.directory.person_dialog import PersonDialog


class DirectoryPage(DirectoryFiles):
    """関係機関・担当者の名簿."""

    title = _("関係機関")

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx=ctx, parent=parent)
        write = ctx.actor.can(Permission.DIRECTORY_WRITE)
        printing = ctx.actor.can(Permission.DOCUMENT_PRINT)
        slots: tuple[tuple[QPushButton, Callable[[], object], bool], ...] = (
            (self.new_person_button, self.new_person, write),
            (self.new_org_button, self.new_org, write),
            (self.open_button, self.open_selected, True),
            (self.merge_button, self.merge_selected, write),
            (self.import_button, self.import_file, write and ctx.actor.can(Permission.IMPORT)),
            (self.export_button, self.export_file, ctx.actor.can(Permission.EXPORT_PERSONAL)),
            (self.print_button, self.print_roster, printing),
            (self.labels_button, self.print_labels, printing),
        )
        for button, slot, enabled in slots:
            button.clicked.connect(lambda _c=False, s=slot: s())
            button.setEnabled(enabled)
        self.undo_bar.changed.connect(self.reload)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(200)
        self._timer.timeout.connect(self.search_again)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.field.currentIndexChanged.connect(lambda _i: self.search_again())
        self.body.currentIndexChanged.connect(lambda _i: self.search_again())
        self.current_only.toggled.connect(lambda _b: self.search_again())
        self.tabs.currentChanged.connect(lambda _i: self._update_status())
        self.tabs.currentChanged.connect(lambda _i: self.size_shown_list())
        self.people_view.doubleClicked.connect(lambda _i: self.open_selected())
        self.orgs_view.doubleClicked.connect(lambda _i: self.open_selected())
        self.rollover.changed.connect(lambda: self.reload(refresh_rollover=False))
        for view in (self.people_view, self.orgs_view):
            for enter in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                sc = QShortcut(QKeySequence(enter), view)
                sc.setContext(Qt.ShortcutContext.WidgetShortcut)
                sc.activated.connect(self.open_selected)
        # Ctrl+F (this search field) and Ctrl+N (新しい担当者) come from ui.shortcuts.

    def run_action(self, action: str) -> None:
        """Start ``action`` as its button would ("import", "add_org", "add_person")."""
        slots = {"import": (self.import_button, self.import_file),
                 "add_org": (self.new_org_button, self.new_org),
                 "add_person": (self.new_person_button, self.new_person)}
        button, slot = slots[action]
        if button.isEnabled():  # a role that may not register sees the list only
            self.tabs.setCurrentIndex(ORGS_TAB if action == "add_org" else PEOPLE_TAB)
            slot()


    def _selected(self) -> list:
        model: PeopleModel | OrganizationsModel
        if self.tabs.currentIndex() == PEOPLE_TAB:
            view, proxy, model = self.people_view, self.people_proxy, self.people
        elif self.tabs.currentIndex() == ORGS_TAB:
            view, proxy, model = self.orgs_view, self.orgs_proxy, self.orgs
        else:
            return []
        rows = view.selectionModel().selectedRows()
        return [model.record(proxy.mapToSource(i).row()) for i in rows]

    def open_selected(self) -> None:
        """Open the selected person or organization."""
        chosen = self._selected()
        if not chosen:
            return
        dlg: PersonDialog | OrganizationDialog
        if self.tabs.currentIndex() == PEOPLE_TAB:
            dlg = PersonDialog(ctx=self.ctx, person_id=chosen[0].id, parent=self)
        else:
            dlg = OrganizationDialog(ctx=self.ctx, org_id=chosen[0].id, parent=self)
        if dlg.exec() and dlg.saved_offer is not None:
            self.undo_bar.offer(dlg.saved_offer)  # 「…を保存しました　［取り消し］」
        self.reload()

    def new_person(self) -> None:
        """Register a person (with their first post)."""
        org = None
        if self.tabs.currentIndex() == ORGS_TAB and self._selected():
            org = self._selected()[0].id
        dlg = PersonDialog(ctx=self.ctx, org_id=org, parent=self)
        if dlg.exec():
            self.reload()
            self._show_new_person(dlg.person_id)

    def _show_new_person(self, person_id: int | None) -> None:
        """Select the person just registered; one without a 所属 is not hidden by 在任中."""
        if person_id is None:
            return
        ids = [r.id for r in self.people.records]
        if person_id not in ids and self.current_only.isChecked():
            self.current_only.blockSignals(True)
            self.current_only.setChecked(False)
            self.current_only.blockSignals(False)
            self.reload(False)  # now, to select the person in the lists
            ids = [r.id for r in self.people.records]
            QMessageBox.information(self, _("担当者の登録"), _(
                "登録しました。所属がまだないため、「在任中・有効のみ」を外して表示しています。"
                "所属は、この人を開いて「所属を追加…」で記録できます。"))
        if person_id in ids:
            self.tabs.setCurrentIndex(PEOPLE_TAB)
            src = self.people.index(ids.index(person_id), 0)
            index = self.people_proxy.mapFromSource(src)
            # Selected outright: selectRow() follows the keys held down (Ctrl toggles).
            flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                     | QItemSelectionModel.SelectionFlag.Rows)
            self.people_view.selectionModel().setCurrentIndex(index, flags)
            self.people_view.scrollTo(index)

    def new_org(self) -> None:
        """Register an organization."""
        if OrganizationDialog(ctx=self.ctx, parent=self).exec():
            self.reload()

    def merge_selected(self) -> None:
        """Merge the two selected records of the same person or organization."""
        chosen = self._selected()
        if len(chosen) != 2:
            QMessageBox.information(self, _("統合"), _(
                "同じ人（または機関）の記録を2件、Ctrl キーを押しながら選んでから"
                "「統合」を押してください。"))
            return
        kind = "person" if self.tabs.currentIndex() == PEOPLE_TAB else "organization"
        if MergeDialog(ctx=self.ctx, kind=kind, a=chosen[0], b=chosen[1], parent=self).exec():
            self.reload()


__all__ = ["ORGS_TAB", "PEOPLE_TAB", "ROLLOVER_TAB", "DirectoryPage", "_table"]
