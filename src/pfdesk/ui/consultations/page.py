"""相談: 相談記録（ケース・支援経過・つなぎ・同意）."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

from pfdesk.core.i18n import _
from pfdesk.ui.page import Page, page_layout


class ConsultationsPage(Page):
    """相談記録（ケース・支援経過・つなぎ・同意）."""

    title = _("相談")

    def __init__(self, *, ctx, parent=None) -> None:
        super().__init__(ctx=ctx, parent=parent)
        layout = page_layout(self, _("相談"))
        layout.addWidget(QLabel(_("相談記録（ケース・支援経過・つなぎ・同意）")))
        layout.addStretch(1)
