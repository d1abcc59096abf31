"""回答用紙 (.xlsx): the answer sheet a respondent fills in Excel and pfdesk reads back.

Sheets: 「表紙」 (項目 | 内容: who answers, 把握している人数, and the 調査番号・回答者番号 pfdesk
checks on reading), 「回答」 (one row per person, drop-down lists for single choices) and
「選択肢」 (the options of each question). Multiple choices are typed separated by 「、」.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from pfdesk.core.atomic import write_bytes_atomic
from pfdesk.core.i18n import _

COVER = "表紙"
ANSWERS = "回答"
CHOICES = "選択肢"
#: Rows offered for persons (more can be added below).
ROWS = 30

#: 表紙 items pfdesk reads back: key → 項目 as printed.
COVER_ITEMS = {
    "survey": "調査番号",
    "respondent": "回答者番号",
    "known_count": "把握している人数",
    "answered_on": "回答日",
}

#: 回答 columns: question key → header. Headers are what the reader matches.
COLUMNS: tuple[tuple[str, str], ...] = (
    ("sex", "性別"), ("age", "年代"), ("family", "家族構成"), ("states", "状態"),
    ("period", "期間"), ("triggers", "きっかけ"), ("support", "現在の支援"),
    ("supporter", "支援している機関・人"), ("knows_window", "相談窓口の認知"), ("remarks", "備考"),
)

_HEAD = PatternFill("solid", fgColor="D9D9D9")
_INPUT = PatternFill("solid", fgColor="FFF2CC")


@dataclass(frozen=True)
class AnswerSheetData:
    """What the sheet is made from."""

    survey_id: int
    respondent_id: int | None
    title: str
    fiscal_year_label: str
    respondent: str
    district: str
    questions: dict


def build_answer_sheet(data: AnswerSheetData) -> bytes:
    """The workbook as bytes."""
    wb = Workbook()
    cover = wb.active
    cover.title = COVER
    cover.append([_("項目"), _("内容")])
    rows = [
        (_("調査名"), data.title), (_("年度"), data.fiscal_year_label),
        (_("回答者"), data.respondent), (_("担当地区"), data.district),
        (_(COVER_ITEMS["known_count"]), None), (_(COVER_ITEMS["answered_on"]), None),
        (_(COVER_ITEMS["survey"]), data.survey_id),
        (_(COVER_ITEMS["respondent"]), data.respondent_id or ""),
    ]
    for row in rows:
        cover.append(list(row))
    for cell in cover[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEAD
    for r in (6, 7):
        cover.cell(row=r, column=2).fill = _INPUT
    cover.column_dimensions["A"].width = 22
    cover.column_dimensions["B"].width = 60
    notes = [
        _("記入のしかた"),
        _("・黄色のセルに記入してください。「把握している人数」は合計を数字で（いない場合は 0）。"),
        _("・「回答」シートに1人1行で記入してください。氏名・住所など個人が特定できることは書かないでください。"),
        _("・「状態」「きっかけ」は複数選べます。「、」で区切って「選択肢」シートの言葉のとおり入力してください。"),
        _("・調査番号・回答者番号は変えないでください（取り込みのときに確かめます）。"),
    ]
    cover.append([])
    for line in notes:
        cover.append([line])

    choices = wb.create_sheet(CHOICES)
    ans = wb.create_sheet(ANSWERS, 1)
    asked = [(k, h) for k, h in COLUMNS if data.questions[k].get("enabled", True)]
    ans.append([_("No")] + [_(h) for _k, h in asked])
    for c, cell in enumerate(ans[1], start=1):
        cell.font = Font(bold=True)
        cell.fill = _HEAD
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ans.column_dimensions[get_column_letter(c)].width = 6 if c == 1 else 18
    for n in range(1, ROWS + 1):
        ans.append([n])
    ans.freeze_panes = "B2"
    for c, (key, header) in enumerate(asked, start=1):
        options = data.questions[key]["options"]
        choices.cell(row=1, column=c, value=_(header)).font = Font(bold=True)
        for r, option in enumerate(options, start=2):
            choices.cell(row=r, column=c, value=option)
        choices.column_dimensions[get_column_letter(c)].width = 24
        if key in ("states", "triggers", "remarks") or not options:
            continue
        letter = get_column_letter(c)
        dv = DataValidation(type="list", allow_blank=True,
                            formula1=f"'{CHOICES}'!${letter}$2:${letter}${len(options) + 1}",
                            showErrorMessage=True, errorTitle=_("選択肢にない値"),
                            error=_("「選択肢」シートにある言葉から選んでください。"))
        col = get_column_letter(c + 1)
        dv.add(f"{col}2:{col}{ROWS + 1}")
        ans.add_data_validation(dv)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def write_answer_sheet(path: str | Path, data: AnswerSheetData) -> None:
    """Write the answer sheet, replacing ``path`` only once complete."""
    write_bytes_atomic(path, build_answer_sheet(data))
