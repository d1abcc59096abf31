"""Run in a process of its own with QT_SCALE_FACTOR set: measure what a 125 %/150 % laptop shows.

Opens the demo town on an offscreen 1366×768 screen (1093×614 logical at 125 %, 911×512 at
150 %), then the case screen and the meeting workspace with each of their tabs, and every
dialog of 相談, 会議 and 関係機関; prints one JSON line per screen: what needs how much room
and how much there is. Used by tests/ui/test_fit_scaled.py.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

os.environ.setdefault("PFDESK_SETTINGS_DIR", tempfile.mkdtemp(prefix="pfdesk-fit-"))

from pfdesk.ui.tour import prepare_offscreen_screen  # noqa: E402 - before Qt starts

prepare_offscreen_screen()

from PySide6.QtWidgets import QApplication, QScrollArea, QWidget  # noqa: E402

RESULTS: list[dict] = []


def _settle() -> None:
    for _i in range(4):
        QApplication.processEvents()


def measure_view(what: str, view: QWidget, room_w: int, room_h: int, tabs=None) -> None:
    """``view`` in a scroll area the size the main window gives a page: does it scroll?"""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(view)
    area.resize(room_w, room_h)
    area.show()
    for index in range(tabs.count() if tabs is not None else 1):
        if tabs is not None:
            tabs.setCurrentIndex(index)
        _settle()
        label = f"{what} — {tabs.tabText(index)}" if tabs is not None else what
        hint = view.minimumSizeHint()
        RESULTS.append({
            "what": label, "need_w": hint.width(), "need_h": hint.height(),
            "room_w": room_w, "room_h": room_h,
            "scrolls": area.horizontalScrollBar().isVisible()
            or area.verticalScrollBar().isVisible()})
    area.takeWidget()
    area.close()


def measure_dialog(what: str, make) -> None:
    """A dialog shown as a user opens it: its least size and its size, against the room."""
    from fit_pages import squeezed_labels

    from pfdesk.ui.window_fit import available

    try:
        dialog = make()
    except Exception as e:  # noqa: BLE001 - reported as a finding, not a crash
        RESULTS.append({"what": what, "error": repr(e)})
        return
    dialog.show()
    _settle()
    room = available(dialog)
    hint = dialog.minimumSizeHint().expandedTo(dialog.minimumSize())
    RESULTS.append({
        "what": what, "need_w": hint.width(), "need_h": hint.height(),
        "shown_w": dialog.width(), "shown_h": dialog.height(),
        "room_w": room.width(), "room_h": room.height(), "scrolls": False,
        "squeezed": squeezed_labels(dialog)})
    dialog.close()
    dialog.deleteLater()


def main() -> None:  # noqa: C901, PLR0915 - one flat list of screens
    app = QApplication(sys.argv[:1])
    from pfdesk.paths import DataPaths
    from pfdesk.services import accounts
    from pfdesk.services.consultations.consents import list_consents
    from pfdesk.services.consultations.referrals import list_referrals
    from pfdesk.services.consultations.same_person import possible_same_person
    from pfdesk.services.consultations.search import CaseFilter, search_cases
    from pfdesk.services.context import Actor, ServiceContext
    from pfdesk.services.demo import open_demo_store
    from pfdesk.services.directory import people as directory_people
    from pfdesk.services.directory.organizations import list_organizations
    from pfdesk.services.directory.rollover import rollover_list
    from pfdesk.services.meetings import agenda, attendance, bodies, meetings, minutes
    from pfdesk.services.meetings.actions import list_actions
    from pfdesk.services.meetings.identity import IdentityFound
    from pfdesk.ui.fonts import apply_japanese_font
    from pfdesk.ui.theme import apply_theme
    from pfdesk.ui.translations import install_qt_translations
    from pfdesk.ui.window_fit import install_window_fitter

    install_qt_translations(app)
    install_window_fitter(app)
    apply_japanese_font(app)
    # PFDESK_FIT_TEXT_SIZE (設定 → 文字の大きさ, e.g. "largest"): only the main pages are measured.
    text_size = os.environ.get("PFDESK_FIT_TEXT_SIZE", "")
    apply_theme(app, text_size or "standard")
    store = open_demo_store(DataPaths(Path(tempfile.mkdtemp(prefix="pfdesk-fit-")) / "data"))
    actor = Actor.local_admin()
    if accounts.has_accounts(store):
        actor = accounts.login(store, accounts.DEMO_LOGIN, accounts.DEMO_PASSWORD)
    ctx = ServiceContext(store=store, actor=actor)

    from pfdesk.core.i18n import _
    from pfdesk.ui.consultations import dialogs as cd
    from pfdesk.ui.consultations.case_form import CaseFormDialog
    from pfdesk.ui.consultations.detail import CaseDetailView
    from pfdesk.ui.consultations.io_dialogs import ExportDialog
    from pfdesk.ui.consultations.io_dialogs import ImportDialog as CaseImportDialog
    from pfdesk.ui.consultations.same_person import SamePersonDialog
    from pfdesk.ui.directory.import_dialog import ImportDialog as DirectoryImportDialog
    from pfdesk.ui.directory.merge_dialog import MergeDialog
    from pfdesk.ui.directory.org_dialog import OrganizationDialog
    from pfdesk.ui.directory.person_dialog import PersonDialog, PostDialog
    from pfdesk.ui.directory.rollover import SuccessorDialog
    from pfdesk.ui.main_window import MainWindow
    from pfdesk.ui.meetings import dialogs as md
    from pfdesk.ui.meetings.body_editor import BodyEditor
    from pfdesk.ui.meetings.holidays import ExtraHolidaysDialog
    from pfdesk.ui.meetings.identity_prompt import IdentityDialog
    from pfdesk.ui.meetings.workspace import MeetingWorkspace
    from pfdesk.ui.window_fit import available, default_main_size

    # The room a page gets: the main window at its size on this screen, less the
    # navigation, menus, status bar and the page's own heading and margins.
    window = MainWindow(ctx=ctx)
    window.resize(default_main_size(window).boundedTo(available(window)))
    window.show()
    _settle()
    from fit_pages import measure_pages, other_dialogs  # tests/ui, beside this script

    measure_pages(window, RESULTS)  # every page of the navigation (and each tab of it)
    if text_size:
        window.close()
        store.close()
        for r in RESULTS:
            print(json.dumps(r, ensure_ascii=False))
        return
    window.go_to(_("相談"))
    page = window.page_by_title(_("相談"))
    case_id = search_cases(ctx, CaseFilter(status="active")).rows[0].id
    page.open_case(case_id)
    _settle()
    room = window.page_scroll.size()
    chrome_w = page.width() - page.detail.width()
    chrome_h = page.height() - page.detail.height()
    room_w, room_h = room.width() - chrome_w, room.height() - chrome_h

    view = CaseDetailView(ctx=ctx)
    view.load(case_id)
    measure_view("ケース画面", view, room_w, room_h, view.tabs)
    rows = meetings.list_meetings(ctx, fy=2026)
    held = next((r for r in rows if r.decisions), rows[0])
    ws = MeetingWorkspace(ctx=ctx, meeting_id=held.id)
    measure_view("会議の画面", ws, room_w, room_h, ws.tabs)

    today = date(2026, 11, 26)
    now = datetime(2026, 11, 26, 10, 0)
    case = page.detail.case
    referral = next(iter(list_referrals(ctx, case_id)), None)
    consent = next(iter(list_consents(ctx, case_id)), None)
    for what, make in (
        ("新規ケースの受付", lambda: CaseFormDialog(ctx=ctx, today=today)),
        ("ケースの編集", lambda: CaseFormDialog(ctx=ctx, case=case, today=today)),
        ("経過記録の追加", lambda: cd.ContactDialog(ctx=ctx, case_id=case_id, now=now)),
        ("電話の簡易入力", lambda: cd.QuickPhoneDialog(ctx=ctx, case_id=case_id,
                                                        case_label=case.case_number, now=now)),
        ("ケースの取消", lambda: cd.ReasonDialog(_("ケースの取消"), _("取消の理由"),
                                                 lambda _r: None)),
        ("ケースの終結", lambda: cd.CloseDialog(ctx=ctx, case_id=case_id, today=today)),
        ("ケースの再開", lambda: cd.ReopenDialog(ctx=ctx, case_id=case_id, today=today)),
        ("状況の変更", lambda: cd.StatusDialog(ctx=ctx, case_id=case_id, current="active",
                                               today=today)),
        ("つなぎの追加", lambda: cd.ReferralDialog(ctx=ctx, case_id=case_id, today=today)),
        ("つなぎの状況", lambda: cd.ReferralStatusDialog(ctx=ctx, referral=referral,
                                                          today=today)),
        ("情報共有の同意", lambda: cd.ConsentDialog(ctx=ctx, case_id=case_id, today=today)),
        ("同意の撤回", lambda: cd.WithdrawDialog(ctx=ctx, consent_id=consent.id, today=today)),
        ("相談の取り込み", lambda: CaseImportDialog(ctx=ctx)),
        ("相談の書き出し", lambda: ExportDialog(ctx=ctx, years=[2025, 2026])),
        ("同じ人かもしれないケース", lambda: SamePersonDialog(possible_same_person(
            ctx, case.family_kana, case.given_kana, case.birth_date, case.family_name,
            case.given_name))),
    ):
        measure_dialog(what, make)

    def identity_found():
        """The question a 次回予定 naming a person of a case raises (nothing is saved)."""
        try:
            minutes.set_next_plan(ctx, held.id, f"{case.family_name}{case.given_name}さんの報告")
        except IdentityFound as found:
            return found
        raise AssertionError("the name was not recognized")

    body_rows = bodies.list_bodies(ctx)
    item = agenda.list_agenda(ctx, held.id)[0]
    response = attendance.list_attendance(ctx, held.id)[0]
    for what, make in (
        ("新しい会議体", lambda: BodyEditor(ctx=ctx)),
        ("会議体の編集", lambda: BodyEditor(ctx=ctx, body_id=body_rows[0].id)),
        ("新しい会議", lambda: md.NewMeetingDialog(ctx=ctx, bodies=body_rows)),
        ("前回の会議から作成", lambda: md.NewMeetingDialog(ctx=ctx, bodies=body_rows,
                                                          body_id=body_rows[0].id,
                                                          from_previous=True)),
        ("出欠の記録", lambda: md.ResponseDialog(ctx=ctx, row=response)),
        ("議題の追加", lambda: md.AgendaItemDialog(ctx=ctx, meeting_id=held.id)),
        ("議題の編集", lambda: md.AgendaItemDialog(ctx=ctx, meeting_id=held.id, row=item)),
        ("宿題事項の追加", lambda: md.ActionDialog(ctx=ctx, meeting_id=held.id)),
        ("町の休日の登録", lambda: ExtraHolidaysDialog(ctx=ctx)),
        ("対応状況の更新", lambda: md.ActionStatusDialog(
            ctx=ctx, row=list_actions(ctx, open_only=False)[0], meeting_id=held.id)),
        ("個人情報の扱い", lambda: IdentityDialog(identity_found())),
    ):
        measure_dialog(what, make)

    people_rows = directory_people.list_people(ctx)
    person = people_rows[0]
    org = list_organizations(ctx)[0]
    for what, make in (
        ("担当者の登録", lambda: PersonDialog(ctx=ctx)),
        ("担当者の編集", lambda: PersonDialog(ctx=ctx, person_id=person.id)),
        ("所属・職名の追加", lambda: PostDialog(ctx=ctx, person_id=person.id)),
        ("関係機関の登録", lambda: OrganizationDialog(ctx=ctx)),
        ("関係機関の編集", lambda: OrganizationDialog(ctx=ctx, org_id=org.id)),
        ("名簿の取り込み", lambda: DirectoryImportDialog(ctx=ctx)),
        ("統合", lambda: MergeDialog(ctx=ctx, kind="person", a=people_rows[0],
                                     b=people_rows[1])),
        ("後任の登録", lambda: SuccessorDialog(ctx=ctx, item=rollover_list(ctx).items[0],
                                               first_day=date(2027, 4, 1))),
    ):
        measure_dialog(what, make)
    for what, make in other_dialogs(ctx, window):
        measure_dialog(what, make)
    window.close()
    store.close()
    for r in RESULTS:
        print(json.dumps(r, ensure_ascii=False))


if __name__ == "__main__":
    main()
