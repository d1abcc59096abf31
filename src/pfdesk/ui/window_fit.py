"""Windows that fit a 1366×768 laptop, grow to show their messages, and remember their size.

A municipal laptop leaves about 1366×700 of client area once the taskbar and the title bar
are drawn. :class:`WindowFitter` (installed once on the application) keeps every dialog and
the main window inside that and inside the screen, restores the size and the splitter
positions each user left, and saves them again when the window closes — per pfdesk user,
in an ini file of the Windows user (``PFDESK_SETTINGS_DIR`` overrides the folder).
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QFrame,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QWidget,
)

#: The client area every window must fit (1366×768 minus taskbar and title bar).
MAX_CLIENT = QSize(1366, 700)
#: The height of a taskbar in logical pixels (Windows 10/11 at any scaling).
TASKBAR = 40
#: The main window's first size, before the user chose one.
DEFAULT_MAIN = QSize(1280, 680)

_USER_PROPERTY = "pfdeskSettingsUser"
_DONE_PROPERTY = "pfdeskFitted"


def settings_file() -> Path:
    """Where window sizes and splitter positions are kept."""
    env = os.environ.get("PFDESK_SETTINGS_DIR")
    if env:
        return Path(env) / "windows.ini"
    from platformdirs import user_config_dir

    return Path(user_config_dir("pfdesk", appauthor=False)) / "windows.ini"


def _settings() -> QSettings:
    return QSettings(str(settings_file()), QSettings.Format.IniFormat)


def set_settings_user(user_name: str) -> None:
    """Remember sizes for ``user_name`` from now on (set when the main window opens)."""
    app = QApplication.instance()
    if app is not None:
        app.setProperty(_USER_PROPERTY, user_name)


def _user() -> str:
    app = QApplication.instance()
    name = app.property(_USER_PROPERTY) if app is not None else None
    return str(name or "default")


def available(widget: QWidget | None = None) -> QSize:
    """The room a window may take: the screen's work area, at most :data:`MAX_CLIENT`."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    room = MAX_CLIENT
    if screen is not None:
        geo = screen.availableGeometry()
        if geo.height() == screen.geometry().height():
            # No work area reported (a taskbar that hides itself, an offscreen screen): keep
            # room for a taskbar all the same, as Windows' own does at any scaling.
            geo.setHeight(geo.height() - TASKBAR)
        # Leave the title bar and the frame of the window outside the work area.
        room = QSize(min(room.width(), geo.width() - 16), min(room.height(), geo.height() - 40))
    return room.expandedTo(QSize(480, 360))


def clamp(window: QWidget) -> None:
    """Shrink ``window`` into :func:`available` room (its layout decides what scrolls)."""
    room = available(window)
    size = window.size().boundedTo(room)
    if size != window.size():
        window.resize(size)


def grow_to_fit(window: QWidget) -> None:
    """Make ``window`` tall enough for its wrapped texts (an error that appeared, an intro)."""
    layout = window.layout()
    if layout is None:
        return
    layout.activate()
    width = window.width()
    need = max(layout.totalSizeHint().height(), layout.totalMinimumSize().height())
    if layout.hasHeightForWidth():
        need = max(need, layout.totalHeightForWidth(width))
    need = min(need, available(window).height())
    if need > window.height():
        window.resize(width, need)


class GrowingLabel(QLabel):
    """A wrapped label whose window grows when the text gets longer (errors, warnings)."""

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        """Show ``text``; the window makes room for it once the layout has caught up."""
        super().setText(text)
        # Layouts give a wrapped label the height of its old text; claim what the new
        # text needs at the width it has, so nothing is drawn over the fields above.
        width = max(self.width(), self.minimumWidth(), 200)
        self.setMinimumHeight(self.heightForWidth(width) if text else 0)
        window = self.window()
        if text and window is not None and window is not self and window.isVisible():
            QTimer.singleShot(0, lambda: grow_to_fit(window))


def _key(widget: QWidget) -> str:
    return f"{_user()}/{type(widget).__name__}"


def _splitter_key(splitter: QSplitter) -> str:
    parts = []
    w: QWidget | None = splitter
    while w is not None and not w.isWindow():
        parent = w.parentWidget()
        siblings = [c for c in (parent.findChildren(type(w)) if parent else [])
                    if c.parentWidget() is parent]
        index = siblings.index(w) if w in siblings else 0
        parts.append(f"{type(w).__name__}{index}")
        w = parent
    window = splitter.window()
    return f"{_user()}/{type(window).__name__}/splitters/{'.'.join(reversed(parts))}"


def save_geometry(window: QWidget) -> None:
    """Keep ``window``'s size (and place) for the next time it opens."""
    s = _settings()
    s.setValue(_key(window) + "/geometry", window.saveGeometry())
    s.sync()


def restore_geometry(window: QWidget) -> bool:
    """Give ``window`` the size it had last time; False when there is none."""
    value = _settings().value(_key(window) + "/geometry")
    if isinstance(value, QByteArray) and not value.isEmpty():
        return bool(window.restoreGeometry(value))
    return False


def save_splitter(splitter: QSplitter) -> None:
    """Keep a splitter's position."""
    s = _settings()
    s.setValue(_splitter_key(splitter), splitter.saveState())
    s.sync()


