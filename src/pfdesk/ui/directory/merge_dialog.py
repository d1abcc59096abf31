"""統合: choose which of two records of the same person or organization to keep."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.errors import KnownError
from pfdesk.core.i18n import _
from pfdesk.services.context import ServiceContext
from pfdesk.services.directory.merge import MergeResult, merge_organizations, merge_people
from pfdesk.ui.errors import show_error
from pfdesk.ui.widgets import dialog_buttons


class MergeDialog(QDialog):
    """Merge two records: ``kind`` is "person" or "organization"; ``a``/``b`` are list rows."""

    def __init__(self, *, ctx: ServiceContext, kind: str, a, b,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.kind, self.a, self.b = ctx, kind, a, b
        self.result_info: MergeResult | None = None
        self.setWindowTitle(_("重複した記録の統合"))
        layout = QVBoxLayout(self)
        what = _("担当者") if kind == "person" else _("関係機関")
        text = QLabel(_(
            "同じ{what}が2件登録されているときに、1件にまとめます。残す方を選んでください。\n"
            "もう一方の在任履歴・会議体・会議の出欠・つなぎ先などの記録はすべて残す方に移り、"
            "空いている項目は補われます。もう一方の記録は統合済みとして残ります（削除はしません）。"
        ).format(what=what))
        text.setWordWrap(True)
        layout.addWidget(text)
        self.group = QButtonGroup(self)
        self.keep_a = QRadioButton(self._describe(a))
        self.keep_b = QRadioButton(self._describe(b))
        self.keep_a.setChecked(True)
        for i, r in enumerate((self.keep_a, self.keep_b)):
            self.group.addButton(r, i)
            layout.addWidget(r)
        layout.addWidget(dialog_buttons(self, _("統合する"), on_ok=self.merge))

    def _describe(self, r) -> str:
        if self.kind == "person":
            where = " ".join(x for x in (r.organization_name, r.title) if x)
            return _("{name}（{kana}）{where} を残す").format(name=r.full_name, kana=r.full_kana,
                                                        where=where)
        return _("{name}（{kana}）{phone} を残す").format(name=r.name, kana=r.name_kana,
                                                     phone=r.phone)

    def merge(self) -> None:
        """Merge into the chosen record."""
        keep, other = (self.a, self.b) if self.keep_a.isChecked() else (self.b, self.a)
        fn = merge_people if self.kind == "person" else merge_organizations
        try:
            self.result_info = fn(self.ctx, keep.id, other.id)
        except KnownError as e:
            show_error(self, e)
            return
        self.accept()
