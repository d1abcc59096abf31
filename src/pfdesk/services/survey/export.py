"""Export of a survey's answers: one row per anonymous person, for checking and own analysis.

No respondent is named: a row carries the 地区 (or 関係機関) it was reported under and the
coded answers. 備考 is left out for a reader who may not identify cases.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pfdesk.core.i18n import _
from pfdesk.core.permissions import Permission
from pfdesk.core.tabular import SheetData, write_xlsx
from pfdesk.services import audit
from pfdesk.services.context import ServiceContext, service
from pfdesk.services.masking import can_identify
from pfdesk.services.survey.surveys import get_survey_row
from pfdesk.services.survey.template import coded_label

HEADERS = ("地区・区分", "回答者区分", "性別", "年代", "家族構成", "状態", "期間", "きっかけ",
           "現在の支援", "支援している機関・人", "相談窓口の認知")


@service(Permission.CASE_READ)
def export_survey_answers(ctx: ServiceContext, survey_id: int, out_path: str | Path) -> int:
    """Write every reported person of ``survey_id`` to an .xlsx; returns the rows written."""
    identify = can_identify(ctx.actor)
    with ctx.session() as s:
        sv = get_survey_row(s, survey_id)
        rows: list[list[Any]] = []
        for r in sv.respondents:
            if r.answered_on is None:
                continue
            group = (r.district or _("地区不明")) if r.kind == "commissioner" else _("関係機関")
            kind = _("民生委員・児童委員") if r.kind == "commissioner" else _("関係機関")
            for p in r.persons:
                row: list[object] = [group, kind, coded_label("sex", p.sex), coded_label("age", p.age_band),
                       p.family, "、".join(p.states or ()), coded_label("period", p.period),
                       "、".join(p.triggers or ()), p.support, p.supporter, p.knows_window]
                if identify:
                    row.append(p.remarks)
                rows.append(row)
        headers = [_(h) for h in HEADERS] + ([_("備考")] if identify else [])
        answered = [r for r in sv.respondents if r.answered_on is not None]
        summary: list[list[Any]] = [[_("調査名"), sv.title], [_("回収数"), len(answered)],
                   [_("調査数"), len(sv.respondents)],
                   [_("把握人数"), sum(r.known_count or 0 for r in answered)]]
        write_xlsx(out_path, [
            SheetData(title=_("回答"), headers=headers, rows=rows),
            SheetData(title=_("概要"), headers=[_("項目"), _("値")], rows=summary),
        ])
        audit.record(s, ctx.actor, "survey.export", "survey", [sv.id], rows=len(rows),
                     file=Path(out_path).name, remarks=identify)
        s.commit()
        return len(rows)
