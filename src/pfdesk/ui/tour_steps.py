"""The steps of the screenshot tour: which buttons open which dialogs, page by page.

Each step presses what a user presses (or builds the dialog a button builds) while
:func:`pfdesk.ui.tour.dialogs_photographed` pictures and cancels whatever opens.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import TYPE_CHECKING

from pfdesk.core.i18n import _

if TYPE_CHECKING:
    from pfdesk.services.context import ServiceContext
    from pfdesk.ui.tour import Camera

log = logging.getLogger(__name__)


def _step(what: str, fn) -> None:
    try:
        fn()
    except Exception:  # noqa: BLE001 - one broken step must not end the tour
        log.exception("tour step failed: %s", what)


def sign_in_screens(camera: Camera, ctx: ServiceContext) -> None:
    """サインイン (with a wrong password), 管理者の登録, はじめての設定."""
    from pfdesk.ui.first_start import FirstStartDialog
    from pfdesk.ui.login import LoginDialog
    from pfdesk.ui.security.first_admin import FirstAdminDialog

    def login() -> None:
        d = LoginDialog(paths=ctx.store.paths, store=ctx.store, demo=True)
        d.show()
        d.password.setText("まちがい")
        d.accept()
        camera.take(d, "サインイン（パスワード違い）")
        d.close()

    _step("login", login)
    for title, make in (("管理者の登録", lambda: FirstAdminDialog(ctx=ctx)),
                        ("はじめての設定", lambda: FirstStartDialog(ctx=ctx))):
        def show(make=make, title=title) -> None:
            d = make()
            camera.take(d, title)
            d.close()
        _step(title, show)


def dialogs_of_pages(camera, window, where: dict) -> None:
    """Every page's dialogs and questions, opened through the page's own actions."""
    for label, steps in (("関係機関", _directory), ("相談", _consultations),
                         ("会議", _meetings), ("印刷", _print_preview), ("管理", _security),
                         ("検索", _search), ("ヘルプ", _key_list)):
        where["page"] = f"{label} — "
        _step(label, lambda steps=steps: steps(camera, window))


def larger_text(camera, window) -> None:
    """ホーム and 会議 with 設定 → 文字の大きさ at 特大 (shown only; the choice is not kept)."""
    from pfdesk.ui.theme import apply_text_size

    size = window.size()
    apply_text_size("largest")
    try:
        for label in (_("ホーム"), _("会議")):
            window.go_to(label)
            camera.take(window, f"文字の大きさ 特大 — {label}")
    finally:
        apply_text_size("standard")
        window.resize(size)


def _search(camera, window) -> None:
    """すべてを検索 (Ctrl+K) with a name typed: results grouped by kind."""
    from pfdesk.ui.search import search

    d = search(window, "髙橋")
    camera.take(d, "すべてを検索")
    d.reject()


def _print_preview(camera, window) -> None:
    """印刷プレビュー of a meeting's 開催通知: pages, thumbnails, 印刷… and PDFとして保存."""
    from PySide6.QtWidgets import QApplication

    from pfdesk.services.meetings import meetings
    from pfdesk.ui.printing import PrintMeetingDialog
    from pfdesk.ui.tasks import wait_for_all

    rows = meetings.list_meetings(window.ctx, fy=2026)
    planned = next((r for r in rows if r.status == "planned"), rows[0])
    dlg = PrintMeetingDialog(ctx=window.ctx, meeting_id=planned.id, parent=window)
    dlg.show()
    dlg.preview()
    for _i in range(200):  # the PDF is written in the background
        wait_for_all(100)
        QApplication.processEvents()
        if dlg.preview_window is not None:
            break
    if dlg.preview_window is not None:
        camera.take(dlg.preview_window, "印刷プレビュー（開催通知）")
    dlg.reject()


def _key_list(camera, window) -> None:
    """ヘルプ → キーボード操作の一覧."""
    d = window.shortcuts.show_list()
    camera.take(d, "キーボード操作の一覧")
    d.reject()


def _directory(camera, window) -> None:
    from pfdesk.ui.directory.page import ORGS_TAB, PEOPLE_TAB
    from pfdesk.ui.directory.person_dialog import PersonDialog, PostDialog

    window.go_to(_("関係機関"))  # the page labels are translated (--lang en)
    page = window.page_by_title(_("関係機関"))
    page.tabs.setCurrentIndex(PEOPLE_TAB)
    _step("new person", page.new_person)
    page.people_view.selectRow(0)
    _step("open person", page.open_selected)
    _step("merge one", page.merge_selected)
    person = page.people.records[0]
    d = PersonDialog(ctx=window.ctx, person_id=person.id)
    _step("delete person", d.delete_person)
    d.close()
    _step("post", lambda: PostDialog(ctx=window.ctx, person_id=person.id).exec())
    page.tabs.setCurrentIndex(ORGS_TAB)
    _step("new org", page.new_org)
    page.orgs_view.selectRow(0)
    _step("open org", page.open_selected)


