"""会議: bodies and the meetings of a 年度, the calendar, open action items, and a workspace.

The page is a stack: the overview (一覧 / カレンダー / 宿題事項一覧) and, when a meeting
is opened, its workspace with 概要 / 出欠 / 次第・資料 / 議事録 / 宿題事項. Layout in
:mod:`.page_view`, loading in :mod:`.page_lists`; this module wires them and acts.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.services.context import ServiceContext
from pfdesk.services.undo_meetings import meeting_created, meeting_exists
from pfdesk.ui.errors import show_error
from pfdesk.ui.meetings.body_editor import BodyEditor
from pfdesk.ui.meetings.dialogs import NewMeetingDialog
from pfdesk.ui.meetings.page_lists import MeetingsLists
from pfdesk.ui.meetings.workspace import MeetingWorkspace


class MeetingsPage(MeetingsLists):
    """会議体・会議・出欠・議事録・宿題事項."""

    title = _("会議")

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx=ctx, parent=parent)
        writable = ctx.actor.can(Permission.MEETING_WRITE)
        for b in (self.new_btn, self.from_previous_btn, self.new_body_btn):
            b.setEnabled(writable)
        self.fy.currentIndexChanged.connect(lambda _i: self._reload())
        self.bodies.currentRowChanged.connect(lambda _r: self._load_meetings())
        self.bodies.itemDoubleClicked.connect(lambda _i: self.edit_body())
        self.meeting_view.doubleClicked.connect(self._open_index)
        self.action_view.doubleClicked.connect(self._open_action)
        self.calendar.meeting_activated.connect(self.open_meeting)
        self.tabs.currentChanged.connect(lambda _i: self._tab_if_chosen())
        self.open_btn.clicked.connect(self._open_selected)
        self.new_btn.clicked.connect(lambda _c=False: self.new_meeting())
        self.from_previous_btn.clicked.connect(self.new_from_previous)
        self.body_btn.clicked.connect(self.edit_body)
        self.new_body_btn.clicked.connect(self.new_body)
        self.holidays_btn.clicked.connect(self.edit_holidays)
        self.undo_bar.changed.connect(self._after_undo)
        self.body_rows = []
        self.new_dialog: NewMeetingDialog | None = None


    def _tab_if_chosen(self) -> None:
        # カレンダー and 未完了の宿題事項 are read when looked at, not on every visit.
        if self.tabs.currentWidget() is self.calendar_tab:
            self.calendar.ensure_loaded()
        elif self.tabs.currentWidget() is self.actions_tab and self._actions_stale:
            self.load_actions()

    def open_meeting(self, meeting_id: int) -> None:
        """Show the workspace of ``meeting_id``."""
        if self.workspace is not None and not self.workspace.confirm_leave(
                _("別の会議を開きます")):
            return
        self.close_workspace()
        self.workspace = MeetingWorkspace(ctx=self.ctx, meeting_id=meeting_id)
        self.workspace.back_requested.connect(self.back_to_list)
        self.stack.addWidget(self.workspace)
        self.stack.setCurrentWidget(self.workspace)

    def unsaved_changes(self) -> str:
        """The open meeting's unsaved 概要 edits, asked about before the window closes."""
        ws = self.workspace
        if ws is not None and not ws.deleted and ws.overview.is_dirty():
            return _("会議の概要（開催日・場所など）")
        return ""

    def save_changes(self) -> bool:
        """Save the open meeting's 概要; False keeps the window open with the problem shown."""
        return self.workspace.overview.save() if self.workspace is not None else True

    def close_workspace(self) -> None:
        """Drop the open workspace (its typed minutes are kept by autosave)."""
        if self.workspace is not None:
            if not self.workspace.deleted:
                self.workspace.minutes.flush()
            self.stack.removeWidget(self.workspace)
            self.workspace.deleteLater()
            self.workspace = None

    def back_to_list(self) -> None:
        """Return to the overview and reload it (after offering to save 概要 edits)."""
        if self.workspace is not None and not self.workspace.confirm_leave(
                _("一覧に戻ります")):
            return
        self.close_workspace()
        self.stack.setCurrentWidget(self.overview)
        self._reload()

    def _open_index(self, index) -> None:
        src = self.meeting_proxy.mapToSource(index)
        self.open_meeting(self.meeting_model.row_at(src.row()).id)

    def _open_action(self, index) -> None:
        src = self.action_proxy.mapToSource(index)
        self.open_meeting(self.action_model.row_at(src.row()).meeting_id)

    def _open_selected(self) -> None:
        rows = self.meeting_view.selectionModel().selectedRows()
        if rows:
            self._open_index(rows[0])

    def new_from_previous(self) -> None:
        """前回の会議から作成: a new meeting of the selected body, from its latest one."""
        self.new_meeting(from_previous=True)

    def new_meeting(self, from_previous: bool = False) -> None:
        """Schedule a meeting of the selected body and open it."""
        if not any(b.active for b in self.body_rows):
            # A new store has no bodies yet: say where to start instead of an empty form.
            QMessageBox.information(
                self, _("新しい会議"),
                _("会議を登録する会議体（全体会、実務者会議など）がまだありません。\n"
                  "先に「会議体を追加…」で会議体を登録してください。"))
            return
        dlg = NewMeetingDialog(ctx=self.ctx, bodies=self.body_rows, body_id=self._body_id(),
                               from_previous=from_previous, parent=self)
        self.new_dialog = dlg  # tests and the screenshot tour reach the open dialog here
        if dlg.exec() and dlg.result_id:
            self._reload()
            self.open_meeting(dlg.result_id)
            try:  # 「第3回…を登録しました　［取り消し］」
                self.undo_bar.offer(meeting_created(self.ctx, dlg.result_id))
            except Exception as e:  # noqa: BLE001 - shown; the meeting itself was saved
                show_error(self, e)

    def _after_undo(self) -> None:
        """After 取り消し: leave the workspace of a meeting no longer stored; show the list."""
        ws = self.workspace
        if ws is not None and not meeting_exists(self.ctx, ws.meeting_id):
            ws.deleted = True  # nothing of it is left to save or to keep as a draft
            self.close_workspace()
            self.stack.setCurrentWidget(self.overview)
        self._reload()

    def print_current(self) -> bool:
        """Ctrl+P: the print dialog of the open meeting (False on the list)."""
        if self.workspace is None or self.stack.currentWidget() is not self.workspace:
            return False
        self.workspace.open_print()
        return True

    def edit_body(self) -> None:
        """Open the body editor for the selected body."""
        body_id = self._body_id()
        if body_id is None:
            return
        BodyEditor(ctx=self.ctx, body_id=body_id, parent=self).exec()
        self._reload()

    def edit_holidays(self) -> None:
        """Register the town's own closed days, then redraw the warnings."""
        from pfdesk.ui.meetings.holidays import ExtraHolidaysDialog

        ExtraHolidaysDialog(ctx=self.ctx, parent=self).exec()
        self._reload()

    def run_action(self, action: str) -> None:
        """Start ``action`` as its button would ("new_body", "new_meeting").

        "open_meeting:ID" opens a meeting, "open_actions:ID" its 議事録 with the
        宿題事項 set there (from ホーム).
        """
        kind, _sep, ident = action.partition(":")
        if kind in ("open_meeting", "open_actions") and ident.isdigit():
            self.open_meeting(int(ident))
            ws = self.workspace
            if kind == "open_actions" and ws is not None and ws.meeting_id == int(ident):
                ws.tabs.setCurrentWidget(ws.minutes)
            return
        button, slot = {"new_body": (self.new_body_btn, self.new_body),
                        "new_meeting": (self.new_btn, self.new_meeting),
                        "new_from_previous": (self.from_previous_btn,
                                              self.new_from_previous)}[action]
        if self.workspace is not None:
            self.back_to_list()
        if button.isEnabled() and self.stack.currentWidget() is self.overview:
            self.tabs.setCurrentIndex(0)
            slot()

    def new_body(self) -> None:
        """Create a body."""
        BodyEditor(ctx=self.ctx, parent=self).exec()
        self._reload()
