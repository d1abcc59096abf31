"""会議 page: loading the 年度, the bodies, their meetings, the calendar and open 宿題事項."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidgetItem

from pfdesk.core.i18n import _
from pfdesk.core.wareki import format_fiscal_year
from pfdesk.services.meetings import actions, bodies, meetings
from pfdesk.ui.meetings.page_view import MeetingsPageView
from pfdesk.ui.meetings.workspace import MeetingWorkspace


class MeetingsLists(MeetingsPageView):
    """Fills the overview from the meetings services."""

    #: The bodies of the chosen 年度, as listed on the left.
    body_rows: list[bodies.BodyInfo]
    #: The open meeting's workspace, or None on the overview.
    workspace: MeetingWorkspace | None = None
    #: The 未完了の宿題事項 tab is to be read when it is next looked at.
    _actions_stale = False


    def refresh(self) -> None:
        """Reload years, bodies, meetings, calendar and open action items."""
        years = meetings.meeting_years(self.ctx)
        keep = self.fy.currentData()
        self.fy.blockSignals(True)
        self.fy.clear()
        for y in years.years:
            self.fy.addItem(_("{label}（{y}年度）").format(label=format_fiscal_year(y), y=y), y)
        # The current 年度 comes first after the ones ahead; default to it.
        self.fy.setCurrentIndex(max(0, self.fy.findData(keep or years.current)))
        self.fy.blockSignals(False)
        self._reload()
        if self.workspace is not None:
            self.workspace.refresh()

    def _reload(self) -> None:
        fy = self.fy.currentData()
        keep = self._body_id()
        self.body_rows = bodies.list_bodies(self.ctx, fy)
        self.bodies.blockSignals(True)
        self.bodies.clear()
        all_item = QListWidgetItem(_("すべての会議体"))
        all_item.setData(Qt.ItemDataRole.UserRole, None)
        self.bodies.addItem(all_item)
        for b in self.body_rows:
            text = _("{name}\n　年度内 {n}回／計画 {p}回").format(
                name=b.name, n=b.meetings_in_fy, p=b.planned_per_year)
            if not b.active:
                text += _("（使用停止）")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, b.id)
            self.bodies.addItem(item)
        ids = [None] + [b.id for b in self.body_rows]
        self.bodies.setCurrentRow(ids.index(keep) if keep in ids else 0)
        self.bodies.blockSignals(False)
        self.empty_hint.setVisible(not self.body_rows)
        self._load_meetings()
        if fy:
            self.calendar.load(fy)
        # The other tabs are read when looked at (MeetingsPage._tab_if_chosen).
        self._actions_stale = True
        if self.tabs.currentWidget() is self.actions_tab:
            self.load_actions()

    def load_actions(self) -> None:
        """The 未完了の宿題事項 tab: every body's open action items."""
        self._actions_stale = False
        open_items = actions.list_actions(self.ctx)
        self.action_model.set_rows(open_items)
        self.action_view.sortByColumn(4, Qt.SortOrder.AscendingOrder)  # 期限, most urgent first
        overdue = sum(1 for a in open_items if a.overdue)
        self.actions_caption.setText(
            _("すべての会議体の未完了の宿題事項 {n} 件（期限超過 {o} 件）。行をダブルクリックすると、"
              "出された会議を開きます。").format(n=len(open_items), o=overdue)
        )

    def _body_id(self) -> int | None:
        item = self.bodies.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _load_meetings(self) -> None:
        body_id = self._body_id()
        rows = meetings.list_meetings(self.ctx, fy=self.fy.currentData(), body_id=body_id)
        self.meeting_model.set_rows(rows)
        self.meeting_view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        b = next((x for x in self.body_rows if x.id == body_id), None)
        if b is None:
            self.body_info.setText(_("{fy}の会議 {n} 件").format(
                fy=format_fiscal_year(self.fy.currentData() or 0), n=len(rows)))
        else:
            self.body_info.setText(
                _("{name}（{kind}）　委員 {m} 人　回次: {num}　公開区分: {pub}\n根拠: {basis}　"
                  "事務局: {sec}").format(
                    name=b.name, kind=b.kind_label, m=b.member_count,
                    num=_("年度ごと") if b.numbering == "fiscal" else _("通算"),
                    pub=_("公開") if b.default_publicity == "public" else _("非公開"),
                    basis=b.basis or "—", sec=b.secretariat or "—")
            )
