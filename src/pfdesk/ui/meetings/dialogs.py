"""Dialogs of the meetings page: new meeting, a response, an agenda item, an action item."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core import codes
from pfdesk.core.errors import EditConflict, KnownError
from pfdesk.core.i18n import _
from pfdesk.services import undo
from pfdesk.services.context import ServiceContext
from pfdesk.services.edit_versions import current_seen
from pfdesk.services.meetings import agenda, attendance, calendar, meetings, minutes
from pfdesk.services.meetings.from_previous import (
    PreviousMeeting,
    create_from_previous,
    previous_meeting,
)
from pfdesk.ui.errors import show_error
from pfdesk.ui.fields import DateLine, TimeLine, code_combo
from pfdesk.ui.meetings.identity_prompt import save_asking
from pfdesk.ui.search_combo import SearchableCombo


class _FormDialog(QDialog):
    """A form with OK / キャンセル; ``save()`` does the work, errors keep the dialog open."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        outer = QVBoxLayout(self)
        self.form = QFormLayout()
        outer.addLayout(self.form)
        self.extra = QVBoxLayout()
        outer.addLayout(self.extra)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("保存"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("キャンセル"))
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        outer.addWidget(buttons)
        self.result_id: int | None = None

    def save(self) -> None:  # pragma: no cover - overridden
        """Do the work; raise KnownError to keep the dialog open."""

    def _ok(self) -> None:
        try:
            self.save()
        except KnownError as e:
            show_error(self, e)
            return
        self.accept()


