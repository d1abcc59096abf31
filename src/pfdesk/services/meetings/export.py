"""The meeting list as a workbook: one row per meeting (``pfdesk export meetings``)."""

from __future__ import annotations

from pathlib import Path

from pfdesk.core.errors import FileProblem, ValidationError
from pfdesk.core.fiscal import fiscal_year_range
from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.core.tabular import SheetData, write_xlsx
from pfdesk.core.wareki import format_fiscal_year
from pfdesk.services import audit
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.meetings.meetings import list_meetings

HEADERS = [
    "会議ID", "年度", "会議体", "種類", "回次", "開催日", "曜日・和暦", "時間", "場所", "状況",
    "招集者数", "出席", "うち代理出席", "うちオンライン", "欠席", "未回答", "決定事項数",
    "未完了の宿題事項数",
]


@service(Permission.MEETING_READ)
def export_meetings(ctx: ServiceContext, out: str | Path, fy: int | None = None) -> int:
    """Write the meetings of 年度 ``fy`` (all when None) to ``out``; returns the row count.

    会議ID is the number the window shows and ``pfdesk print`` takes.
    """
    from pfdesk.services.meetings.attendance import counts_by_meeting

    if Path(out).suffix.lower() != ".xlsx":
        # The workbook writer would put an Excel file behind any name, e.g. 一覧.csv.
        raise ValidationError(
            _("書き出し先「{name}」の拡張子は .xlsx にしてください。").format(name=Path(out).name),
            field="out", hint=_("例: pfdesk export meetings 会議一覧.xlsx"),
        )
    folder = Path(out).expanduser().resolve().parent
    if not folder.is_dir():
        raise FileProblem(
            _("書き出し先のフォルダがありません。"), where=str(folder),
            hint=_("フォルダを作成するか、別の場所を指定してください。"),
        )
    rows = list_meetings(ctx, fy=fy)
    with ctx.session() as s:
        counts = counts_by_meeting(s, [r.id for r in rows])
    data = []
    for r in rows:
        c = counts.get(r.id, {})
        data.append([
            r.id, format_fiscal_year(r.fiscal_year), r.body_name, r.kind_label,
            _("第{n}回").format(n=r.number), r.held_on, r.date_text, r.time_text, r.place,
            r.status_label, r.invited, r.present, c.get("proxy", 0), c.get("online", 0),
            r.absent, r.pending, r.decisions, r.open_actions,
        ])
    title = format_fiscal_year(fy) + _("の会議") if fy else _("会議一覧")
    write_xlsx(out, [SheetData(title=title, headers=[_(h) for h in HEADERS], rows=data)])
    with ctx.session() as s:
        period = [d.isoformat() for d in fiscal_year_range(fy)] if fy else []
        audit.record(s, ctx.actor, "meetings.export", "meeting", [r.id for r in rows],
                     file=str(out), fiscal_year=fy, period=period)
        s.commit()
    return len(rows)