def restore_splitter(splitter: QSplitter) -> bool:
    """Put a splitter where the user left it; False when nothing was kept."""
    value = _settings().value(_splitter_key(splitter))
    if isinstance(value, QByteArray) and not value.isEmpty():
        return bool(splitter.restoreState(value))
    return False


_SIZED_BY_QT = (QMessageBox, QInputDialog, QFileDialog, QProgressDialog)


class WindowFitter(QObject):
    """Application-wide: fit, restore and remember every dialog, main window and splitter."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        """Act on the first show and every hide of windows and splitters."""
        kind = event.type()
        if kind not in (QEvent.Type.Show, QEvent.Type.Hide):
            return False
        if isinstance(obj, QSplitter):
            if kind == QEvent.Type.Show and not obj.property(_DONE_PROPERTY):
                obj.setProperty(_DONE_PROPERTY, True)
                restore_splitter(obj)
                obj.splitterMoved.connect(lambda _p, _i, s=obj: save_splitter(s))
            return False
        if not isinstance(obj, (QDialog, QMainWindow)) or not obj.isWindow():
            return False
        # Question boxes size themselves to their words: never give one an old size.
        remembered = not isinstance(obj, _SIZED_BY_QT)
        if kind == QEvent.Type.Show:
            if remembered and not obj.property(_DONE_PROPERTY):
                obj.setProperty(_DONE_PROPERTY, True)
                restore_geometry(obj)
            clamp(obj)
        elif remembered:
            save_geometry(obj)
        return False


def install_window_fitter(app: QApplication) -> WindowFitter:
    """Install the fitter once; returns it."""
    for child in app.children():
        if isinstance(child, WindowFitter):
            return child
    fitter = WindowFitter(app)
    app.installEventFilter(fitter)
    return fitter


def default_main_size(window: QWidget) -> QSize:
    """The main window's first size: :data:`DEFAULT_MAIN`, inside the screen's work area."""
    return DEFAULT_MAIN.boundedTo(available(window))


class VerticalScroll(QScrollArea):
    """A form or tab that scrolls up and down when the window is short, never sideways.

    Its minimum width is its content's (so a page that is too wide still says so, and the
    content is made narrower, not cut); its minimum height is a few lines, so a long form
    at 125 %/150 % scaling scrolls inside the window instead of pushing it past the screen.
    A dialog's form asks for its whole height (the dialog opens showing all of it where
    there is room); a ``compact`` one (a tab of a page) asks for no more than its minimum,
    so the page around it is not made to scroll as a whole: the tab takes the room left.
    """

    #: The least height given to the scrolled part (a few lines of a form or a list).
    MIN_HEIGHT = 120

    def __init__(self, content: QWidget, parent: QWidget | None = None, *,
                 compact: bool = False) -> None:
        super().__init__(parent)
        self.compact = compact
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(content)

    def _extra_width(self) -> int:
        bar = self.verticalScrollBar().sizeHint().width()
        margins = self.contentsMargins()
        return bar + margins.left() + margins.right() + 2 * self.frameWidth()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """The content's minimum width (plus the scroll bar), and a few lines high."""
        content = self.widget()
        if content is None:
            return super().minimumSizeHint()
        need = content.minimumSizeHint().expandedTo(content.minimumSize())
        return QSize(need.width() + self._extra_width(), min(need.height(), self.MIN_HEIGHT))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """The content's preferred size: no scrolling where there is room."""
        content = self.widget()
        if content is None:
            return super().sizeHint()
        hint = content.sizeHint().expandedTo(content.minimumSizeHint())
        if self.compact:
            return QSize(hint.width() + self._extra_width(), self.minimumSizeHint().height())
        return QSize(hint.width() + self._extra_width(), hint.height())


class ScrollingTabWidget(QTabWidget):
    """Tabs whose pages scroll up and down inside the tab when the window is short.

    Each page is put in a :class:`VerticalScroll`; :meth:`widget`, :meth:`currentWidget`,
    :meth:`indexOf` and :meth:`setCurrentWidget` speak of the pages themselves, as a plain
    QTabWidget does, so callers need not know about the scroll areas.
    """

    def addTab(self, page: QWidget, *args) -> int:  # noqa: N802 - Qt API
        """Add ``page`` (scrolled) with the given label (and icon)."""
        return super().addTab(VerticalScroll(page, compact=True), *args)

    def insertTab(self, index: int, page: QWidget, *args) -> int:  # noqa: N802 - Qt API
        """Insert ``page`` (scrolled) at ``index``."""
        return super().insertTab(index, VerticalScroll(page, compact=True), *args)

    def widget(self, index: int) -> QWidget | None:
        """The page at ``index`` (not its scroll area)."""
        holder = super().widget(index)
        return holder.widget() if isinstance(holder, VerticalScroll) else holder

    def currentWidget(self) -> QWidget:  # noqa: N802 - Qt API
        """The page shown."""
        page = self.widget(self.currentIndex())
        return page if page is not None else super().currentWidget()

    def indexOf(self, page: QWidget) -> int:  # noqa: N802 - Qt API
        """The tab of ``page``, or -1."""
        for i in range(self.count()):
            if self.widget(i) is page:
                return i
        return super().indexOf(page)

    def setCurrentWidget(self, page: QWidget) -> None:  # noqa: N802 - Qt API
        """Show the tab of ``page``."""
        index = self.indexOf(page)
        if index >= 0:
            self.setCurrentIndex(index)