class NewMeetingDialog(_FormDialog):
    """Schedule a meeting: body, date and time, place; warns about 祝日 and 年末年始.

    「前回の会議から作成」 fills time, place and 回答期限 from the body's latest meeting,
    suggests the next date, and copies its invitations and the recurring 次第 items the
    user leaves checked (services.meetings.from_previous does the copying).
    """

    def __init__(self, *, ctx: ServiceContext, bodies, body_id: int | None = None,
                 from_previous: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(_("新しい会議"), parent)
        self.ctx = ctx
        self.previous: PreviousMeeting | None = None
        self.body = QComboBox()
        for b in bodies:
            if b.active:
                self.body.addItem(f"{b.name}（{b.kind_label}）", b.id)
        if body_id is not None:
            self.body.setCurrentIndex(max(0, self.body.findData(body_id)))
        self.from_previous = QCheckBox(_("前回の会議から作成"))
        self.from_previous.setToolTip(_("時刻・場所・出欠名簿・毎回の議題を前回の会議から引き継ぎます。"))
        self.previous_info = QLabel("")
        self.previous_info.setWordWrap(True)
        self.held_on = DateLine(_("開催日"), required=True)
        self.warning = QLabel("")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #9a5b00;")
        self.start = TimeLine(_("開始時刻"))
        self.start.setText("13:30")
        self.end = TimeLine(_("終了時刻"))
        self.end.setText("15:00")
        self.place = QLineEdit()
        self.deadline = DateLine(_("出欠の回答期限"))
        self._suggested = ""  # the last proposed deadline text, replaced when the date moves
        self._suggested_day = ""  # the last proposed meeting day, replaced with the body
        self.online = QCheckBox(_("オンライン併用"))
        self.invite = QCheckBox(_("会議体の委員を出欠名簿に入れる"))
        self.invite.setChecked(True)
        self.form.addRow(_("会議体"), self.body)
        self.form.addRow("", self.from_previous)
        self.form.addRow(_("開催日"), self.held_on)
        self.form.addRow("", self.warning)
        self.form.addRow(_("開始時刻"), self.start)
        self.form.addRow(_("終了時刻"), self.end)
        self.form.addRow(_("場所"), self.place)
        self.form.addRow(_("出欠の回答期限"), self.deadline)
        self.form.addRow("", self.online)
        self.form.addRow("", self.invite)
        self.items_label = QLabel(_("引き継ぐ議題（チェックを外すと引き継ぎません）"))
        self.items = QListWidget()
        self.items.setMaximumHeight(140)
        self.items.setWordWrap(True)
        self.items.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.extra.addWidget(self.previous_info)
        self.extra.addWidget(self.items_label)
        self.extra.addWidget(self.items)
        hint = QLabel(_("回次（第○回）は自動で付きます。公開区分は会議体の設定が使われます。"
                        "出欠の回答期限は開催日の7日前（土日・祝日・閉庁日なら前の開庁日）が"
                        "入ります（空欄にしても同じ日が入ります）。期限を付けない場合は、"
                        "作成後に会議の「概要」で空欄にして保存してください。"))
        hint.setWordWrap(True)
        self.extra.addWidget(hint)
        self.held_on.editingFinished.connect(self.check_date)
        self.body.currentIndexChanged.connect(lambda _i: self._load_previous())
        self.from_previous.toggled.connect(lambda _on: self._apply_previous())
        self._load_previous()
        if from_previous and self.from_previous.isEnabled():
            self.from_previous.setChecked(True)

    # -- 前回の会議から作成 ------------------------------------------------------------------

    def _load_previous(self) -> None:
        body_id = self.body.currentData()
        self.previous = (previous_meeting(self.ctx, body_id)
                         if body_id is not None else None)
        self.from_previous.setEnabled(self.previous is not None)
        if self.previous is None:
            self.from_previous.setChecked(False)
        self._apply_previous()

    def _apply_previous(self) -> None:
        prev = self.previous
        on = prev is not None and self.from_previous.isChecked()
        self.setWindowTitle(_("新しい会議（前回の会議から作成）") if on else _("新しい会議"))
        self.items.clear()
        for w in (self.items_label, self.items):
            w.setVisible(on)
        self.invite.setVisible(not on)  # members and last time's guests are always invited
        if prev is None:
            self.previous_info.setText(_("この会議体にはまだ会議がありません。")
                                       if self.body.currentData() is not None else "")
            return
        self.previous_info.setText(_("前回: {title}　{date}　{time}　{place}").format(
            title=prev.title, date=prev.date_text, time=prev.time_text, place=prev.place))
        if not on:
            return
        if self.held_on.text() in ("", self._suggested_day):
            self.held_on.set_value(prev.suggested_on)
            self._suggested_day = self.held_on.text()
        self.start.set_value(prev.start_time)
        self.end.set_value(prev.end_time)
        self.place.setText(prev.place)
        self.online.setChecked(prev.online)
        self._suggested = ""
        self.deadline.setText("")
        self.check_date()
        for item in prev.items:
            text = f"{item.kind_label}　{item.title}"
            if item.materials:
                text += _("（資料: {names}）").format(names="、".join(item.materials))
            if not item.recurring:
                text += _("　— {why}ため引き継ぎません").format(why=item.why_not)
            row = QListWidgetItem(text)
            row.setData(Qt.ItemDataRole.UserRole, item.id)
            if item.recurring:
                row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                row.setCheckState(Qt.CheckState.Checked)
            else:
                row.setFlags(row.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.items.addItem(row)
        guests = (_("委員と、前回招いた委員以外の{n}件を出欠名簿に入れます。").format(n=prev.guests)
                  if prev.guests else _("会議体の委員を出欠名簿に入れます。"))
        self.previous_info.setText(self.previous_info.text() + "\n" + guests)

    def chosen_items(self) -> list[int]:
        """The ids of the previous meeting's items left checked."""
        out = []
        for i in range(self.items.count()):
            row = self.items.item(i)
            if row.checkState() == Qt.CheckState.Checked:
                out.append(row.data(Qt.ItemDataRole.UserRole))
        return out

    # -- date and save ---------------------------------------------------------------------

    def check_date(self) -> None:
        """Show the 祝日 / 年末年始 / 休日 warning for the typed date."""
        try:
            d = self.held_on.value()
        except KnownError:
            self.warning.setText(_("日付を読み取れません。例: 2026/11/26"))
            return
        self.warning.setText(
            "\n".join(calendar.scheduling_warnings(self.ctx, d)) if d else ""
        )
        # Follow the date with the proposed deadline unless the user typed their own.
        if d and self.deadline.text() in ("", self._suggested):
            prev = self.previous if self.from_previous.isChecked() else None
            days = prev.reply_deadline_for(d) if prev is not None else None
            self.deadline.set_value(days or calendar.suggested_reply_deadline(self.ctx, d))
            self._suggested = self.deadline.text()

    def save(self) -> None:
        """Create the meeting (from the previous one when so chosen)."""
        # The proposed deadline follows the date even when 保存 is pressed straight from
        # the date field (before the field reported its edit).
        self.check_date()
        held_on = self.held_on.value()
        assert held_on is not None  # a required DateLine raises when it is blank
        data = meetings.MeetingInput(
            body_id=self.body.currentData(), held_on=held_on,
            start_time=self.start.value(), end_time=self.end.value(),
            place=self.place.text(), online=self.online.isChecked(),
            reply_deadline=self.deadline.value(),
        )
        if self.previous is not None and self.from_previous.isChecked():
            self.result_id = create_from_previous(
                self.ctx, self.previous.id, data, item_ids=self.chosen_items())
            return
        self.result_id = meetings.create_meeting(
            self.ctx, data, invite=self.invite.isChecked()
        )


class ResponseDialog(_FormDialog):
    """Record a response or what happened on the day (遅参・早退)."""

    def __init__(self, *, ctx: ServiceContext, row, parent: QWidget | None = None) -> None:
        super().__init__(_("出欠の記録 — {name}").format(name=row.name or row.affiliation), parent)
        self.ctx, self.row = ctx, row
        self.seen = row  # the response as shown: a save is refused when changed elsewhere
        self.response = code_combo(codes.RESPONSES, row.response)
        self.responded_on = DateLine(_("回答日"))
        self.responded_on.set_value(row.responded_on)
        self.proxy_name = QLineEdit(row.proxy_name)
        self.proxy_title = QLineEdit(row.proxy_title)
        self.late = QCheckBox(_("遅参"))
        self.late.setChecked(row.late)
        self.left_early = QCheckBox(_("早退"))
        self.left_early.setChecked(row.left_early)
        self.note = QLineEdit(row.note)
        self.form.addRow(_("所属・職名"), QLabel(f"{row.affiliation}　{row.title}"))
        self.form.addRow(_("出欠"), self.response)
        self.form.addRow(_("回答日"), self.responded_on)
        self.form.addRow(_("代理出席者の氏名"), self.proxy_name)
        self.form.addRow(_("代理出席者の職名"), self.proxy_title)
        self.form.addRow(_("当日"), self.late)
        self.form.addRow("", self.left_early)
        self.form.addRow(_("備考"), self.note)
        self.response.currentIndexChanged.connect(self._sync)
        self._sync()

    def _sync(self) -> None:
        proxy = self.response.currentData() == "proxy"
        self.proxy_name.setEnabled(proxy)
        self.proxy_title.setEnabled(proxy)
        here = self.response.currentData() in attendance.ATTENDING
        self.late.setEnabled(here)
        self.left_early.setEnabled(here)
        if not here:
            self.late.setChecked(False)
            self.left_early.setChecked(False)

    def save(self) -> None:
        """Save the response."""
        try:
            attendance.record_response(self.ctx, self.row.id, attendance.ResponseInput(
                response=self.response.currentData(), responded_on=self.responded_on.value(),
                proxy_name=self.proxy_name.text(), proxy_title=self.proxy_title.text(),
                late=self.late.isChecked(), left_early=self.left_early.isChecked(),
                note=self.note.text(),
            ), seen=self.seen)
        except EditConflict as e:
            self.seen = current_seen(e).values  # shown; OK again saves on top of it
            raise


class AgendaItemDialog(_FormDialog):
    """Add or edit an agenda item."""

    def __init__(self, *, ctx: ServiceContext, meeting_id: int, row=None,
                 parent: QWidget | None = None) -> None:
        super().__init__(_("議題の編集") if row else _("議題の追加"), parent)
        self.ctx, self.meeting_id, self.row = ctx, meeting_id, row
        self.saved_offer: undo.Undo | None = None  # the edit saved, to be taken back
        # The item as shown: a save is refused when another PC saved it since.
        self.seen = agenda.seen_of(row) if row else None
        self.kind = code_combo(codes.AGENDA_KINDS, row.kind if row else "agenda")
        self.title = QLineEdit(row.title if row else "")
        self.presenter = QLineEdit(row.presenter if row else "")
        self.publicity = code_combo(codes.PUBLICITY, row.publicity if row else "",
                                    blank=_("会議と同じ"))
        # Hundreds of cases: found by typing part of the case number.
        self.case = SearchableCombo(placeholder=_("ケース番号の一部を入力して選択"))
        self.case.addItem(_("（ケースと結び付けない）"), None)
        from pfdesk.core.permissions import Permission

        if ctx.actor.can(Permission.CASE_READ):
            for cid, number in agenda.case_choices(ctx):
                self.case.addItem(number, cid)
        if row and row.case_id:
            i = self.case.findData(row.case_id)
            if i < 0:
                self.case.addItem(row.case_number, row.case_id)
                i = self.case.count() - 1
            self.case.setCurrentIndex(i)
        self.form.addRow(_("種類"), self.kind)
        self.form.addRow(_("件名"), self.title)
        self.form.addRow(_("説明者"), self.presenter)
        self.form.addRow(_("公開区分"), self.publicity)
        self.form.addRow(_("ケース（個別ケース検討）"), self.case)

    def save(self) -> None:
        """Add or save the item."""
        data = agenda.AgendaInput(
            title=self.title.text(), kind=self.kind.currentData(),
            presenter=self.presenter.text(), publicity=self.publicity.currentData() or "",
            case_id=self.case.currentData(),
        )
        if self.row:
            before = undo.agenda_item_input(self.ctx, self.row.id)
            try:
                save_asking(self, lambda d: agenda.update_item(self.ctx, self.row.id, data,
                                                               identity=d, seen=self.seen))
            except EditConflict as e:
                self.seen = current_seen(e)  # shown by the dialog; OK again saves on top
                raise
            after = undo.agenda_item_input(self.ctx, self.row.id)
            if after != before:  # offered by the workspace: 「…を保存しました　［取り消し］」
                self.saved_offer = undo.agenda_item_edited(self.row.id, before, after)
        else:
            self.result_id = save_asking(
                self, lambda d: agenda.add_item(self.ctx, self.meeting_id, data, identity=d))
            if isinstance(self.result_id, int):  # 取り消し deletes it again
                self.saved_offer = undo.agenda_item_added(
                    self.result_id, undo.agenda_item_state(self.ctx, self.result_id))


class ActionDialog(_FormDialog):
    """Add or edit an action item (内容, 担当, 期限)."""

    def __init__(self, *, ctx: ServiceContext, meeting_id: int, agenda_item_id=None, row=None,
                 parent: QWidget | None = None) -> None:
        super().__init__(_("宿題事項の編集") if row else _("宿題事項の追加"), parent)
        self.ctx, self.meeting_id, self.agenda_item_id, self.row = (
            ctx, meeting_id, agenda_item_id, row)
        self.seen = row  # the item as shown: a save is refused when changed elsewhere since
        self.description = QPlainTextEdit(row.description if row else "")
        self.description.setMaximumHeight(90)
        # 担当: pick a person in post from the directory, or type a section or name freely.
        self.assignee = QComboBox()
        self.assignee.setEditable(True)
        self.assignee.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        from pfdesk.core.permissions import Permission
        from pfdesk.services.meetings.bodies import member_candidates

        if ctx.actor.can(Permission.DIRECTORY_READ):
            for c in member_candidates(ctx):
                self.assignee.addItem(f"{c.affiliation}　{c.name}",
                                      (c.person_id, c.organization_id))
        self.assignee.setCurrentIndex(-1)
        self.assignee.setEditText(row.assignee_text if row else "")
        assignee_edit = self.assignee.lineEdit()
        if assignee_edit is not None:  # editable: Qt made it
            assignee_edit.setPlaceholderText(_("名簿から選ぶか入力（例: 社会福祉協議会、保健福祉課 森野）"))
        self.due_on = DateLine(_("期限"))
        self.due_on.set_value(row.due_on if row else None)
        self.form.addRow(_("内容"), self.description)
        self.form.addRow(_("担当"), self.assignee)
        self.form.addRow(_("期限"), self.due_on)

    def save(self) -> None:
        """Add or save the action item."""
        text = self.assignee.currentText()
        person_id = self.row.assignee_person_id if self.row else None
        org_id = self.row.assignee_org_id if self.row else None
        i = self.assignee.findText(text)
        if i >= 0:
            person_id, org_id = self.assignee.itemData(i)
        elif not self.row or text != self.row.assignee_text:
            person_id = org_id = None  # typed freely: no directory link
        data = minutes.ActionInput(
            description=self.description.toPlainText(), assignee_text=text,
            due_on=self.due_on.value(), case_id=self.row.case_id if self.row else None,
            assignee_person_id=person_id, assignee_org_id=org_id,
        )
        if self.row:
            from pfdesk.services.meetings.actions import update_action

            seen = self.seen
            try:
                save_asking(self, lambda d: update_action(self.ctx, self.row.id, data,
                                                          identity=d, seen=seen))
            except EditConflict as e:
                self.seen = current_seen(e).values  # shown; OK again saves on top of it
                raise
        else:
            self.result_id = save_asking(self, lambda d: minutes.add_action(
                self.ctx, self.meeting_id, self.agenda_item_id, data, identity=d))


class ActionStatusDialog(_FormDialog):
    """Change 対応状況 of an action item; 完了 at this meeting closes it here."""

    def __init__(self, *, ctx: ServiceContext, row, meeting_id: int | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(_("対応状況の更新"), parent)
        self.ctx, self.row, self.meeting_id = ctx, row, meeting_id
        self.seen = row  # the item as shown: a save is refused when changed elsewhere since
        self.form.addRow(_("内容"), QLabel(row.description))
        self.status = code_combo(codes.ACTION_STATUSES, row.status)
        self.note = QPlainTextEdit(row.progress_note)
        self.note.setMaximumHeight(80)
        self.form.addRow(_("対応状況"), self.status)
        self.form.addRow(_("経過"), self.note)

    def save(self) -> None:
        """Save the status."""
        from pfdesk.services.meetings.actions import ActionUpdate, update_action_status

        closing = self.status.currentData() not in codes.OPEN_ACTION_STATUSES
        try:
            update_action_status(self.ctx, self.row.id, ActionUpdate(
                status=self.status.currentData(), progress_note=self.note.toPlainText(),
                closed_meeting_id=self.meeting_id if closing else None,
            ), seen=self.seen)
        except EditConflict as e:
            self.seen = current_seen(e).values  # shown; OK again saves on top of it
            raise


def ask_count(parent, label: str, value: int) -> QSpinBox:
    """A 0–9999 spin box (participant and observer counts)."""
    box = QSpinBox(parent)
    box.setRange(0, 9999)
    box.setValue(value)
    box.setAccessibleName(label)
    return box