def _consultations(camera, window) -> None:
    from PySide6.QtWidgets import QTabWidget

    from pfdesk.services.consultations.consents import list_consents
    from pfdesk.services.consultations.search import CaseFilter, search_cases
    from pfdesk.ui.consultations import dialogs

    ctx = window.ctx
    window.go_to(_("相談"))  # the page labels are translated (--lang en)
    page = window.page_by_title(_("相談"))
    _step("new case", page.new_case)
    page.table.selectRow(0)
    _step("quick", page.quick_entry)
    _step("export", page.export)
    rows = search_cases(ctx, CaseFilter(status="active")).rows
    case_id = rows[0].id
    page.open_case(case_id)
    detail = page.detail
    camera.take(window, "相談 — ケース画面")
    tabs = detail.findChild(QTabWidget)
    if tabs is not None:
        for t in range(1, tabs.count()):
            tabs.setCurrentIndex(t)
            camera.take(window, f"相談 — ケース画面 — {tabs.tabText(t)}")
        tabs.setCurrentIndex(0)
    _step("undo bar", lambda: _undo_bar(camera, window, detail, case_id))
    for name in ("add_contact", "edit_case", "change_status", "close_case", "add_referral",
                 "add_consent", "void_case"):
        _step(name, getattr(detail, name))
    today = date(2026, 11, 26)
    no_consent = next((r.id for r in rows if not list_consents(ctx, r.id)), None)
    if no_consent is not None:
        d = dialogs.ReferralDialog(ctx=ctx, case_id=no_consent, today=today)
        d.org.setCurrentIndex(1)
        _step("referral without consent", d._ok)
        d.close()
    close = dialogs.CloseDialog(ctx=ctx, case_id=case_id, today=today)
    _step("close without reason", close._ok)
    close.close()
    page.show_list()


def _undo_bar(camera, window, detail, case_id: int) -> None:
    """The bar a save leaves for a while: 「相談記録を保存しました　［取り消し］」 (not clicked)."""
    from pfdesk.services import undo
    from pfdesk.services.consultations.contacts import list_contacts

    newest = list_contacts(window.ctx, case_id)[0]
    detail.undo_bar.offer(undo.contact_added(newest))
    camera.take(window, "相談 — ケース画面 — 保存の取り消し")
    detail.undo_bar.clear()


def _meetings(camera, window) -> None:
    from pfdesk.services.meetings import meetings

    ctx = window.ctx
    window.go_to(_("会議"))  # the page labels are translated (--lang en)
    page = window.page_by_title(_("会議"))
    for name in ("new_meeting", "new_from_previous", "edit_body", "edit_holidays", "new_body"):
        _step(name, getattr(page, name))
    rows = meetings.list_meetings(ctx, fy=2026)
    _step("new meeting undo bar", lambda: _new_meeting_undo_bar(camera, window, page, rows))
    held = next((r for r in rows if r.decisions), rows[0])
    page.open_meeting(held.id)
    ws = page.workspace
    for t in range(ws.tabs.count()):
        ws.tabs.setCurrentIndex(t)
        camera.take(window, f"会議 — 会議の画面 — {ws.tabs.tabText(t)}")
    ws.tabs.setCurrentIndex(0)
    _step("delete meeting", ws.delete_meeting)
    _step("print", ws.open_print)
    ws.tabs.setCurrentWidget(ws.agenda)
    _step("agenda add", ws.agenda.add_item)
    if ws.agenda.tree.topLevelItemCount():
        ws.agenda.tree.setCurrentItem(ws.agenda.tree.topLevelItem(0))
        _step("agenda remove", ws.agenda.remove_item)
    ws.tabs.setCurrentWidget(ws.attendance)
    if ws.attendance.table.model().rowCount():
        ws.attendance.table.selectRow(0)
        _step("response", ws.attendance.edit_selected)
        _step("remove attendee", ws.attendance.remove)
    ws.tabs.setCurrentWidget(ws.minutes)
    _step("decision", ws.minutes.add_decision)
    _step("action", ws.minutes.add_action)
    if ws.minutes.decisions.count():
        ws.minutes.decisions.setCurrentRow(0)
        _step("remove decision", ws.minutes.remove_decision)
    page.back_to_list()


def _new_meeting_undo_bar(camera, window, page, rows) -> None:
    """The bar a new meeting leaves: 「第3回…を登録しました　［取り消し］」 (not clicked)."""
    from pfdesk.services.undo_meetings import meeting_created

    planned = next((r for r in rows if r.status == "planned"), rows[-1])
    page.undo_bar.offer(meeting_created(window.ctx, planned.id))
    camera.take(window, "会議 — 新しい会議の取り消し")
    page.undo_bar.clear()


def _security(camera, window) -> None:
    sec = window.security
    for name in ("users", "audit", "retention", "encryption", "change_password"):
        if hasattr(sec, name):
            _step(name, getattr(sec, name))
    _step("about", window.show_about)


def unsaved_on_close(camera, window) -> None:
    """「保存していない変更」: 設定's 事務局 typed into, then the window closed."""
    window.go_to(_("設定"))  # the page labels are translated (--lang en)
    page = window.page_by_title(_("設定"))
    edit = page.form.edits["secretariat"]
    edit.setText(edit.text() + "（変更）")
    window.close()
