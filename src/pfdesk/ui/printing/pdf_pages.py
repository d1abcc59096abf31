"""PDF pages as images (pypdfium2) for the in-app preview, and printing them through Qt.

pfdesk writes every document as PDF with reportlab; this module only reads such a file.
PDFium is not thread-safe, so pages are rendered on the GUI thread, one page at a time
and only when shown (a 支援会議 packet of 8 copies has a few hundred pages).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QRectF, QSizeF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter

from pfdesk.core.errors import FileProblem
from pfdesk.core.i18n import _

#: Printing renders pages at most at this resolution: sharp on paper, bounded in memory.
PRINT_DPI = 300


class PdfPages:
    """An open PDF file: its page count, page sizes in points, and pages as QImage."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._closed = False
        try:
            # Read into memory: Windows would otherwise keep the file locked while it is
            # shown, and saving over it (or removing a preview) would fail.
            self._doc = pdfium.PdfDocument(self.path.read_bytes())
        except (OSError, pdfium.PdfiumError) as e:
            raise FileProblem(
                _("PDF ファイル「{name}」を開けません。").format(name=self.path.name),
                hint=_("ファイルが壊れているか、別のプログラムが使用中です。もう一度作成してください。"),
                where=str(self.path),
            ) from e
        self.sizes: list[tuple[float, float]] = [
            tuple(self._doc[i].get_size()) for i in range(len(self._doc))
        ]

    def __len__(self) -> int:
        return len(self.sizes)

    def render(self, index: int, scale: float) -> QImage:
        """Page ``index`` (from 0) at ``scale`` pixels per point, on white."""
        page = self._doc[index]
        try:
            bitmap = page.render(scale=scale, prefer_bgrx=True)
            # BGRX in memory is QImage's RGB32 on every little-endian PC; copy() detaches
            # the image from PDFium's buffer, which is freed with the bitmap.
            image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride,
                           QImage.Format.Format_RGB32 if bitmap.n_channels == 4
                           else QImage.Format.Format_BGR888).copy()
            bitmap.close()
        finally:
            page.close()
        return image

    @property
    def closed(self) -> bool:
        """True once :meth:`close` released the file."""
        return self._closed

    def close(self) -> None:
        """Release the document; safe to call twice."""
        if not self._closed:
            self._closed = True
            self._doc.close()


def printer_for(pages: PdfPages | None = None) -> QPrinter:
    """A printer set up for the document's paper (A4 portrait when not known yet)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    if pages is not None and len(pages):
        w, h = pages.sizes[0]
        printer.setPageSize(QPageSize(QSizeF(w, h), QPageSize.Unit.Point, "",
                                      QPageSize.SizeMatchPolicy.FuzzyMatch))
        printer.setPageOrientation(QPageLayout.Orientation.Landscape if w > h
                                   else QPageLayout.Orientation.Portrait)
    # The documents carry their own margins: draw on the whole sheet.
    printer.setFullPage(True)
    if pages is not None:
        printer.setDocName(pages.path.stem)
    return printer


def page_range(printer: QPrinter, count: int, current: int = 0) -> range:
    """The pages (from 0) the print dialog asked for: all, 「現在のページ」, or from–to."""
    if printer.printRange() == QPrinter.PrintRange.CurrentPage and 0 <= current < count:
        return range(current, current + 1)
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = max(printer.fromPage(), 1)
        last = min(printer.toPage() or count, count)
        return range(first - 1, last)
    return range(count)


def print_pages(pages: PdfPages, printer: QPrinter,
                progress: Callable[[int, int], None] | None = None, *,
                current: int = 0) -> int:
    """Send the pages to ``printer`` as chosen in its dialog; returns the sheets sent.

    Copies are made by the printer driver when it can (and then collated and duplexed
    by it); otherwise, as for a PDF printer, each copy is drawn again in full.
    """
    wanted = page_range(printer, len(pages), current)
    copies = 1 if printer.supportsMultipleCopies() else max(printer.copyCount(), 1)
    painter = QPainter()
    if not painter.begin(printer):
        raise FileProblem(
            _("プリンター「{name}」に印刷を始められませんでした。").format(
                name=printer.printerName() or printer.outputFileName()),
            hint=_("プリンターの電源と接続を確かめるか、「PDFとして保存」で保存してから"
                   "印刷してください。"))
    dpi = min(printer.resolution(), PRINT_DPI)
    sent, total = 0, len(wanted) * copies
    try:
        for _copy in range(copies):
            for index in wanted:
                if sent:
                    printer.newPage()
                image = pages.render(index, dpi / 72)
                area = QRectF(painter.viewport())
                w, h = pages.sizes[index]
                fit = min(area.width() / w, area.height() / h)
                target = QRectF(area.x() + (area.width() - w * fit) / 2,
                                area.y() + (area.height() - h * fit) / 2, w * fit, h * fit)
                painter.setWindow(painter.viewport())
                painter.drawImage(target, image)
                sent += 1
                if progress is not None:
                    progress(sent, total)
    finally:
        painter.end()
    return sent


__all__ = ["PRINT_DPI", "PdfPages", "page_range", "print_pages", "printer_for"]
