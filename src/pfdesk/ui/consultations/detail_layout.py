"""Layout of the case screen: title, banners, the case's action buttons and the tabs.

Widgets only; :class:`pfdesk.ui.consultations.detail.CaseDetailView` fills them, says which
buttons a role sees and what they do.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from pfdesk.core.i18n import _
from pfdesk.services.context import ServiceContext
from pfdesk.ui.fit_layouts import FlowLayout
from pfdesk.ui.undo import UndoBar
from pfdesk.ui.window_fit import ScrollingTabWidget

_VOID_STYLE = "background:#fdecea; color:#8a1c1c; padding:6px; border:1px solid #e0a0a0;"
_DRAFT_STYLE = "background:#fff8d6; color:#5c4a00; padding:6px; border:1px solid #e6cf70;"


class CaseScreenLayout(QWidget):
    """← 一覧へ戻る and the title, 取り消し, the summary and banners, actions, tabs."""

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.back_button = QPushButton(_("← 一覧へ戻る"))
        self.title = QLabel("")
        f = self.title.font()
        f.setPointSizeF(f.pointSizeF() * 1.35)
        f.setBold(True)
        self.title.setFont(f)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addSpacing(12)
        top.addWidget(self.title, 1)
        outer.addLayout(top)
        # 「…を保存しました　［取り消し］」 for a short while after a save.
        self.undo_bar = UndoBar(ctx=ctx)
        outer.addWidget(self.undo_bar)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)  # 状況・性別・年代・主担当・受付日・相談件数: two lines if narrow
        outer.addWidget(self.summary)
        self.consent_banner = QLabel("")
        self.consent_banner.setObjectName("consentBanner")
        self.consent_banner.setWordWrap(True)
        outer.addWidget(self.consent_banner)
        self.void_banner = QLabel("")
        self.void_banner.setStyleSheet(_VOID_STYLE)
        self.void_banner.hide()
        outer.addWidget(self.void_banner)
        # A note typed before the PC froze or the app was closed is kept as a draft; say so
        # here, where the clerk comes back, not only inside the dialog that would offer it.
        self.draft_banner = QLabel("")
        self.draft_banner.setWordWrap(True)
        self.draft_banner.setStyleSheet(_DRAFT_STYLE)
        self.draft_banner.hide()
        outer.addWidget(self.draft_banner)

        self.quick_button = QPushButton(_("電話の簡易入力"))
        self.add_contact_button = QPushButton(_("経過を追加"))
        self.edit_button = QPushButton(_("ケースを編集"))
        self.status_button = QPushButton(_("状況を変更"))
        self.close_button = QPushButton(_("終結"))
        self.reopen_button = QPushButton(_("再開"))
        self.void_button = QPushButton(_("ケースを取消"))
        self.who_looked_button = QPushButton(_("このケースを見た人"))
        self.who_looked_button.setToolTip(_("このケースの閲覧・編集・印刷・書き出しの記録（監査ログ）"))
        self.write_buttons = [self.quick_button, self.add_contact_button, self.edit_button,
                              self.status_button, self.close_button, self.reopen_button,
                              self.void_button]
        # On a narrow window (125 %/150 % scaling) the buttons go on to a second line.
        actions = FlowLayout()
        for b in (*self.write_buttons, self.who_looked_button):
            actions.addWidget(b)
        outer.addLayout(actions)
        # A tab taller than the window (the 本人 tab's 18 rows at 150 %) scrolls inside it.
        self.tabs = ScrollingTabWidget()
        outer.addWidget(self.tabs, 1)
