"""会議体の編集: name, kind, 公開区分, 回次の数え方, 根拠, 事務局, and members from the directory."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core import codes
from pfdesk.core.errors import EditConflict, KnownError, ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.services.context import ServiceContext
from pfdesk.services.meetings import bodies
from pfdesk.ui.errors import show_error
from pfdesk.ui.fields import DateLine, code_combo
from pfdesk.ui.meetings.models import MemberTableModel
from pfdesk.ui.window_fit import VerticalScroll


class BodyEditor(QDialog):
    """Create or edit a body; members can be added once the body exists."""

    def __init__(self, *, ctx: ServiceContext, body_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.body_id = ctx, body_id
        self.setWindowTitle(_("会議体の編集") if body_id else _("新しい会議体"))
        self.resize(900, 680)
        layout = QVBoxLayout(self)
        # The form and the members scroll together when the screen is short (150 %).
        body = QWidget()
        content = QVBoxLayout(body)
        content.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        self.name = QLineEdit()
        self.kind = code_combo(codes.BODY_KINDS, "practitioners")
        self.publicity = code_combo(codes.PUBLICITY, "closed")
        self.numbering = code_combo(codes.NUMBERING, "fiscal")
        self.planned = QSpinBox()
        self.planned.setRange(0, 99)
        self.planned.setSuffix(_(" 回／年"))
        self.secretariat = QLineEdit()
        self.basis = QPlainTextEdit()
        self.basis.setMaximumHeight(60)
        self.basis.setPlaceholderText(_("例: みどり川町ひきこもり支援ネットワーク設置要綱 第6条"))
        self.active = QCheckBox(_("使用中（外すと新しい会議の選択肢に出ません）"))
        self.active.setChecked(True)
        for label, w in (
            (_("会議体名"), self.name), (_("種類"), self.kind), (_("公開区分（既定）"), self.publicity),
            (_("回次の数え方"), self.numbering), (_("年間開催予定"), self.planned),
            (_("事務局（担当課）"), self.secretariat), (_("根拠（要綱など）"), self.basis),
            ("", self.active),
        ):
            form.addRow(label, w)
        content.addLayout(form)

        box = QGroupBox(_("委員（関係機関名簿から選びます）"))
        inner = QVBoxLayout(box)
        self.members = MemberTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.members)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        inner.addWidget(self.table)
        add = QHBoxLayout()
        self.candidate = QComboBox()
        self.candidate.setEditable(True)
        self.candidate.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        # Sized by a typical name, not by the longest of hundreds of entries (which made the
        # dialog wider than a 125 % screen); the list that drops down shows them in full.
        self.candidate.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.candidate.setMinimumContentsLength(24)
        self.role = code_combo(codes.BODY_ROLES, "member")
        self.start_on = DateLine(_("委嘱期間の開始"))
        self.end_on = DateLine(_("委嘱期間の終了"))
        # Short examples; DateLine keeps room for a whole 和暦 date (令和 stays in sight).
        self.start_on.setPlaceholderText(_("開始 例: R8.4.1"))
        self.end_on.setPlaceholderText(_("終了 例: R10.3.31"))
        self.add_btn = QPushButton(_("委員に追加"))
        self.end_btn = QPushButton(_("選んだ委員の任期を終える…"))
        self.remove_btn = QPushButton(_("選んだ委員を削除"))
        add.addWidget(self.candidate, 1)
        add.addWidget(self.role)
        inner.addLayout(add)
        term = QHBoxLayout()  # a line of its own: the dialog fits a 125 %/150 % screen
        term.addWidget(QLabel(_("委嘱")))
        term.addWidget(self.start_on, 1)
        term.addWidget(QLabel("～"))
        term.addWidget(self.end_on, 1)
        term.addWidget(self.add_btn)
        inner.addLayout(term)
        row2 = QHBoxLayout()
        row2.addStretch(1)
        row2.addWidget(self.end_btn)
        row2.addWidget(self.remove_btn)
        inner.addLayout(row2)
        self.members_hint = QLabel("")
        inner.addWidget(self.members_hint)
        content.addWidget(box, 1)
        layout.addWidget(VerticalScroll(body), 1)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close
        )
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("会議体を保存"))
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("閉じる"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.accept)
        layout.addWidget(buttons)
        self.add_btn.clicked.connect(self.add_member)
        self.end_btn.clicked.connect(self.end_member)
        self.remove_btn.clicked.connect(self.remove_member)
        self.writable = ctx.actor.can(Permission.MEETING_WRITE)
        buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(self.writable)
        if ctx.actor.can(Permission.DIRECTORY_READ):
            for c in bodies.member_candidates(ctx):
                self.candidate.addItem(f"{c.name}（{c.affiliation}　{c.title}）",
                                       (c.person_id, c.organization_id))
        self.candidate.setCurrentIndex(-1)
        line = self.candidate.lineEdit()
        assert line is not None  # the candidate list is editable (searchable)
        line.setPlaceholderText(_("氏名・所属で探す"))
        self._loaded: bodies.BodyInput | None = None
        # The body as shown: a save is refused when another PC changed it since.
        self._seen: bodies.BodyInput | None = None
        self._note = ""  # 備考 has no field here; a save keeps the stored one
        self.load()
        self._loaded = self._input()

    def is_dirty(self) -> bool:
        """True when the body's fields hold changes not yet saved."""
        return self.writable and self._loaded is not None and self._input() != self._loaded

    def done(self, code: int) -> None:  # noqa: D102 - QDialog API
        # 閉じる, Esc and the window's × all end here: offer to save typed fields first.
        if self.is_dirty():
            answer = QMessageBox.question(
                self, _("会議体の変更"),
                _("会議体（名称・根拠など）の変更がまだ保存されていません。保存してから閉じますか？"),
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Save,
            )
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Save and not self.save():
                return
        super().done(code)

    def load(self) -> None:
        """Show the body's fields and members."""
        body_id = self.body_id
        has_body = body_id is not None
        for w in (self.candidate, self.role, self.start_on, self.end_on, self.add_btn,
                  self.end_btn, self.remove_btn):
            w.setEnabled(has_body and self.writable)
        if body_id is None:
            self.members_hint.setText(_("委員は、会議体を保存してから追加できます。"))
            return
        d = bodies.get_body(self.ctx, body_id)
        b = d.body
        self.members.set_rows(d.members)
        self.members_hint.setText(
            _("在任中の委員 {n} 人。新しい会議には在任中の委員が出欠名簿に入ります。").format(
                n=b.member_count)
        )
        if self.is_dirty():  # adding a member must not wipe what is being typed above
            return
        self.name.setText(b.name)
        for box, key in ((self.kind, b.kind), (self.publicity, b.default_publicity),
                         (self.numbering, b.numbering)):
            box.setCurrentIndex(max(0, box.findData(key)))
        self.planned.setValue(b.planned_per_year)
        self.secretariat.setText(b.secretariat)
        self.basis.setPlainText(b.basis)
        self.active.setChecked(b.active)
        self._note = b.note
        self._seen = bodies.body_seen(b)
        self._loaded = self._input()

    def _input(self) -> bodies.BodyInput:
        return bodies.BodyInput(
            name=self.name.text(), kind=self.kind.currentData(),
            default_publicity=self.publicity.currentData(),
            numbering=self.numbering.currentData(), basis=self.basis.toPlainText(),
            planned_per_year=self.planned.value(), secretariat=self.secretariat.text(),
            active=self.active.isChecked(), note=self._note,
        )

    def save(self) -> bool:
        """Save the body's fields (creating it the first time); False if refused."""
        try:
            if self.body_id is None:
                self.body_id = bodies.create_body(self.ctx, self._input())
                self.setWindowTitle(_("会議体の編集"))
            else:
                bodies.update_body(self.ctx, self.body_id, self._input(), seen=self._seen)
        except EditConflict as e:
            # The typed fields stay; the next save knowingly goes on top of the body as now.
            show_error(self, e)
            assert self.body_id is not None  # only an existing body conflicts
            self._seen = bodies.body_seen(bodies.get_body(self.ctx, self.body_id).body)
            self.load()
            return False
        except KnownError as e:
            show_error(self, e)
            return False
        self._loaded = None
        self.load()
        return True

    def _selected(self):
        rows = self.table.selectionModel().selectedRows()
        return self.members.row_at(rows[0].row()) if rows else None

    def add_member(self) -> None:
        """Seat the chosen directory person."""
        try:
            data = self.candidate.currentData()
            if self.candidate.currentIndex() < 0 or data is None:
                raise ValidationError(_("追加する人を一覧から選んでください。"))
            person_id, org_id = data
            assert self.body_id is not None  # the button is enabled once the body is saved
            bodies.add_member(self.ctx, self.body_id, bodies.MemberInput(
                person_id=person_id, organization_id=org_id, role=self.role.currentData(),
                start_on=self.start_on.value(), end_on=self.end_on.value(),
            ))
        except KnownError as e:
            show_error(self, e)
            self.load()  # a seat another PC added meanwhile appears (the choice stays)
            return
        self.candidate.setCurrentIndex(-1)
        self.load()

    def end_member(self) -> None:
        """End the selected member's term on the date typed in 委嘱期間の終了."""
        m = self._selected()
        try:
            if m is None:
                raise ValidationError(_("任期を終える委員を一覧で選んでください。"))
            end = self.end_on.value()
            if end is None:
                raise ValidationError(_("「委嘱期間の終了」に任期の最後の日を入力してください。"))
            bodies.update_member(self.ctx, m.id, bodies.MemberInput(
                person_id=m.person_id, organization_id=m.organization_id, role=m.role,
                start_on=m.start_on, end_on=end, note=m.note,
            ), seen=m)
        except KnownError as e:
            show_error(self, e)
            # After a conflict the list shows the seat as it is now (the typed end date
            # stays), so pressing again ends the term on top of the other PC's change.
            self.load()
            return
        self.load()

    def remove_member(self) -> None:
        """Delete a seat entered by mistake."""
        m = self._selected()
        if m is None:
            return
        if QMessageBox.question(
            self, _("委員の削除"),
            _("{name} さんを委員から削除しますか？\n任期が終わった場合は「任期を終える」を使うと、"
              "過去の会議の記録と合います。").format(name=m.name),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        ) != QMessageBox.StandardButton.Yes:
            return
        try:
            # The seat as shown: one another PC changed or removed since is not deleted.
            bodies.remove_member(self.ctx, m.id, seen=m)
        except KnownError as e:
            show_error(self, e)
        self.load()  # the members as they are now
