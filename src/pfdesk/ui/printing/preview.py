"""印刷プレビュー: a document's pages in pfdesk's own window, with 印刷… and PDFとして保存.

Every document pfdesk writes (meeting papers, 名簿, ラベル, 監査ログ確認票, attached
PDFs) is shown here instead of an outside viewer: page thumbnails on the left, the pages
at the chosen zoom on the right, and printing through Qt's print dialog (printer, copies,
両面, page range). Rights and the audit stay in the services: a caller whose printing
means more than sending the shown pages (a 開催通知 takes its 文書番号) passes its own
``on_print`` / ``on_save``.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QIcon, QKeySequence, QPixmap, QShortcut
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.atomic import read_error, shred_file, write_bytes_atomic
from pfdesk.core.errors import KnownError
from pfdesk.core.i18n import _
from pfdesk.ui.errors import show_error
from pfdesk.ui.printing.pdf_pages import PdfPages, print_pages, printer_for
from pfdesk.ui.widgets import ask_save_path

#: Zoom steps offered, in percent of the printed size (72 points = 1 inch at 96 dpi).
ZOOMS = (50, 75, 100, 125, 150, 200)
FIT_WIDTH, FIT_PAGE = "width", "page"
_THUMB_WIDTH = 110
_GAP = 12
_SCREEN_DPI = 96


class PdfPreviewDialog(QDialog):
    """Show the PDF at ``path``; ``temporary`` files are shredded when the window closes."""

    def __init__(self, path: str | Path, *, title: str, parent: QWidget | None = None,
                 save_name: str = "", temporary: bool = False,
                 on_print: Callable[[], None] | None = None,
                 on_save: Callable[[], None] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("印刷プレビュー — {title}").format(title=title))
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.path, self.temporary = Path(path), temporary
        self.save_name = save_name or self.path.name
        self.on_print, self.on_save = on_print, on_save
        #: Replaced in tests: returns a printer set up by the user, or None when cancelled.
        self.ask_printer: Callable[[QPrinter], QPrinter | None] = self._print_dialog
        #: Replaced in tests: where to save, '' when cancelled.
        self.ask_save_path: Callable[[], str] = lambda: ask_save_path(
            self, _("PDF として保存"), self.save_name, _("PDF ファイル (*.pdf)"), ".pdf")
        self.zoom_mode: int | str = FIT_PAGE
        self.current_page = 0
        self._rendered: dict[int, float] = {}
        self.pages = PdfPages(self.path)
        self._build()
        self._fill()
        self.resize(1100, 680)
        QTimer.singleShot(0, self, self._relayout)

    # -- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.print_btn = QPushButton(_("印刷…"))
        self.print_btn.setToolTip(_("プリンター・部数・両面印刷を選んで印刷します（Ctrl+P）"))
        self.save_btn = QPushButton(_("PDFとして保存…"))
        self.save_btn.setToolTip(_("PDF ファイルとして保存します（Ctrl+S）"))
        self.zoom_out_btn = QPushButton(_("縮小"))
        self.zoom_in_btn = QPushButton(_("拡大"))
        self.zoom = QComboBox()
        self.zoom.addItem(_("ページ全体を表示"), FIT_PAGE)
        self.zoom.addItem(_("ページ幅に合わせる"), FIT_WIDTH)
        for z in ZOOMS:
            self.zoom.addItem(f"{z}%", z)
        self.page_label = QLabel()
        close = QPushButton(_("閉じる"))
        for button in (self.print_btn, self.save_btn):
            bar.addWidget(button)
        bar.addSpacing(24)
        for tool in (self.zoom_out_btn, self.zoom, self.zoom_in_btn):
            bar.addWidget(tool)
        bar.addSpacing(24)
        bar.addWidget(self.page_label)
        bar.addStretch(1)
        bar.addWidget(close)
        outer.addLayout(bar)

        split = QHBoxLayout()
        self.thumbs = QListWidget()
        self.thumbs.setViewMode(QListView.ViewMode.IconMode)
        self.thumbs.setFlow(QListView.Flow.TopToBottom)
        self.thumbs.setWrapping(False)
        self.thumbs.setMovement(QListView.Movement.Static)
        self.thumbs.setIconSize(QSize(_THUMB_WIDTH, int(_THUMB_WIDTH * 1.5)))
        self.thumbs.setSpacing(6)
        self.thumbs.setMinimumWidth(_THUMB_WIDTH + 40)
        self.thumbs.setMaximumWidth(_THUMB_WIDTH + 60)
        split.addWidget(self.thumbs)
        self.pages_area = QScrollArea()
        self.pages_area.setWidgetResizable(True)
        self.pages_area.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.sheet = QWidget()
        self.sheet.setObjectName("previewSheet")
        self.sheet.setStyleSheet("#previewSheet { background: #8a8f96; }")
        self.sheet_layout = QVBoxLayout(self.sheet)
        self.sheet_layout.setSpacing(_GAP)
        self.sheet_layout.setContentsMargins(_GAP, _GAP, _GAP, _GAP)
        self.sheet_layout.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.pages_area.setWidget(self.sheet)
        split.addWidget(self.pages_area, 1)
        outer.addLayout(split, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        outer.addWidget(self.status)

        self.print_btn.clicked.connect(self.print_)
        self.save_btn.clicked.connect(self.save)
        close.clicked.connect(self.reject)
        self.zoom_in_btn.clicked.connect(lambda: self.step_zoom(+1))
        self.zoom_out_btn.clicked.connect(lambda: self.step_zoom(-1))
        self.zoom.currentIndexChanged.connect(lambda _i: self.set_zoom(self.zoom.currentData()))
        self.thumbs.currentRowChanged.connect(self.go_to_page)
        self.pages_area.verticalScrollBar().valueChanged.connect(lambda _v: self._on_scroll())
        for keys, slot in ((QKeySequence.StandardKey.Print, self.print_),
                           (QKeySequence.StandardKey.Save, self.save),
                           (QKeySequence.StandardKey.ZoomIn, lambda: self.step_zoom(+1)),
                           (QKeySequence.StandardKey.ZoomOut, lambda: self.step_zoom(-1))):
            QShortcut(QKeySequence(keys), self, slot)

    def _fill(self) -> None:
        """One thumbnail and one (not yet drawn) page per PDF page."""
        self.page_views: list[QLabel] = []
        for i in range(len(self.pages)):
            w, h = self.pages.sizes[i]
            scale = _THUMB_WIDTH / w
            item = QListWidgetItem(QIcon(QPixmap.fromImage(self.pages.render(i, scale))),
                                   _("{n}ページ").format(n=i + 1))
            item.setSizeHint(QSize(_THUMB_WIDTH + 20, int(h * scale) + 30))
            self.thumbs.addItem(item)
            view = QLabel()
            view.setStyleSheet("background: white;")
            view.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.sheet_layout.addWidget(view, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_views.append(view)
        self.page_label.setText(_("全{n}ページ").format(n=len(self.pages)))

    # -- zoom and pages ----------------------------------------------------------------------

    def scale(self) -> float:
        """Pixels per PDF point at the current zoom."""
        if isinstance(self.zoom_mode, int):
            return self.zoom_mode / 100 * _SCREEN_DPI / 72
        if not len(self.pages):
            return 1.0
        w, h = max(self.pages.sizes)
        room = self.pages_area.viewport().size()
        # Leave room for the vertical scroll bar, which appears once pages overflow.
        bar = self.pages_area.verticalScrollBar().sizeHint().width()
        by_width = (room.width() - bar - 2 * _GAP) / w
        if self.zoom_mode == FIT_WIDTH:
            return max(by_width, 0.2)
        return max(min(by_width, (room.height() - 2 * _GAP) / h), 0.2)

    def zoom_percent(self) -> int:
        """The current zoom as a percentage of the printed size."""
        return round(self.scale() * 72 / _SCREEN_DPI * 100)

    def set_zoom(self, mode: int | str) -> None:
        """Zoom to a percentage or to FIT_WIDTH / FIT_PAGE."""
        self.zoom_mode = mode
        self.zoom.blockSignals(True)
        self.zoom.setCurrentIndex(max(self.zoom.findData(mode), 0))
        self.zoom.blockSignals(False)
        self._relayout()

    def step_zoom(self, direction: int) -> None:
        """One step bigger (+1) or smaller (-1) than what is shown now."""
        now = self.zoom_percent()
        steps = [z for z in ZOOMS if (z > now if direction > 0 else z < now)]
        if steps:
            self.set_zoom(min(steps) if direction > 0 else max(steps))

    def _relayout(self) -> None:
        scale = self.scale()
        for i, view in enumerate(self.page_views):
            w, h = self.pages.sizes[i]
            view.setFixedSize(int(w * scale), int(h * scale))
            if self._rendered.get(i) != scale:
                view.clear()
                self._rendered.pop(i, None)
        QTimer.singleShot(0, self, self._on_scroll)

    def visible_pages(self) -> list[int]:
        """Pages (from 0) at least partly inside the scrolled view."""
        top = self.pages_area.verticalScrollBar().value()
        bottom = top + self.pages_area.viewport().height()
        return [i for i, v in enumerate(self.page_views)
                if v.y() < bottom and v.y() + v.height() > top]

    def _on_scroll(self) -> None:
        if self.pages.closed:  # a queued redraw after the window closed
            return
        scale = self.scale()
        shown = self.visible_pages()
        for i in shown:
            if self._rendered.get(i) != scale:
                self.page_views[i].setPixmap(QPixmap.fromImage(self.pages.render(i, scale)))
                self._rendered[i] = scale
        if shown:
            self._show_current(max(shown, key=self._visible_height))

    def _visible_height(self, index: int) -> int:
        top = self.pages_area.verticalScrollBar().value()
        bottom = top + self.pages_area.viewport().height()
        view = self.page_views[index]
        return min(bottom, view.y() + view.height()) - max(top, view.y())

    def _show_current(self, index: int) -> None:
        self.current_page = index
        self.page_label.setText(_("{n} / {total} ページ").format(
            n=index + 1, total=len(self.pages)))
        self.thumbs.blockSignals(True)
        self.thumbs.setCurrentRow(index)
        self.thumbs.blockSignals(False)

    def go_to_page(self, index: int) -> None:
        """Scroll so that page ``index`` (from 0) starts at the top."""
        if 0 <= index < len(self.page_views):
            self.pages_area.verticalScrollBar().setValue(self.page_views[index].y() - _GAP)
            self._on_scroll()
            self._show_current(index)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        """Fitting zooms follow the window size."""
        super().resizeEvent(event)
        if not isinstance(self.zoom_mode, int):
            self._relayout()

    # -- print and save ----------------------------------------------------------------------

    def _print_dialog(self, printer: QPrinter) -> QPrinter | None:
        return ask_printer(self, printer, pages=len(self.pages), current_page=True)

    def print_(self) -> None:
        """Print: the caller's own way when it has one, else the shown pages."""
        if self.on_print is not None:
            self.on_print()
            return
        self.print_shown()

    def print_shown(self) -> bool:
        """Ask for printer, copies and 両面, then print the shown pages; False if cancelled."""
        printer = self.ask_printer(printer_for(self.pages))
        if printer is None:
            return False
        sheets = send_to_printer(self, self.pages, printer, current=self.current_page)
        if sheets:
            self.status.setText(_("印刷しました（{n}ページ）。").format(n=sheets))
        return bool(sheets)

    def save(self) -> None:
        """Save as PDF: the caller's own way when it has one, else a copy of this file."""
        if self.on_save is not None:
            self.on_save()
            return
        target = self.ask_save_path()
        if not target:
            return
        try:
            # All or nothing: a PDF open in another program is reported, not half-written.
            write_bytes_atomic(target, self.path.read_bytes())
        except KnownError as e:
            show_error(self, e)
            return
        except OSError as e:
            show_error(self, read_error(e, self.path))
            return
        self.status.setText(_("保存しました: {path}").format(path=target))

    def show_file(self, path: str | Path, *, temporary: bool | None = None) -> None:
        """Show another version of the document (e.g. the one with its 文書番号)."""
        self._release()
        self.path = Path(path)
        if temporary is not None:
            self.temporary = temporary
        self.thumbs.clear()
        for view in self.page_views:
            self.sheet_layout.removeWidget(view)
            view.deleteLater()
        self._rendered.clear()
        self.pages = PdfPages(self.path)
        self._fill()
        self._relayout()

    def _release(self) -> None:
        self.pages.close()
        if self.temporary and self.path.exists():
            # Previews hold personal data: leave nothing readable behind.
            try:
                shred_file(self.path)
            except OSError:
                pass

    def done(self, code: int) -> None:  # noqa: D102 - QDialog API
        self._release()
        super().done(code)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        """Closing the window by its title bar releases the file too."""
        self._release()
        super().closeEvent(event)


