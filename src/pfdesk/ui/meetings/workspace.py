"""The meeting workspace: 概要 / 出欠 / 次第・資料 / 議事録 / 宿題事項 of one meeting."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core import codes
from pfdesk.core.errors import EditConflict, KnownError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.core.wareki import format_fiscal_year
from pfdesk.services import undo
from pfdesk.services.context import ServiceContext
from pfdesk.services.edit_versions import current_seen
from pfdesk.services.meetings import calendar, meetings, study
from pfdesk.ui.errors import show_error
from pfdesk.ui.fields import DateLine, TimeLine, code_combo
from pfdesk.ui.meetings.dialogs import ask_count
from pfdesk.ui.meetings.ws_agenda import AgendaTab
from pfdesk.ui.meetings.ws_attendance import AttendanceTab
from pfdesk.ui.meetings.ws_minutes import CarriedOverTab, MinutesTab
from pfdesk.ui.meetings.ws_tab import WorkspaceTab
from pfdesk.ui.undo import UndoBar
from pfdesk.ui.window_fit import ScrollingTabWidget


class OverviewTab(WorkspaceTab):
    """概要: date, time, place, publicity, status; theme and counts for study sessions."""

    def __init__(self, *, ctx: ServiceContext, meeting_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx=ctx, meeting_id=meeting_id, parent=parent)
        self.saved_offer: undo.Undo | None = None  # what the last save offers to take back
        layout = QVBoxLayout(self)
        self.heading = QLabel("")
        self.heading.setWordWrap(True)  # 会議体・回次・会議ID: two lines on a narrow window
        layout.addWidget(self.heading)
        form = QFormLayout()
        self.held_on = DateLine(_("開催日"), required=True)
        self.warning = QLabel("")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #9a5b00;")
        self.start = TimeLine(_("開始時刻"))
        self.end = TimeLine(_("終了時刻"))
        times = QHBoxLayout()
        times.addWidget(self.start)
        times.addWidget(QLabel("～"))
        times.addWidget(self.end)
        times.addStretch(1)
        self.place = QLineEdit()
        self.online = QCheckBox(_("オンライン併用"))
        self.publicity = code_combo(codes.PUBLICITY)
        self.observers = ask_count(self, _("傍聴者数"), 0)
        self.deadline = DateLine(_("出欠の回答期限"))
        self.status = code_combo(codes.MEETING_STATUSES)
        self.note = QPlainTextEdit()
        self.note.setMaximumHeight(70)
        form.addRow(_("開催日"), self.held_on)
        form.addRow("", self.warning)
        form.addRow(_("時間"), times)
        form.addRow(_("場所"), self.place)
        form.addRow("", self.online)
        form.addRow(_("公開区分"), self.publicity)
        form.addRow(_("傍聴者数"), self.observers)
        form.addRow(_("出欠の回答期限"), self.deadline)
        form.addRow(_("開催状況"), self.status)
        form.addRow(_("備考"), self.note)
        self.theme = QLineEdit()
        self.lecturer = QLineEdit()
        self.residents = ask_count(self, _("住民"), 0)
        self.agencies = ask_count(self, _("関係機関"), 0)
        self.families = ask_count(self, _("当事者・家族"), 0)
        counts = QHBoxLayout()
        for label, box in ((_("住民"), self.residents), (_("関係機関"), self.agencies),
                           (_("当事者・家族"), self.families)):
            counts.addWidget(QLabel(label))
            counts.addWidget(box)
        counts.addStretch(1)
        self.study_rows: list[tuple[str, QWidget | QLayout]] = [
            (_("テーマ"), self.theme), (_("講師"), self.lecturer), (_("参加者数"), counts)]
        for label, w in self.study_rows:
            form.addRow(label, w)
        self.form = form
        holder = QWidget()
        holder.setMaximumWidth(760)
        inner = QVBoxLayout(holder)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.save_btn = QPushButton(_("概要を保存"))
        self.save_btn.setEnabled(ctx.actor.can(Permission.MEETING_WRITE))
        buttons.addWidget(self.save_btn)
        inner.addLayout(buttons)
        layout.addWidget(holder)
        layout.addStretch(1)
        self.save_btn.clicked.connect(self.save)
        self.held_on.editingFinished.connect(self._check_date)
        self.detail: meetings.MeetingDetail | None = None
        self._loaded: tuple | None = None

    def _snapshot(self) -> tuple:
        return (self.held_on.text(), self.start.text(), self.end.text(), self.place.text(),
                self.online.isChecked(), self.publicity.currentIndex(), self.observers.value(),
                self.deadline.text(), self.status.currentIndex(), self.note.toPlainText(),
                self.theme.text(), self.lecturer.text(), self.residents.value(),
                self.agencies.value(), self.families.value())

    def is_dirty(self) -> bool:
        """True when the form holds changes not yet saved with 「概要を保存」."""
        if not self.save_btn.isEnabled():  # a role that may not change meetings
            return False
        return self._loaded is not None and self._snapshot() != self._loaded

    def load(self, d: meetings.MeetingDetail) -> None:
        """Show meeting ``d`` (a MeetingDetail)."""
        self.detail = d
        self.seen = meetings.seen_of(d)  # a save refused when another PC saved since
        r = d.row
        self.heading.setText(
            _("会議体: {body}（{kind}）　回次: 第{n}回（{how}に自動で付番）　会議ID: {id}").format(
                body=r.body_name, kind=r.kind_label, n=r.number, id=r.id,
                how=_("年度ごと") if d.body_numbering == "fiscal" else _("通算"))
        )
        self.held_on.set_value(r.held_on)
        self.warning.setText("\n".join(r.warnings))
        self.start.set_value(d.start_time)
        self.end.set_value(d.end_time)
        self.place.setText(r.place)
        self.online.setChecked(r.online)
        self.publicity.setCurrentIndex(max(0, self.publicity.findData(d.publicity)))
        self.observers.setValue(d.observers)
        self.deadline.set_value(d.reply_deadline)
        self.status.setCurrentIndex(max(0, self.status.findData(r.status)))
        self.note.setPlainText(d.note)
        self.theme.setText(d.theme)
        self.lecturer.setText(d.lecturer)
        self.residents.setValue(d.participants_residents)
        self.agencies.setValue(d.participants_agencies)
        self.families.setValue(d.participants_families)
        for _label, w in self.study_rows:
            self.form.setRowVisible(w, d.is_study)
        self._loaded = self._snapshot()

    def _check_date(self) -> None:
        try:
            day = self.held_on.value()
        except KnownError:
            return
        if day:
            self.warning.setText("\n".join(calendar.scheduling_warnings(self.ctx, day)))

    def save(self) -> bool:
        """Save the 概要 (and the study fields for a study session); False if refused."""
        shown = self.detail
        assert shown is not None  # the workspace loads the meeting before showing the tab
        self.saved_offer = None
        try:
            before = undo.meeting_details(self.ctx, self.meeting_id)
            meetings.update_meeting(self.ctx, self.meeting_id, meetings.MeetingInput(
                body_id=shown.row.body_id, held_on=self.held_on.required_value(),
                start_time=self.start.value(), end_time=self.end.value(),
                place=self.place.text(), online=self.online.isChecked(),
                publicity=self.publicity.currentData(), observers=self.observers.value(),
                reply_deadline=self.deadline.value(), note=self.note.toPlainText(),
            ), seen=self.seen)
            if self.status.currentData() != shown.row.status:
                meetings.set_meeting_status(self.ctx, self.meeting_id,
                                            self.status.currentData())
            if shown.is_study:
                study.save_study(self.ctx, self.meeting_id, study.StudyInput(
                    theme=self.theme.text(), lecturer=self.lecturer.text(),
                    residents=self.residents.value(), agencies=self.agencies.value(),
                    families=self.families.value(),
                ))
            after = undo.meeting_details(self.ctx, self.meeting_id)
        except EditConflict as e:
            # Saved elsewhere meanwhile: shown, the form kept; the next save goes on top.
            self.seen = current_seen(e)
            show_error(self, e)
            return False
        except KnownError as e:
            show_error(self, e)
            return False
        if after != before:  # 「会議の概要を保存しました　［取り消し］」
            self.saved_offer = undo.meeting_edited(self.meeting_id, before, after)
        self._loaded = None  # saved: the reload that follows may replace the form
        self.changed.emit()
        return True


class MeetingWorkspace(QWidget):
    """One meeting, prepared, held and recorded across five tabs."""

    back_requested = Signal()

    def __init__(self, *, ctx: ServiceContext, meeting_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.meeting_id = ctx, meeting_id
        self.deleted = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        top = QHBoxLayout()
        self.back_btn = QPushButton(_("← 会議一覧に戻る"))
        self.title = QLabel("")
        f = self.title.font()
        f.setPointSizeF(f.pointSizeF() * 1.3)
        f.setBold(True)
        self.title.setFont(f)
        self.subtitle = QLabel("")
        self.subtitle.setWordWrap(True)
        self.title.setWordWrap(True)
        top.addWidget(self.back_btn)
        top.addWidget(self.title, 1)
        self.delete_btn = QPushButton(_("この会議を削除…"))
        self.delete_btn.setEnabled(ctx.actor.can(Permission.MEETING_WRITE))
        self.delete_btn.clicked.connect(self.delete_meeting)
        top.addWidget(self.delete_btn)
        self.print_btn = self._print_button()
        if self.print_btn:
            top.addWidget(self.print_btn)
        layout.addLayout(top)
        layout.addWidget(self.subtitle)
        # 回次 out of date order because a notice is already printed: say so, never hide it.
        self.numbering_warning = QLabel("")
        self.numbering_warning.setWordWrap(True)
        self.numbering_warning.setStyleSheet("color: #a04000;")
        self.numbering_warning.setVisible(False)
        layout.addWidget(self.numbering_warning)
        self.undo_bar = UndoBar(ctx=ctx)
        self.undo_bar.changed.connect(self.refresh)
        layout.addWidget(self.undo_bar)
        # A tab taller than the window (議事録, 概要 at 125 %/150 %) scrolls inside it.
        self.tabs = ScrollingTabWidget()
        self.overview = OverviewTab(ctx=ctx, meeting_id=meeting_id)
        self.attendance = AttendanceTab(ctx=ctx, meeting_id=meeting_id)
        self.agenda = AgendaTab(ctx=ctx, meeting_id=meeting_id)
        self.minutes = MinutesTab(ctx=ctx, meeting_id=meeting_id)
        self.carried = CarriedOverTab(ctx=ctx, meeting_id=meeting_id)
        self.tabs.addTab(self.overview, _("概要"))
        self.tabs.addTab(self.attendance, _("出欠"))
        self.tabs.addTab(self.agenda, _("次第・資料"))
        self.tabs.addTab(self.minutes, _("議事録"))
        self.tabs.addTab(self.carried, _("宿題事項"))
        layout.addWidget(self.tabs, 1)
        self.back_btn.clicked.connect(self.back_requested)
        self.overview.changed.connect(self.refresh)
        self.overview.changed.connect(self._offer_undo)
        self.agenda.undo_bar = self.undo_bar  # an edited agenda item is offered there too
        self.undo_bar.changed.connect(self.agenda.refresh)
        self.attendance.changed.connect(self._refresh_header)
        self.agenda.changed.connect(self.minutes.refresh)
        self.minutes.changed.connect(self.carried.refresh)
        self.carried.changed.connect(self.minutes.refresh)
        self.tabs.currentChanged.connect(self._tab_shown)
        self.refresh()

    def _offer_undo(self) -> None:
        if self.overview.saved_offer is not None:
            self.undo_bar.offer(self.overview.saved_offer)

    def delete_meeting(self) -> None:
        """Delete a meeting entered by mistake, after asking; back to the list."""
        title = self.title.text()
        if QMessageBox.question(
            self, _("会議の削除"),
            _("{title} を削除しますか？\n出欠名簿と次第も削除されます。"
              "開催しなかった会議の記録を残す場合は、開催状況を「中止」にしてください。").format(
                title=title),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,  # Enter must never delete a meeting
        ) != QMessageBox.StandardButton.Yes:
            return
        try:
            meetings.delete_meeting(self.ctx, self.meeting_id)
        except KnownError as e:
            show_error(self, e)
            return
        self.deleted = True
        self.back_requested.emit()

    def _print_button(self) -> QPushButton | None:
        try:
            from pfdesk.ui.printing import PrintMeetingDialog  # noqa: F401
        except ImportError:
            return None
        btn = QPushButton(_("印刷…"))
        btn.clicked.connect(self.open_print)
        return btn

    def confirm_leave(self, doing: str) -> bool:
        """Offer to save unsaved 概要 edits before ``doing``; False when the user cancels."""
        if self.deleted or not self.overview.is_dirty():
            return True
        answer = QMessageBox.question(
            self, _("概要の変更"),
            _("概要（開催日・場所など）の変更がまだ保存されていません。\n"
              "保存してから{doing}か？").format(doing=doing),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.overview.save()
        return answer == QMessageBox.StandardButton.Discard

    def open_print(self) -> None:
        """Open the print dialog for this meeting (notice, 次第, 名簿, 会議録 …)."""
        from pfdesk.ui.printing import PrintMeetingDialog

        if not self.confirm_leave(_("印刷します")):
            return

        dlg = PrintMeetingDialog(ctx=self.ctx, meeting_id=self.meeting_id, parent=self)
        dlg.exec()

    def _refresh_header(self) -> meetings.MeetingDetail:
        d = meetings.get_meeting(self.ctx, self.meeting_id)
        r = d.row
        self.title.setText(r.title)
        closed = _("（オンライン併用）") if r.online else ""
        self.subtitle.setText(
            _("会議ID {id}　{fy}　{date} {time}　{place}{online}　{pub}　{status}　"
              "出席 {p}／招集 {n}（未回答 {q}）").format(
                id=r.id, fy=format_fiscal_year(r.fiscal_year), date=r.date_text,
                time=r.time_text, place=r.place, online=closed, pub=r.publicity_label,
                status=r.status_label, p=r.present, n=r.invited, q=r.pending,
            )
        )
        note = meetings.numbering_note(self.ctx, self.meeting_id)
        self.numbering_warning.setText(f"⚠ {note}" if note else "")
        self.numbering_warning.setVisible(bool(note))
        return d

    def refresh(self) -> None:
        """Reload every tab."""
        d = self._refresh_header()
        if not self.overview.is_dirty():  # never overwrite what the user is typing
            self.overview.load(d)
        self.attendance.refresh()
        self.agenda.refresh()
        self.minutes.refresh()
        self.carried.refresh()

    def _tab_shown(self, index: int) -> None:
        w = self.tabs.widget(index)
        if w is not self.overview and isinstance(w, WorkspaceTab):
            w.refresh()
