"""The person form (姓・名 with ふりがな, contact, posts, 会議体) and the post form."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.errors import EditConflict, KnownError, ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.core.wareki import parse_date
from pfdesk.services import undo
from pfdesk.services.context import ServiceContext
from pfdesk.services.directory.organizations import organization_choices
from pfdesk.services.directory.people import (
    add_post,
    create_person,
    delete_person,
    delete_post,
    end_post,
    get_person,
    get_post,
    update_person,
    update_post,
)
from pfdesk.services.directory.types import PersonInput, PostInput
from pfdesk.services.edit_versions import Seen, current_seen
from pfdesk.ui.directory.fields import (
    CheckedLineEdit,
    DateEdit,
    FormErrors,
    delete_ok,
    discard_ok,
    save_buttons,
)
from pfdesk.ui.directory.models import MembershipsModel, PostsModel
from pfdesk.ui.errors import show_error
from pfdesk.ui.fit_layouts import FlowLayout
from pfdesk.ui.fit_layouts import group as button_group
from pfdesk.ui.undo import UndoBar
from pfdesk.ui.widgets import table_view
from pfdesk.ui.window_fit import VerticalScroll


class OrganizationPicker(QComboBox):
    """Pick an organization by typing part of its name (or reading)."""

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for c in organization_choices(ctx):
            self.addItem(c.name, c.id)
            self.setItemData(self.count() - 1, c.name_kana, Qt.ItemDataRole.ToolTipRole)
        self.setCurrentIndex(-1)
        line = self.lineEdit()
        assert line is not None  # editable
        line.setPlaceholderText(_("機関名の一部を入力して選択"))
        completer = self.completer()
        assert completer is not None  # an editable combo box has one
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)

    def org_id(self) -> int | None:
        """The chosen organization, or None when the text names none."""
        i = self.findText(self.currentText().strip())
        return self.itemData(i) if i >= 0 else None

    def set_org(self, org_id: int | None) -> None:
        """Select ``org_id``."""
        self.setCurrentIndex(self.findData(org_id) if org_id else -1)


class PostFields(QWidget):
    """所属・部署・職名・在任期間 and desk contact: used in the post form and for a new person."""

    def __init__(self, ctx: ServiceContext, *, full: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.org = OrganizationPicker(ctx)
        self.department, self.title_edit = QLineEdit(), QLineEdit()
        self.start_on, self.end_on = DateEdit(), DateEdit()
        self.phone, self.email = CheckedLineEdit("phone"), CheckedLineEdit("email")
        self.edits: dict[str, QWidget] = {
            "organization_id": self.org, "department": self.department, "title": self.title_edit,
            "start_on": self.start_on, "end_on": self.end_on, "phone": self.phone,
            "email": self.email,
        }
        self.department.setPlaceholderText(_("例: 地域福祉係"))
        self.title_edit.setPlaceholderText(_("例: 係長"))
        self.phone.setPlaceholderText(_("直通の電話（例: 0889-52-0124）"))
        self.contact = QCheckBox(_("この所属の担当窓口"))
        self.contact.setChecked(True)
        rows = [("organization_id", _("所属")), ("department", _("部署")),
                ("title", _("職名")), ("start_on", _("着任日"))]
        if full:
            rows += [("end_on", _("退任日")), ("phone", _("電話（直通）")),
                     ("email", _("メール（職場）"))]
        for key, label in rows:
            form.addRow(label, self.edits[key])
        if full:
            form.addRow("", self.contact)

    def check(self) -> bool:
        """Normalize the checked fields; False if one cannot be read."""
        return all(w.check() for w in self.edits.values() if isinstance(w, CheckedLineEdit))

    def typed_without_org(self) -> bool:
        """Whether post details were typed while no 所属 is chosen."""
        return not self.org.currentText().strip() and any(
            w.text().strip() for k, w in self.edits.items()
            if k != "organization_id" and isinstance(w, QLineEdit))

    def value(self, person_id: int = 0) -> PostInput:
        """The post entered; raises ValidationError naming a missing 所属 or a bad date."""
        org_id = self.org.org_id()
        if org_id is None:
            raise ValidationError(_("所属が選ばれていません。"), field="organization_id",
                                  hint=_("一覧にない機関は、先に「関係機関」で登録してください。"))
        return PostInput(
            person_id=person_id, organization_id=org_id, department=self.department.text(),
            title=self.title_edit.text(), start_on=self.start_on.date(),
            end_on=self.end_on.date(), phone=self.phone.text(), email=self.email.text(),
            is_contact=self.contact.isChecked(),
        )


class PostDialog(QDialog):
    """Add a post to a person, or correct one."""

    def __init__(self, *, ctx: ServiceContext, person_id: int, post_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.person_id, self.post_id = ctx, person_id, post_id
        self.saved_offer: undo.Undo | None = None  # the post saved, to be taken back
        self.setWindowTitle(_("所属・職名の追加") if post_id is None else _("所属・職名の修正"))
        layout = QVBoxLayout(self)
        self.fields = PostFields(ctx)
        layout.addWidget(self.fields)
        self.errors = FormErrors()
        layout.addWidget(self.errors)
        layout.addWidget(save_buttons(self, self.save))
        self.seen: Seen | None = None
        if post_id is not None:
            p = get_post(ctx, post_id)
            self.seen = Seen(p.version, p)  # a save refused when another PC saved since
            f = self.fields
            f.org.set_org(p.organization_id)
            f.department.setText(p.department)
            f.title_edit.setText(p.title)
            f.start_on.set_date(p.start_on)
            f.end_on.set_date(p.end_on)
            f.phone.setText(p.phone)
            f.email.setText(p.email)
            f.contact.setChecked(p.is_contact)

    def save(self) -> bool:
        """Store the post; problems are shown under the form."""
        if not self.fields.check():
            return False
        try:
            data = self.fields.value(self.person_id)
            if self.post_id is None:
                self.post_id = add_post(self.ctx, data)
                self.saved_offer = undo.post_added(
                    self.post_id, undo.post_input(get_post(self.ctx, self.post_id)))
            else:
                before = undo.post_input(get_post(self.ctx, self.post_id))
                update_post(self.ctx, self.post_id, data, seen=self.seen)
                after = undo.post_input(get_post(self.ctx, self.post_id))
                if after != before:  # offered by the person's form
                    self.saved_offer = undo.post_edited(self.post_id, before, after)
        except ValidationError as e:
            self.errors.show_error(e, self.fields.edits)
            return False
        except EditConflict as e:
            self.seen = current_seen(e)  # shown, the form kept; the next save goes on top
            show_error(self, e)
            return False
        self.accept()
        return True


class PersonDialog(QDialog):
    """Create (with a first post) or edit a person; shows posts and 会議体 seats."""

    def __init__(self, *, ctx: ServiceContext, person_id: int | None = None,
                 org_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.person_id = ctx, person_id
        self.saved_offer: undo.Undo | None = None  # the edit saved, to be taken back
        self.setWindowTitle(_("担当者の登録") if person_id is None else _("担当者の編集"))
        self.resize(820, 680)
        layout = QVBoxLayout(self)
        # 「所属・職名を追加しました　［取り消し］」 after a post saved from this form.
        self.undo_bar = UndoBar(ctx=ctx)
        layout.addWidget(self.undo_bar)
        # Everything above 保存 scrolls inside the form when the screen is short (150 %).
        body = QWidget()
        body_layout = QVBoxLayout(body)
        body_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        form = QFormLayout()
        self.note = QPlainTextEdit()
        self.edits: dict[str, QLineEdit | QPlainTextEdit] = {
            "family_name": QLineEdit(), "given_name": QLineEdit(),
            "family_kana": CheckedLineEdit("reading"), "given_kana": CheckedLineEdit("reading"),
            "phone": CheckedLineEdit("phone"), "email": CheckedLineEdit("email"),
            "note": self.note,
        }
        e = self.edits
        e["family_name"].setPlaceholderText(_("例: 髙橋（異体字もそのまま）"))
        e["family_kana"].setPlaceholderText(_("例: たかはし"))
        e["phone"].setPlaceholderText(_("個人の連絡先（任意）"))
        e["note"].setFixedHeight(50)
        self.note.setTabChangesFocus(True)
        names = QHBoxLayout()
        names.addWidget(e["family_name"])
        names.addWidget(e["given_name"])
        kanas = QHBoxLayout()
        kanas.addWidget(e["family_kana"])
        kanas.addWidget(e["given_kana"])
        form.addRow(_("氏名（姓・名）"), names)
        form.addRow(_("ふりがな（姓・名）"), kanas)
        form.addRow(_("電話"), e["phone"])
        form.addRow(_("メール"), e["email"])
        form.addRow(_("備考"), e["note"])
        top.addLayout(form, 1)
        body_layout.addLayout(top)
        self.first_post: PostFields | None = None
        if person_id is None:
            group = QGroupBox(_("所属"))
            gl = QVBoxLayout(group)
            self.first_post = PostFields(ctx, full=False)
            self.first_post.org.set_org(org_id)
            gl.addWidget(self.first_post)
            body_layout.addWidget(group)
            self.resize(720, 440)
        self.errors = FormErrors()
        body_layout.addWidget(self.errors)
        for w in e.values():
            if isinstance(w, CheckedLineEdit):
                w.problem.connect(lambda _m: self.errors.show_field_problems(self.edits))
        self.posts = PostsModel(self)
        self.memberships = MembershipsModel(self)
        if person_id is not None:
            body_layout.addWidget(QLabel(_("所属・職名の履歴（在任期間）")))
            self.posts_view = table_view(self.posts, single=True)
            body_layout.addWidget(self.posts_view, 1)
            # The post actions, then the person's own: on a narrow form the last button
            # goes to a line of its own.
            row = FlowLayout(spacing=12)
            buttons = []
            for text, slot in ((_("所属を追加…"), self.add_post),
                               (_("選んだ所属を修正…"), self.edit_post),
                               (_("選んだ所属を退任…"), self.end_post),
                               (_("選んだ所属を削除"), self.delete_post),
                               (_("この人を削除（誤登録のとき）"), self.delete_person)):
                b = QPushButton(text)
                b.clicked.connect(slot)
                b.setEnabled(ctx.actor.can(Permission.DIRECTORY_WRITE))
                buttons.append(b)
            row.addWidget(button_group(*buttons[:2]))
            row.addWidget(button_group(*buttons[2:4]))
            row.addWidget(button_group(buttons[4]))
            body_layout.addLayout(row)
            body_layout.addWidget(QLabel(_("会議体（委嘱は「会議」で管理します）")))
            self.memberships_view = table_view(self.memberships, single=True)
            body_layout.addWidget(self.memberships_view)
        if person_id is None:
            body_layout.addStretch(1)  # the fields stay together at the top
        layout.addWidget(VerticalScroll(body), 1)
        box = save_buttons(self, self.save)
        box.button(QDialogButtonBox.StandardButton.Save).setEnabled(
            ctx.actor.can(Permission.DIRECTORY_WRITE))
        layout.addWidget(box)
        self._loaded = self.value()
        if person_id is not None:
            self.load()
            self.undo_bar.changed.connect(self.load)
        e["family_name"].setFocus()

    def load(self) -> None:
        """Fill the form, posts and seats from the store."""
        d = get_person(self.ctx, self._person_id())
        for key, w in self.edits.items():
            value = getattr(d.data, key)
            if isinstance(w, QPlainTextEdit):
                w.setPlainText(value)
            else:
                w.setText(value)
        self.posts.set_records(d.posts)
        self.memberships.set_records(d.memberships)
        self.posts_view.resizeColumnsToContents()
        self.memberships_view.resizeColumnsToContents()
        self._loaded = self.value()
        self.seen = Seen(d.version, d.data)  # a save refused when another PC saved since

    def _person_id(self) -> int:
        """The person shown (the post and delete buttons exist only once it is stored)."""
        assert self.person_id is not None
        return self.person_id

    def value(self) -> PersonInput:
        """What is typed now."""
        vals = {k: (w.toPlainText() if isinstance(w, QPlainTextEdit) else w.text())
                for k, w in self.edits.items()}
        return PersonInput(**vals)

    def save(self) -> bool:
        """Check and store; the form stays open with the problem marked."""
        bad = [w for w in self.edits.values() if isinstance(w, CheckedLineEdit) and not w.check()]
        if bad or (self.first_post is not None and not self.first_post.check()):
            (bad[0] if bad else self).setFocus()
            return False
        edits: dict[str, QWidget] = dict(self.edits)
        try:
            if self.person_id is None:
                post = None
                if self.first_post is not None:
                    edits |= self.first_post.edits
                    if self.first_post.org.currentText().strip():
                        post = self.first_post.value()
                    elif self.first_post.typed_without_org():
                        # 着任日・部署・職名 belong to a 所属: never drop them silently.
                        raise ValidationError(
                            _("着任日・部署・職名を記録するには「所属」を選んでください。"),
                            field="organization_id",
                            hint=_("所属がまだ決まっていない場合は、着任日・部署・職名を空にして"
                                   "保存し、あとから「所属を追加…」で記録します。"))
                self.person_id = create_person(self.ctx, self.value(), post)
            else:
                before = get_person(self.ctx, self.person_id).data
                update_person(self.ctx, self.person_id, self.value(), seen=self.seen)
                after = get_person(self.ctx, self.person_id).data
                if after != before:  # offered by the page: 「…を保存しました　［取り消し］」
                    self.saved_offer = undo.person_edited(self.person_id, before, after)
        except ValidationError as e:
            self.errors.show_error(e, edits)
            return False
        except EditConflict as e:
            self.seen = current_seen(e)  # shown, the form kept; the next save goes on top
            show_error(self, e)
            return False
        self.accept()
        return True

    def reject(self) -> None:
        """Close; ask first if typed text would be lost."""
        if self.value() != self._loaded and not discard_ok(self):
            return
        super().reject()

    def _selected_post(self):
        rows = self.posts_view.selectionModel().selectedRows()
        if not rows:
            QMessageBox.information(self, _("所属"), _("一覧から所属を選んでください。"))
            return None
        return self.posts.record(rows[0].row())

    def add_post(self) -> None:
        """A new 所属 or 職名 (異動): the earlier post stays in the history."""
        self._run_post(PostDialog(ctx=self.ctx, person_id=self._person_id(), parent=self))

    def _run_post(self, dlg: PostDialog) -> None:
        if dlg.exec():
            self.load()
            if dlg.saved_offer is not None:
                self.undo_bar.offer(dlg.saved_offer)

    def edit_post(self) -> None:
        """Correct the selected post."""
        post = self._selected_post()
        if post:
            self._run_post(PostDialog(ctx=self.ctx, person_id=self._person_id(),
                                      post_id=post.id, parent=self))

    def end_post(self) -> None:
        """Enter the last day of the selected post."""
        post = self._selected_post()
        if not post:
            return
        text, ok = QInputDialog.getText(
            self, _("退任"), _("「{org}」の退任日（最後の在任日）:").format(
                org=post.organization_name), text="")
        if not ok:
            return
        try:
            before = undo.post_input(get_post(self.ctx, post.id))
            end_post(self.ctx, post.id, parse_date(text))
            after = undo.post_input(get_post(self.ctx, post.id))
        except KnownError as e:
            show_error(self, e)
            return
        self.load()
        if after != before:
            self.undo_bar.offer(undo.post_edited(post.id, before, after, ended=True))

    def delete_post(self) -> None:
        """Remove a post entered by mistake (a transfer is recorded by 退任 instead)."""
        post = self._selected_post()
        if post and delete_ok(self, _("「{org}」の在任の記録を削除しますか？\n異動・退任の場合は"
                                      "削除せず「退任」で終了日を入れてください。").format(
                                          org=post.organization_name)):
            try:
                delete_post(self.ctx, post.id)
            except KnownError as e:
                show_error(self, e)
            self.load()

    def delete_person(self) -> None:
        """Delete a person entered by mistake; refused once meetings or seats refer to them."""
        if not delete_ok(self, _("この人の記録を削除しますか？（誤って登録した場合だけ使います）")):
            return
        try:
            delete_person(self.ctx, self._person_id())
        except KnownError as e:
            show_error(self, e)
            return
        self._loaded = self.value()
        self.done(QDialog.DialogCode.Accepted)

