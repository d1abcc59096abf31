"""The 本人・家族 tab of a case: the person's cases across 年度, family who consulted, merges.

「同じ人のケースを結びつける」 merges two person records (nothing is deleted) so 実人数
counts the person once; 「家族を追加」 records a family member who consulted.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.core.wareki import format_date
from pfdesk.services.context import ServiceContext
from pfdesk.services.people import persons
from pfdesk.ui.consultations.dialogs import FormDialog


class LinkDialog(FormDialog):
    """同じ人のケースを結びつける: the other case's number and why."""

    def __init__(self, *, ctx: ServiceContext, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(_("同じ人のケースを結びつける"), _("結びつける"), parent)
        self.ctx, self.case_id = ctx, case_id
        self.set_intro(_("別のケース（前の年度の相談など）が同じ人のものであれば、番号を入力します。"
                         "2つの記録は1人にまとめられ、実人数で1人と数えます。"
                         "元の記録は消えず、統合の履歴として残ります。"))
        self.number = QLineEdit()
        self.number.setPlaceholderText(_("例: R7-0012"))
        self.reason = QLineEdit()
        self.form.addRow(_("同じ人のケース番号 *"), self.number)
        self.form.addRow(_("理由・確認したこと"), self.reason)

    def submit(self):
        return persons.link_same_person(self.ctx, self.case_id, self.number.text(),
                                        self.reason.text())


class FamilyDialog(FormDialog):
    """家族を追加: a family member already known on another case, or a new one."""

    def __init__(self, *, ctx: ServiceContext, case_id: int, known: tuple[persons.FamilyMember,
                 ...] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(_("相談した家族の追加"), _("追加する"), parent)
        self.ctx, self.case_id = ctx, case_id
        self.existing = QComboBox()
        self.existing.addItem(_("（新しく入力する）"), None)
        for f in known:
            self.existing.addItem(f"{f.name}（{f.relation}）", f.client_id)
        self.relation = QLineEdit()
        self.relation.setPlaceholderText(_("母、父、兄 など"))
        self.family_name, self.given_name = QLineEdit(), QLineEdit()
        self.family_kana, self.given_kana = QLineEdit(), QLineEdit()
        names = QHBoxLayout()
        for w, ph in ((self.family_name, _("姓")), (self.given_name, _("名")),
                      (self.family_kana, _("せい")), (self.given_kana, _("めい"))):
            w.setPlaceholderText(ph)
            names.addWidget(w)
        box = QWidget()
        box.setLayout(names)
        names.setContentsMargins(0, 0, 0, 0)
        self.form.addRow(_("ほかのケースの家族"), self.existing)
        self.form.addRow(_("続柄 *"), self.relation)
        self.form.addRow(_("氏名・ふりがな"), box)

    def submit(self):
        return persons.add_family_member(self.ctx, self.case_id, persons.FamilyInput(
            relation=self.relation.text(), family_name=self.family_name.text(),
            given_name=self.given_name.text(), family_kana=self.family_kana.text(),
            given_kana=self.given_kana.text(), existing_client_id=self.existing.currentData()))


class PeopleTab(QWidget):
    """The person behind the case; ``changed`` after a link or a family member is added."""

    changed = Signal()

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case_id: int | None = None
        self.person: persons.PersonView | None = None
        lay = QVBoxLayout(self)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        lay.addWidget(self.summary)
        row = QHBoxLayout()
        self.link_button = QPushButton(_("同じ人のケースを結びつける"))
        self.family_button = QPushButton(_("家族を追加"))
        can = ctx.actor.can(Permission.CASE_WRITE) and ctx.actor.can(Permission.CASE_IDENTIFY)
        for b in (self.link_button, self.family_button):
            b.setVisible(can)
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)
        self.link_button.clicked.connect(self.link)
        self.family_button.clicked.connect(self.add_family)
        self.view = QTextBrowser()
        lay.addWidget(self.view, 1)

    def load(self, case_id: int, *, editable: bool) -> None:
        """Show the person behind ``case_id``."""
        self.case_id = case_id
        p = self.person = persons.person_of_case(self.ctx, case_id)
        self.link_button.setEnabled(editable)
        self.family_button.setEnabled(editable)
        self.summary.setText(_("この人のケース: {n} 件（実人数では1人と数えます）").format(
            n=len(p.cases)))
        rows = [f"<h3>{escape(_('この人のケース'))}</h3><table>"]
        for c in p.cases:
            mark = _("（このケース）") if c.case_id == case_id else ""
            rows.append(f"<tr><td>{escape(c.case_number)}{escape(mark)}</td>"
                        f"<td>{escape(format_date(c.intake_date))}</td>"
                        f"<td>{escape(c.status_label)}</td></tr>")
        rows.append(f"</table><h3>{escape(_('相談した家族'))}</h3>")
        if not p.family:
            rows.append(f"<p>{escape(_('なし'))}</p>")
        for f in p.family:
            rows.append(f"<p>{escape(f.name)}（{escape(f.relation)}）　"
                        f"{escape('・'.join(f.case_numbers))}</p>")
        if p.merged:
            rows.append(f"<h3>{escape(_('統合の履歴'))}</h3>")
            for m in p.merged:
                day = format_date(m.merged_on) if m.merged_on else ""
                rows.append(f"<p>{escape(day)}　{escape(m.name)}　{escape(m.reason)}"
                            f"　{escape(m.merged_by)}</p>")
        self.view.setHtml("".join(rows))

    def _case(self) -> int:
        """The case shown (the buttons act only after :meth:`load`)."""
        assert self.case_id is not None
        return self.case_id

    def _run(self, dialog: QDialog) -> None:
        if dialog.exec():
            self.changed.emit()

    def link(self) -> None:
        """同じ人のケースを結びつける."""
        self._run(LinkDialog(ctx=self.ctx, case_id=self._case(), parent=self))

    def add_family(self) -> None:
        """家族を追加 (offering the family already known on the person's other cases)."""
        known = self.person.family if self.person else ()
        self._run(FamilyDialog(ctx=self.ctx, case_id=self._case(), known=known, parent=self))