def ask_printer(parent: QWidget | None, printer: QPrinter, *,
                pages: int = 0, current_page: bool = False) -> QPrinter | None:
    """Qt's print dialog (printer, 部数, 両面, ページ指定); None when cancelled.

    ``current_page`` offers 「現在のページ」 (the page shown in the preview).
    """
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(_("印刷"))
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintCurrentPage, current_page)
    dialog.setMinMax(1, max(pages, 1) if pages else 9999)
    return printer if dialog.exec() == QDialog.DialogCode.Accepted else None


def send_to_printer(parent: QWidget | None, pages: PdfPages, printer: QPrinter, *,
                    current: int = 0) -> int:
    """Print with a progress window for long documents; the sheets sent, 0 after an error."""
    progress = QProgressDialog(_("印刷しています…"), "", 0, 0, parent)
    progress.setWindowTitle(_("印刷"))
    progress.setCancelButton(None)
    progress.setMinimumDuration(800)
    progress.setWindowModality(Qt.WindowModality.WindowModal)

    def step(done: int, total: int) -> None:
        progress.setMaximum(total)
        progress.setValue(done)

    try:
        return print_pages(pages, printer, progress=step, current=current)
    except KnownError as e:
        show_error(parent, e)
        return 0
    finally:
        progress.close()


