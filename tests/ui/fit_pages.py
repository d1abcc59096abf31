"""For tests/ui/fit_worker.py: every main page of the window, and the dialogs of the other pages.

:func:`measure_pages` shows each page of ``ui.main_window.PAGES`` (each tab of a page with
tabs) in the main window as sized on the scaled screen and reports whether the page
scrolls as a whole; :func:`squeezed_labels` finds wrapped texts drawn cut; and
:func:`other_dialogs` lists the dialogs of はじめての設定, 進行管理, 地域課題, 支援,
実態把握, 報告 and 管理 for ``measure_dialog``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import QApplication, QTabWidget, QWidget


def _settle() -> None:
    from pfdesk.ui.tasks import wait_for_all

    for _i in range(4):
        QApplication.processEvents()
    wait_for_all()  # the pages read their rows on the background worker
    for _i in range(4):
        QApplication.processEvents()


def _first_tabs(page: QWidget) -> QTabWidget | None:
    """The page's own tabs (the outermost tab widget), if it has any."""
    tabs = page.findChildren(QTabWidget)
    outer = [t for t in tabs if not any(o is not t and o.isAncestorOf(t) for o in tabs)]
    return outer[0] if outer else None


def measure_pages(window, results: list[dict], *, only: tuple[str, ...] = ()) -> None:
    """Each main page (and each of its tabs) in ``window``: does it fit without scrolling?"""
    from pfdesk.ui.main_window import PAGES

    for label, _module, _cls in PAGES:
        if only and label not in only:
            continue
        window.go_to(label)
        _settle()
        page = window.page_by_title(label)
        tabs = _first_tabs(page)
        for index in range(tabs.count() if tabs is not None else 1):
            if tabs is not None:
                tabs.setCurrentIndex(index)
                _settle()
            what = f"ページ {label}" + (f" — {tabs.tabText(index)}" if tabs is not None else "")
            scroll = window.page_scroll
            hint = window.stack.minimumSizeHint()
            room = scroll.size()
            results.append({
                "what": what, "need_w": hint.width(), "need_h": hint.height(),
                "room_w": room.width(), "room_h": room.height(),
                "scrolls": scroll.horizontalScrollBar().isVisible()
                or scroll.verticalScrollBar().isVisible(),
                "squeezed": squeezed_labels(page)})


