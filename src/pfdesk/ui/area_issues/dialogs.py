"""地域課題を設定: checkboxes of the list, and a line to add the secretariat's own issue."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QMessageBox, QPushButton, QWidget

from pfdesk.core.codes import CodeList
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.services.area_issues import tags
from pfdesk.services.context import ServiceContext
from pfdesk.ui.consultations.dialogs import FormDialog
from pfdesk.ui.consultations.fields import CodeChecks
from pfdesk.ui.errors import show_error


class IssuesDialog(FormDialog):
    """Choose the 地域課題 of one case or agenda item; ``save`` stores the chosen keys."""

    def __init__(self, *, ctx: ServiceContext, what: str, current: Sequence[str],
                 save: Callable[[tuple[str, ...]], object], parent: QWidget | None = None):
        super().__init__(_("地域課題の設定"), _("保存"), parent)
        self.ctx, self.save = ctx, save
        self.chosen: tuple[str, ...] = ()
        self.set_intro(_("{what} から見えた地域の課題を選びます。全体会の「地域課題の集計」で"
                         "年度ごとに数えます。").format(what=what))
        self.checks_box = QWidget()
        self.checks_layout = QHBoxLayout(self.checks_box)
        self.checks_layout.setContentsMargins(0, 0, 0, 0)
        self.checks: CodeChecks | None = None
        self._fill(tuple(current))
        self.new_issue = QLineEdit()
        self.new_issue.setPlaceholderText(_("例: 夜間に相談できる場がない"))
        add = QPushButton(_("一覧に追加"))
        add.clicked.connect(self.add_issue)
        row = QWidget()
        lay = QHBoxLayout(row)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.new_issue, 1)
        lay.addWidget(add)
        row.setVisible(ctx.actor.can(Permission.MEETING_WRITE))
        self.form.addRow(_("地域課題"), self.checks_box)
        self.form.addRow(_("新しい地域課題"), row)

    def _fill(self, chosen: tuple[str, ...]) -> None:
        if self.checks is not None:
            self.checks_layout.removeWidget(self.checks)
            self.checks.deleteLater()
        items = tuple((i.key, i.label) for i in tags.list_issues(self.ctx))
        self.checks = CodeChecks(CodeList(_("地域課題"), items), columns=2)
        self.checks.set_value(chosen)
        self.checks_layout.addWidget(self.checks)

    def add_issue(self) -> None:
        """Add the typed issue to the list (checked at once)."""
        try:
            issue = tags.add_issue(self.ctx, self.new_issue.text())
        except Exception as e:  # noqa: BLE001 - shown; what was typed stays
            show_error(self, e)
            return
        chosen = (*self.checks.value(), issue.key) if self.checks else (issue.key,)
        self._fill(chosen)
        self.new_issue.clear()

    def submit(self):
        self.chosen = tuple(self.checks.value() if self.checks else ())
        return self.save(self.chosen)

    def after_saved(self) -> None:
        """Say so when another PC changed the tags meanwhile and its change was kept."""
        note = merge_note(self.chosen, self.result_value,
                          {i.key: i.label for i in tags.list_issues(self.ctx)})
        if note:
            QMessageBox.information(self, _("地域課題の設定"), note)


def merge_note(chosen: Sequence[str], stored: object, labels: dict[str, str]) -> str:
    """What the save kept from another PC's change (empty when it stored just the choice)."""
    if not isinstance(stored, tuple):
        return ""
    stored = tuple(str(k) for k in stored)
    kept = [labels.get(k, k) for k in stored if k not in chosen]
    gone = [labels.get(k, k) for k in chosen if k not in stored]
    if not (kept or gone):
        return ""
    lines = [_("この画面を開いた後に、ほかのパソコンか画面で地域課題が変更されていました。"
               "あなたの選択と合わせて保存しました。")]
    if kept:
        lines.append(_("ほかで付けられたため残した地域課題: {t}").format(t="、".join(kept)))
    if gone:
        lines.append(_("ほかで外されたため外した地域課題: {t}").format(t="、".join(gone)))
    lines.append(_("付いている地域課題: {t}").format(
        t="、".join(labels.get(k, k) for k in stored) or _("（なし）")))
    return "\n".join(lines)
