"""What every page of the main window is: a widget built around an injected context."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from pfdesk.services.context import ServiceContext


class Page(QWidget):
    """A navigation page. ``refresh()`` reloads its data when the page is shown."""

    #: The navigation label (Japanese).
    title: str = ""

    def __init__(self, *, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx

    def refresh(self) -> None:
        """Reload what the page shows from the services."""

    def unsaved_changes(self) -> str:
        """What the page holds that is not saved yet ('' when nothing); asked before closing."""
        return ""

    def save_changes(self) -> bool:
        """Save what :meth:`unsaved_changes` names; False (problem shown) keeps the window open."""
        return True


def heading(text: str) -> QLabel:
    """A page heading in the house style."""
    label = QLabel(text)
    label.setObjectName("pageHeading")
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.5)
    font.setBold(True)
    label.setFont(font)
    return label


def page_layout(page: QWidget, title: str) -> QVBoxLayout:
    """A vertical layout with the page heading on top."""
    layout = QVBoxLayout(page)
    layout.setContentsMargins(16, 12, 16, 12)
    layout.addWidget(heading(title))
    return layout
