"""関係機関: 関係機関・担当者の名簿."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from pfdesk.core.i18n import _
from pfdesk.ui.page import Page, page_layout


class DirectoryPage(Page):
    """関係機関・担当者の名簿."""

    title = _("関係機関")

    def __init__(self, *, ctx, parent=None) -> None:
        super().__init__(ctx=ctx, parent=parent)
        layout = page_layout(self, _("関係機関"))
        layout.addWidget(QLabel(_("関係機関・担当者の名簿")))
        layout.addStretch(1)
