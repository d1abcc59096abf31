"""出欠 tab: the invitees with their snapshot of 所属・職名, responses, 遅参・早退 on the day."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.errors import KnownError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.services.context import ServiceContext
from pfdesk.services.meetings import attendance
from pfdesk.ui.errors import show_error
from pfdesk.ui.fit_layouts import FlowLayout, group
from pfdesk.ui.meetings.dialogs import ResponseDialog
from pfdesk.ui.meetings.models import AttendanceTableModel
from pfdesk.ui.meetings.ws_tab import WorkspaceTab
from pfdesk.ui.widgets import table_view


class AttendanceTab(WorkspaceTab):
    """Invitations and responses; one click for 出席 / 欠席 on the day."""

    def __init__(self, *, ctx: ServiceContext, meeting_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(ctx=ctx, meeting_id=meeting_id, parent=parent)
        layout = QVBoxLayout(self)
        self.summary = QLabel("")
        layout.addWidget(self.summary)
        self.model = AttendanceTableModel(self)
        self.table = table_view(self.model, resize=QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 1)
        row = FlowLayout(spacing=12)  # two lines on a narrow window (125 %/150 %)
        self.edit_btn = QPushButton(_("出欠を記録…"))
        self.present_btn = QPushButton(_("出席にする"))
        self.absent_btn = QPushButton(_("欠席にする"))
        self.invite_btn = QPushButton(_("委員を名簿に加える"))
        self.guest_btn = QPushButton(_("委員以外を追加…"))
        self.remove_btn = QPushButton(_("名簿から外す"))
        row.addWidget(group(self.edit_btn, self.present_btn, self.absent_btn))
        row.addWidget(group(self.invite_btn, self.guest_btn, self.remove_btn))
        layout.addLayout(row)
        hint = QLabel(_("行をダブルクリックすると、代理出席（氏名・職名）や遅参・早退、回答日を記録できます。"))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        writable = ctx.actor.can(Permission.MEETING_WRITE)
        for b in (self.edit_btn, self.present_btn, self.absent_btn, self.invite_btn,
                  self.guest_btn, self.remove_btn):
            b.setEnabled(writable)
        self.edit_btn.clicked.connect(self.edit_selected)
        if writable:
            self.table.doubleClicked.connect(lambda _i: self.edit_selected())
        self.present_btn.clicked.connect(lambda: self.quick("present"))
        self.absent_btn.clicked.connect(lambda: self.quick("absent"))
        self.invite_btn.clicked.connect(self.invite)
        self.guest_btn.clicked.connect(self.add_guest)
        self.remove_btn.clicked.connect(self.remove)

    def refresh(self) -> None:
        """Reload the list and the counts."""
        rows = attendance.list_attendance(self.ctx, self.meeting_id)
        self.model.set_rows(rows)
        count = {k: 0 for k in ("present", "online", "proxy", "absent", "pending")}
        for r in rows:
            count[r.response] = count.get(r.response, 0) + 1
        self.summary.setText(
            _("招集 {n} 人　出席 {p}（うちオンライン {o}・代理 {x}）　欠席 {a}　未回答 {q}").format(
                n=len(rows), p=count["present"] + count["online"] + count["proxy"],
                o=count["online"], x=count["proxy"], a=count["absent"], q=count["pending"],
            )
        )

    def _selected(self):
        return [self.model.row_at(i.row()) for i in self.table.selectionModel().selectedRows()]

    def edit_selected(self) -> None:
        """Open the response dialog for the selected person."""
        rows = self._selected()
        if not rows:
            return
        if ResponseDialog(ctx=self.ctx, row=rows[0], parent=self).exec():
            self._done()

    def quick(self, response: str) -> None:
        """Mark the selected people 出席 or 欠席 (today as the answer date if none)."""
        try:
            for r in self._selected():
                attendance.record_response(self.ctx, r.id, attendance.ResponseInput(
                    response=response, responded_on=r.responded_on, note=r.note,
                    late=r.late and response == "present",
                    left_early=r.left_early and response == "present",
                ), seen=r)
        except KnownError as e:
            show_error(self, e)
        self._done()

    def invite(self) -> None:
        """Add the body's current members missing from the list."""
        try:
            n = attendance.invite_members(self.ctx, self.meeting_id)
        except KnownError as e:
            show_error(self, e)
            return
        QMessageBox.information(
            self, _("委員を名簿に加える"),
            _("{n} 人を出欠名簿に加えました。").format(n=n) if n
            else _("在任中の委員は全員、すでに名簿にいます。"),
        )
        self._done()

    def add_guest(self) -> None:
        """Add a directory person or a guest typed by name."""
        people = []
        if self.ctx.actor.can(Permission.DIRECTORY_READ):
            people = attendance.guest_candidates(self.ctx)
        by_name = _("（名簿にない人を氏名で入力する）")
        by_org = _("（人を決めずに機関あてに招集する — 通知は「御中」）")
        special = [by_name] + ([by_org] if people else [])
        labels = special + [label for _pid, label in people]
        choice, ok = QInputDialog.getItem(self, _("委員以外を追加"), _("追加する人"), labels, 0,
                                          True)
        if not ok:
            return
        try:
            if choice == by_org:
                orgs = attendance.organization_candidates(self.ctx)
                names = [name for _oid, name in orgs]
                org, ok = QInputDialog.getItem(self, _("機関あてに招集"), _("招集する機関"),
                                               names, 0, False)
                if not ok or org not in names:
                    return
                attendance.add_attendee(self.ctx, self.meeting_id,
                                        organization_id=orgs[names.index(org)][0])
            elif choice in labels[len(special):]:
                pid = people[labels.index(choice) - len(special)][0]
                attendance.add_attendee(self.ctx, self.meeting_id, person_id=pid)
            else:
                name, ok = QInputDialog.getText(self, _("委員以外を追加"), _("氏名"))
                if not ok:
                    return
                aff, ok = QInputDialog.getText(self, _("委員以外を追加"), _("所属（任意）"))
                if not ok:
                    return
                attendance.add_attendee(self.ctx, self.meeting_id, name=name, affiliation=aff)
        except KnownError as e:
            show_error(self, e)
            self.refresh()  # shows who another PC added meanwhile
            return
        self._done()

    def remove(self) -> None:
        """Take the selected people off the list after asking."""
        rows = self._selected()
        if not rows:
            return
        names = "、".join(r.name or r.affiliation for r in rows)
        if QMessageBox.question(
            self, _("名簿から外す"), _("{names} を出欠名簿から外しますか？").format(names=names),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        ) != QMessageBox.StandardButton.Yes:
            return
        refused: list[KnownError] = []
        for r in rows:
            try:
                # The row as shown: one whose response another PC recorded since stays.
                attendance.remove_attendee(self.ctx, r.id, seen=r)
            except KnownError as e:
                refused.append(e)
        if refused:
            show_error(self, refused[0] if len(refused) == 1 else KnownError(
                "\n\n".join(e.user_text() for e in refused)))
        self._done()  # the list as it is now, with what another PC changed