def safe_file_name(name: str) -> str:
    """``name`` without the characters Windows refuses in a file name (「資料1/2」 → 「資料1_2」)."""
    return re.sub(r'[\\/:*?"<>|]', "_", name).strip() or "pfdesk.pdf"


def temporary_pdf_path(name: str) -> Path:
    """A fresh path in a folder of its own for a document written only to be previewed.

    The preview opened with ``temporary=True`` shreds the file when it closes.
    """
    return Path(tempfile.mkdtemp(prefix="pfdesk-preview-")) / name


def show_pdf_preview(parent: QWidget | None, path: str | Path, *, title: str,
                     note: str = "", **options) -> PdfPreviewDialog | None:
    """Open the preview window on ``path`` (not modal); None after telling the user why not.

    ``note`` is shown under the pages (e.g. where the file was saved).
    """
    try:
        dialog = PdfPreviewDialog(path, title=title, parent=parent, **options)
    except KnownError as e:
        show_error(parent, e)
        return None
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    dialog.status.setText(note)
    dialog.show()
    return dialog


__all__ = ["FIT_PAGE", "FIT_WIDTH", "PdfPreviewDialog", "ZOOMS", "ask_printer",
           "safe_file_name", "send_to_printer", "show_pdf_preview", "temporary_pdf_path"]
