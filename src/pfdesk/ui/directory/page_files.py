"""関係機関 page: 取り込み, 書き出し, 名簿 PDF and 宛名ラベル."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog, QMessageBox

from pfdesk.core.atomic import shred_file
from pfdesk.core.i18n import _
from pfdesk.services.directory.io import export_contacts
from pfdesk.ui.directory.import_dialog import ImportDialog
from pfdesk.ui.directory.page_lists import DirectoryLists
from pfdesk.ui.tasks import run_in_background
from pfdesk.ui.widgets import ask_save_path_as

if TYPE_CHECKING:
    from pfdesk.ui.printing.preview import PdfPreviewDialog


class DirectoryFiles(DirectoryLists):
    """Files in and out, and the printed 名簿 and labels, of the lists shown."""

    #: Show the printed PDF in the preview window (tests turn it off).
    open_after_print = True
    #: The preview window of the last 名簿 or 宛名ラベル, while it is open.
    preview_window: PdfPreviewDialog | None = None


    def import_file(self, path: str | None = None) -> None:
        """Open the import wizard."""
        if ImportDialog(ctx=self.ctx, path=path or None, parent=self).exec():
            self.reload()

    def export_file(self) -> None:
        """Write the list (current filter's 会議体) to Excel or CSV."""
        kinds = [(_("Excel ブック (*.xlsx)"), ".xlsx"),
                 (_("CSV Shift_JIS・Excel 向け (*.csv)"), ".csv"),
                 (_("CSV UTF-8 BOM 付き (*.csv)"), ".csv")]
        path, kind = ask_save_path_as(self, _("名簿の書き出し"), _("関係機関名簿.xlsx"), kinds)
        if path:
            self.export_to(path, "cp932" if kind == 1 else "utf-8-sig")

    def export_to(self, path: str, encoding: str = "utf-8-sig") -> None:
        """Export to ``path`` in the background and report what cp932 could not hold."""
        body, current = self.body.currentData(), self.current_only.isChecked()
        run_in_background(
            self,
            lambda: export_contacts(self.ctx, path, encoding=encoding, body_id=body,
                                    in_post_only=current),
            title=_("書き出しています"),
            on_success=lambda r: self._exported(r.rows, r.path, r.report),
        )

    def _exported(self, rows: int, path: str, report: str) -> None:
        QMessageBox.information(
            self, _("書き出し"), _("{n} 行を書き出しました。\n{path}\n\n{report}").format(
                n=rows, path=path, report=report))

    def print_current(self) -> bool:
        """Ctrl+P: the 名簿 of the list shown, in the preview; False when not allowed."""
        if not self.print_button.isEnabled():
            return False
        self.print_roster()
        return True

    def print_roster(self, path: str | None = None) -> None:
        """名簿 PDF of everyone in post, or of the chosen 会議体's members.

        Without ``path`` the 名簿 is shown in the preview window, which prints it or
        saves it where the clerk chooses.
        """
        # PDF code (reportlab, the preview) is loaded when something is printed, not
        # with the page.
        from pfdesk.services.directory.printing import print_directory
        from pfdesk.ui.printing.preview import temporary_pdf_path

        name = _("名簿.pdf")
        temporary = not path
        target = path or str(temporary_pdf_path(name))
        body = self.body.currentData()
        run_in_background(self, lambda: print_directory(self.ctx, target, body_id=body),
                          title=_("名簿を作成しています"),
                          on_success=lambda r: self._printed(r, name, temporary))

    def print_labels(self, path: str | None = None, *, organizations: bool | None = None,
                     start_at: int | None = None) -> None:
        """宛名ラベル (A4 12面) for the people listed, or for the organizations (御中)."""
        if organizations is None:
            choice, ok = QInputDialog.getItem(
                self, _("宛名ラベル"), _("宛先:"),
                [_("一覧の担当者あて（様）"), _("一覧の機関あて（御中）")], 0, False)
            if not ok:
                return
            organizations = choice.endswith(_("（御中）"))
        if start_at is None:
            start_at, ok = QInputDialog.getInt(
                self, _("宛名ラベル"), _("1枚目の開始位置（使いかけのシートは残りの先頭、1〜12）:"),
                1, 1, 12)
            if not ok:
                return
        from pfdesk.services.directory.printing import print_labels as labels_pdf
        from pfdesk.ui.printing.preview import temporary_pdf_path

        name = _("宛名ラベル.pdf")
        temporary = not path
        path = path or str(temporary_pdf_path(name))
        if organizations:
            ids = [o.id for o in self.orgs.records]
            fn = lambda: labels_pdf(self.ctx, path, organization_ids=ids,  # noqa: E731
                                    start_at=start_at)
        else:
            ids = [p.id for p in self.people.records]
            fn = lambda: labels_pdf(self.ctx, path, person_ids=ids,  # noqa: E731
                                    start_at=start_at)
        run_in_background(self, fn, title=_("宛名ラベルを作成しています"),
                          on_success=lambda r: self._printed(r, name, temporary))

    def _printed(self, result, name: str, temporary: bool) -> None:
        if temporary:
            self.status.setText(_("{doc}を作成しました。プレビューから印刷または保存してください。")
                                .format(doc=name.removesuffix(".pdf")))
        else:
            self.status.setText(_("作成しました: {path}").format(path=result.path))
        if self.open_after_print:
            from pfdesk.ui.printing.preview import show_pdf_preview

            self.preview_window = show_pdf_preview(
                self, result.path, title=name.removesuffix(".pdf"), save_name=name,
                temporary=temporary)
        elif temporary:
            shred_file(result.path)
