"""印刷ダイアログ: choose a meeting document and its options, then preview, print or save.

プレビュー shows the document in pfdesk's own preview window (no 文書番号 is taken);
印刷 asks for printer, 部数 and 両面 first and only then has the service write the
document (taking its number, audited) and sends it to the printer; saving asks for a
file name. The PDF is always written by the printing service in the background, so the
window stays responsive.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from pfdesk.core.errors import KnownError
from pfdesk.core.i18n import N_, _
from pfdesk.core.wareki import format_date
from pfdesk.services.context import ServiceContext
from pfdesk.services.printing import (
    DOC_KINDS,
    MINUTES_HEADINGS,
    PrintOptions,
    PrintResult,
    print_info,
    print_meeting_document,
)
from pfdesk.ui.errors import show_error
from pfdesk.ui.fields import DateLine
from pfdesk.ui.printing.pdf_pages import PdfPages, printer_for
from pfdesk.ui.printing.preview import (
    PdfPreviewDialog,
    ask_printer,
    send_to_printer,
    show_pdf_preview,
)
from pfdesk.ui.tasks import run_in_background

_EXPLAIN = {  # translated when shown
    "notice": N_("文書番号・発信日・宛先入りの開催通知です。印刷または保存すると文書番号を採番します"
             "（プレビューでは採番しません）。"),
    "reply": N_("FAX で返送してもらう出欠回答票です。宛先ごとに所属・氏名を印字します。"),
    "agenda": N_("次第と配布資料の一覧です。"),
    "roster": N_("所属・職名・氏名・出欠の一覧です。"),
    "signin": N_("当日の受付で署名してもらう名簿です。"),
    "packet": N_("次第・出席者名簿・各資料（資料番号入り）を1つの PDF にまとめます。"
             "ケースの資料は会議の種類と本人同意に応じて仮名化されます。"),
    "minutes": N_("日時・場所・出席者などの見出しと、議題ごとの概要・決定事項・対応事項です。"),
}

_BAD_FILE_CHARS = re.compile(r'[\\/:*?"<>|]')


class PrintMeetingDialog(QDialog):
    """Print one meeting's documents; ``meeting_id`` is the Meeting's id."""

    def __init__(self, *, ctx: ServiceContext, meeting_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.meeting_id = ctx, meeting_id
        #: Replaced in tests; shows a written preview PDF to the user.
        self.open_file: Callable[[Path], bool] = self.show_preview
        #: Replaced in tests: Qt's print dialog, None when the user cancels.
        self.ask_printer: Callable[[QPrinter], QPrinter | None] = (
            lambda printer: ask_printer(self, printer))
        self.last_result: PrintResult | None = None
        self.preview_window: PdfPreviewDialog | None = None
        self._preview_dir: tempfile.TemporaryDirectory | None = None
        self._serial = 0
        self.setWindowTitle(_("会議資料の印刷"))
        self.setMinimumWidth(620)
        self.info = print_info(ctx, meeting_id)
        self._build()
        self._kind_changed()

    # -- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        info = self.info
        outer = QVBoxLayout(self)
        title = QLabel(info.title)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        title.setFont(font)
        title.setWordWrap(True)
        outer.addWidget(title)
        outer.addWidget(QLabel(_("{kind}　{date}　会議ID {id}").format(
            kind=info.body_kind_label, date=format_date(info.held_on, weekday=True),
            id=info.meeting_id)))
        if info.is_support_meeting:
            warn = QLabel(_("支援会議です。資料一式は部数分作成し、すべてのページに"
                            "「取扱注意・会議終了後回収」と番号（No.）を入れます。"))
            warn.setWordWrap(True)
            warn.setStyleSheet("color: #C00000;")
            outer.addWidget(warn)

        row = QHBoxLayout()
        outer.addLayout(row)
        kinds = QGroupBox(_("印刷するもの"))
        kinds_layout = QVBoxLayout(kinds)
        self.kind_group = QButtonGroup(self)
        self.kind_buttons: dict[str, QRadioButton] = {}
        for i, (key, label) in enumerate(DOC_KINDS):
            button = QRadioButton(_(label))
            button.setObjectName(f"kind_{key}")
            self.kind_group.addButton(button, i)
            self.kind_buttons[key] = button
            kinds_layout.addWidget(button)
        kinds_layout.addStretch(1)
        self.kind_buttons["notice"].setChecked(True)
        self.kind_group.idToggled.connect(self._kind_toggled)
        row.addWidget(kinds)

        opts = QGroupBox(_("設定"))
        form = QFormLayout(opts)
        self.per_person = QRadioButton(_("宛先ごとに1枚（{n}通）").format(n=info.addressee_count))
        self.to_all = QRadioButton(_("「各位」で1通"))
        (self.per_person if info.addressee_count else self.to_all).setChecked(True)
        self.per_person.setEnabled(info.addressee_count > 0)
        addressee_box = QVBoxLayout()
        addressee_box.addWidget(self.per_person)
        addressee_box.addWidget(self.to_all)
        self.addressee_widget = QWidget()
        self.addressee_widget.setLayout(addressee_box)
        addressee_box.setContentsMargins(0, 0, 0, 0)
        form.addRow(_("宛先"), self.addressee_widget)
        self.issued_on = DateLine(_("発信日"))
        self.issued_on.setPlaceholderText(_("空欄なら今日（例: R8.11.16）"))
        form.addRow(_("発信日"), self.issued_on)
        self.number_label = QLabel(
            _("採番済み: {n}").format(n=info.doc_number) if info.doc_number
            else _("印刷・保存のときに採番します"))
        form.addRow(_("文書番号"), self.number_label)
        self.copies = QSpinBox()
        self.copies.setRange(1, 200)
        self.copies.setValue(info.default_copies)
        self.copies.setSuffix(_(" 部"))
        self.copies.setEnabled(info.is_support_meeting)
        self.copies.setToolTip(_("支援会議の資料一式だけに使います（既定は出席予定者の人数）。"))
        form.addRow(_("部数（支援会議）"), self.copies)
        self.heading = QComboBox()
        self.heading.addItems([_(h) for h in MINUTES_HEADINGS])
        form.addRow(_("会議録の見出し"), self.heading)
        self.signature = QCheckBox(_("会長（議長）の署名欄を付ける"))
        form.addRow("", self.signature)
        row.addWidget(opts, 1)

        self.explain = QLabel()
        self.explain.setWordWrap(True)
        outer.addWidget(self.explain)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.status)

        buttons = QHBoxLayout()
        self.preview_btn = QPushButton(_("プレビュー"))
        self.print_btn = QPushButton(_("印刷…"))
        self.save_btn = QPushButton(_("ファイルに保存…"))
        close = QPushButton(_("閉じる"))
        self.preview_btn.clicked.connect(self.preview)
        self.print_btn.clicked.connect(self.print_)
        self.save_btn.clicked.connect(self.save)
        close.clicked.connect(self.reject)
        for b in (self.preview_btn, self.print_btn, self.save_btn):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        outer.addLayout(buttons)

    # -- behaviour ---------------------------------------------------------------------------

    def kind(self) -> str:
        """The chosen document key (notice, reply, agenda …)."""
        for key, button in self.kind_buttons.items():
            if button.isChecked():
                return key
        return DOC_KINDS[0][0]

    def set_kind(self, key: str) -> None:
        """Choose a document."""
        self.kind_buttons[key].setChecked(True)

    def _kind_toggled(self, _id: int, on: bool) -> None:
        if on:
            self._kind_changed()

    def _kind_changed(self) -> None:
        kind = self.kind()
        self.addressee_widget.setEnabled(kind in ("notice", "reply"))
        self.issued_on.setEnabled(kind == "notice")
        self.copies.setEnabled(kind == "packet" and self.info.is_support_meeting)
        self.heading.setEnabled(kind == "minutes")
        self.signature.setEnabled(kind == "minutes")
        self.explain.setText(_(_EXPLAIN[kind]))

    def options(self, *, preview: bool = False) -> PrintOptions:
        """The chosen options; ValidationError when the date cannot be read."""
        return PrintOptions(
            per_person=self.per_person.isChecked(),
            issued_on=self.issued_on.value(),
            copies=self.copies.value() if self.info.is_support_meeting else None,
            minutes_heading=MINUTES_HEADINGS[max(self.heading.currentIndex(), 0)],
            minutes_signature=self.signature.isChecked(),
            preview=preview,
        )

    def default_file_name(self) -> str:
        """「令和8年度第3回○○_開催通知.pdf」 without characters Windows refuses."""
        label = dict(DOC_KINDS)[self.kind()]
        return _BAD_FILE_CHARS.sub("_", f"{self.info.title}_{_(label)}.pdf")

    def _temp_path(self) -> Path:
        # A new name each time: the preview window may still hold the previous file open.
        if self._preview_dir is None:
            self._preview_dir = tempfile.TemporaryDirectory(prefix="pfdesk-print-")
        self._serial += 1
        folder = Path(self._preview_dir.name) / str(self._serial)
        folder.mkdir()
        return folder / self.default_file_name()

    def _run(self, target: Path, *, preview: bool, done: Callable[[PrintResult], None]) -> None:
        try:
            options = self.options(preview=preview)
        except KnownError as e:
            show_error(self, e)
            return
        kind, meeting_id, ctx = self.kind(), self.meeting_id, self.ctx
        self._set_busy(True)

        def work(progress):
            return print_meeting_document(ctx, meeting_id, kind, target, options,
                                          progress=lambda d, t: progress(d, t, ""))

        def ok(result: PrintResult) -> None:
            self._set_busy(False)
            self.last_result = result
            if result.doc_number and not preview:
                self.number_label.setText(_("採番済み: {n}").format(n=result.doc_number))
            done(result)
            if result.warnings:
                # Printed anyway; say what to check (past date, closed-day deadline,
                # a character no font has) under the result line.
                self.status.setText("\n".join(
                    [self.status.text(), *(_("注意: ") + w for w in result.warnings)]))

        def failed(exc: BaseException) -> None:
            self._set_busy(False)
            show_error(self, exc)

        run_in_background(self, work, title=_("PDF を作成しています…"), on_success=ok,
                          on_failure=failed)

    def _set_busy(self, busy: bool) -> None:
        for b in (self.preview_btn, self.print_btn, self.save_btn):
            b.setEnabled(not busy)

    def preview(self) -> None:
        """Write the document to a temporary file and show it in the preview window."""
        self._run(self._temp_path(), preview=True, done=self._opened)

    def print_(self) -> None:
        """Ask for printer, 部数 and 両面; then write the document (taking its 文書番号) and print."""
        printer = self.ask_printer(printer_for())
        if printer is None:
            return

        def printed(result: PrintResult) -> None:
            try:
                pages = PdfPages(result.path)
            except KnownError as e:
                show_error(self, e)
                return
            try:
                sheets = send_to_printer(self, pages, printer)
            finally:
                pages.close()
            if not sheets:
                return
            text = _("印刷しました（{pages}ページ）。").format(pages=sheets)
            if result.doc_number:
                text += "\n" + _("文書番号: {n}").format(n=result.doc_number)
            self.status.setText(text)
            self._show_issued(result, text)

        self._run(self._temp_path(), preview=False, done=printed)

    def ask_save_path(self) -> Path | None:
        """Ask where to save; None when the user cancels."""
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        path, _filter = QFileDialog.getSaveFileName(
            self, _("PDF を保存"), str(Path(folder) / self.default_file_name()),
            _("PDF ファイル (*.pdf)"))
        if not path:
            return None
        target = Path(path)
        return target if target.suffix.lower() == ".pdf" else target.with_suffix(".pdf")

    def save(self) -> None:
        """Write the document to a file the user chooses."""
        target = self.ask_save_path()
        if target is None:
            return

        def saved(result: PrintResult) -> None:
            text = _("保存しました（{pages}ページ）: {path}").format(pages=result.pages,
                                                              path=result.path)
            if result.doc_number:
                text += "\n" + _("文書番号: {n}").format(n=result.doc_number)
            self.status.setText(text)
            self._show_issued(result, text)

        self._run(target, preview=False, done=saved)

    def show_preview(self, path: Path) -> bool:
        """The preview window on ``path``; its 印刷… and 保存 take the 文書番号 as here."""
        if self.preview_window is not None:
            self.preview_window.close()
        self.preview_window = show_pdf_preview(
            self, path, title=self.default_file_name().removesuffix(".pdf"),
            save_name=self.default_file_name(), on_print=self.print_, on_save=self.save)
        if self.preview_window is not None:
            self.preview_window.finished.connect(lambda _code: self._preview_closed())
        return self.preview_window is not None

    def _show_issued(self, result: PrintResult, text: str) -> None:
        """An open preview now shows the document as printed or saved (with its 文書番号)."""
        window = self.preview_window
        if window is None:
            return
        try:
            window.show_file(result.path)
        except KnownError as e:
            show_error(self, e)
        window.status.setText(text)

    def _preview_closed(self) -> None:
        self.preview_window = None

    def _opened(self, result: PrintResult) -> None:
        if self.open_file(result.path):
            self.status.setText(_("プレビューを表示しました（{pages}ページ）。").format(
                pages=result.pages))

    def done(self, code: int) -> None:  # noqa: D102 - QDialog API
        # Previews hold personal data: remove them when the dialog closes.
        if self.preview_window is not None:
            self.preview_window.close()
        if self._preview_dir is not None:
            try:
                self._preview_dir.cleanup()
            except OSError:
                pass
            self._preview_dir = None
        super().done(code)
