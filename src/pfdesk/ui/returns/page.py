"""報告: 都道府県への報告（Excel）."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from pfdesk.core.i18n import _
from pfdesk.ui.page import Page, page_layout


class ReturnsPage(Page):
    """都道府県への報告（Excel）."""

    title = _("報告")

    def __init__(self, *, ctx, parent=None) -> None:
        super().__init__(ctx=ctx, parent=parent)
        layout = page_layout(self, _("報告"))
        layout.addWidget(QLabel(_("都道府県への報告（Excel）")))
        layout.addStretch(1)
