"""会議: 会議体・会議・出欠・議事録・宿題事項."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from pfdesk.core.i18n import _
from pfdesk.ui.page import Page, page_layout


class MeetingsPage(Page):
    """会議体・会議・出欠・議事録・宿題事項."""

    title = _("会議")

    def __init__(self, *, ctx, parent=None) -> None:
        super().__init__(ctx=ctx, parent=parent)
        layout = page_layout(self, _("会議"))
        layout.addWidget(QLabel(_("会議体・会議・出欠・議事録・宿題事項")))
        layout.addStretch(1)