def other_dialogs(ctx, window) -> list[tuple[str, Callable[[], QWidget]]]:
    """(name, make) for the dialogs of はじめての設定, 進行管理 … 管理."""
    from pfdesk.core.i18n import _
    from pfdesk.services import accounts
    from pfdesk.services.consultations.search import CaseFilter, search_cases
    from pfdesk.services.support.assessments import list_assessments
    from pfdesk.services.support.plans import list_plans
    from pfdesk.services.survey.answers import respondent_answers
    from pfdesk.services.survey.surveys import get_survey, list_surveys
    from pfdesk.ui.area_issues.dialogs import IssuesDialog
    from pfdesk.ui.first_start import FirstStartDialog
    from pfdesk.ui.progress.dialog import LedgerDialog
    from pfdesk.ui.progress.page import BodiesDialog, FindingDialog
    from pfdesk.ui.returns.make_tab import EXAMPLES, FigureListDialog
    from pfdesk.ui.returns.mapper import FormMapperDialog
    from pfdesk.ui.security.audit_viewer import AuditDialog
    from pfdesk.ui.security.encryption import EncryptionDialog
    from pfdesk.ui.security.first_admin import FirstAdminDialog
    from pfdesk.ui.security.password import ChangePasswordDialog
    from pfdesk.ui.security.retention import RetentionDialog
    from pfdesk.ui.security.users import ResetPasswordDialog, UserDialog, UsersDialog
    from pfdesk.ui.security.widgets import RecoveryKeyDialog
    from pfdesk.ui.support.dialogs import AssessmentDialog, PlanDialog, ReviewDialog
    from pfdesk.ui.survey.answers_dialog import AnswersDialog
    from pfdesk.ui.survey.dialogs import RespondentsDialog, SurveyDialog

    today = date(2026, 11, 26)
    progress = window.page_by_title(_("進行管理"))
    meeting_id = progress.meeting.currentData()
    lines = progress.model.rows[:2]
    detail = get_survey(ctx, list_surveys(ctx)[0].id)
    planned = next(r.id for r in search_cases(ctx, CaseFilter(status="active")).rows
                   if list_plans(ctx, r.id))
    plans = list_plans(ctx, planned)
    users = accounts.list_users(ctx)
    return [
        ("はじめての設定", lambda: FirstStartDialog(ctx=ctx)),
        ("進行管理の台帳", lambda: LedgerDialog(ctx=ctx, meeting_id=meeting_id)),
        ("進行管理の所見", lambda: FindingDialog(ctx=ctx, meeting_id=meeting_id, lines=lines)),
        ("進行管理の会議体", lambda: BodiesDialog(ctx=ctx)),
        ("地域課題の設定", lambda: IssuesDialog(ctx=ctx, what=_("このケース"), current=(),
                                                save=lambda _keys: None)),
        ("アセスメントの記録", lambda: AssessmentDialog(
            ctx=ctx, case_id=planned, today=today,
            latest=next(iter(list_assessments(ctx, planned)), None))),
        ("支援計画の見直し", lambda: PlanDialog(ctx=ctx, case_id=planned, today=today,
                                                 latest=plans[0])),
        ("支援計画の作成", lambda: PlanDialog(ctx=ctx, case_id=planned, today=today)),
        ("評価の記録", lambda: ReviewDialog(ctx=ctx, case_id=planned, plan=plans[0],
                                            today=today)),
        ("新しい調査", lambda: SurveyDialog(ctx=ctx, fiscal_year=2027, previous=detail)),
        ("調査の設定・質問", lambda: SurveyDialog(ctx=ctx, fiscal_year=detail.fiscal_year,
                                                  detail=detail)),
        ("回答者を選ぶ", lambda: RespondentsDialog(ctx=ctx, detail=detail)),
        ("回答の入力", lambda: AnswersDialog(
            ctx=ctx, answers=respondent_answers(ctx, detail.respondents[0].id))),
        ("使える数値名", lambda: FigureListDialog()),
        ("記入設定を画面で作る", lambda: FormMapperDialog(
            form_path=str(EXAMPLES / "example_form.xlsx"),
            mapping_path=str(EXAMPLES / "example_mapping.toml"))),
        ("監査ログ", lambda: AuditDialog(ctx=ctx)),
        ("利用者の管理", lambda: UsersDialog(ctx=ctx)),
        ("利用者の追加", lambda: UserDialog(ctx=ctx)),
        ("利用者の編集", lambda: UserDialog(ctx=ctx, user=users[0])),
        ("パスワードの再設定", lambda: ResetPasswordDialog(ctx=ctx, user=users[0])),
        ("パスワードの変更", lambda: ChangePasswordDialog(ctx=ctx)),
        ("保存期間", lambda: RetentionDialog(ctx=ctx)),
        ("暗号化", lambda: EncryptionDialog(ctx=ctx)),
        ("最初の管理者", lambda: FirstAdminDialog(ctx=ctx)),
        ("回復キー", lambda: RecoveryKeyDialog("ABCD-EFGH-JKLM-NPQR-STUV-WXYZ-2345-6789")),
    ]


def squeezed_labels(widget: QWidget) -> list[str]:
    """Wrapped labels given less height than their lines need (drawn cut or overlapping)."""
    from PySide6.QtWidgets import QLabel

    found = []
    for label in widget.findChildren(QLabel):
        if not (label.isVisible() and label.wordWrap() and label.text()):
            continue
        # A label inside a scrolled area the user scrolls to is not squeezed.
        if label.height() + 2 < label.heightForWidth(label.width()):
            found.append(label.text()[:30])
    return found
