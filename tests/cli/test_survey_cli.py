"""``pfdesk survey …`` on a copy of the demo town."""

from __future__ import annotations

from pypdf import PdfReader

from pfdesk.__main__ import main


def test_list_print_report_and_reminders(demo_store, tmp_path, capsys):
    data = str(demo_store.paths.root)
    demo_store.close()
    assert main(["--data-dir", data, "survey", "list"]) == 0
    listed = capsys.readouterr().out
    assert "令和8年度" in listed and "16/18" in listed and "88.9%" in listed and "48人" in listed
    q = tmp_path / "q.pdf"
    assert main(["--data-dir", data, "survey", "print", "2026", "--out", str(q)]) == 0
    out = capsys.readouterr().out
    assert "調査票 18 部" in out and "文書番号: み保福第1号" in out
    assert len(PdfReader(q).pages) >= 36
    report = tmp_path / "report.pdf"
    assert main(["--data-dir", data, "survey", "report", "2026", "--out", str(report)]) == 0
    first = PdfReader(report).pages[0].extract_text()
    assert "結果報告" in first and "把握人数" in first
    assert main(["--data-dir", data, "survey", "reminders", "2026"]) == 0
    out = capsys.readouterr().out
    assert "未回答（2件）" in out and "医療法人緑風会みどり川病院" in out and "期限を過ぎています" in out


def test_unknown_survey_is_a_clear_error(demo_store, tmp_path, capsys):
    data = str(demo_store.paths.root)
    demo_store.close()
    assert main(["--data-dir", data, "survey", "report", "1999", "--out",
                 str(tmp_path / "r.pdf")]) == 2
    assert "調査「1999」が見つかりません" in capsys.readouterr().err


def test_import_does_not_replace_an_entered_answer_unless_told(ctx, tmp_path, capsys):
    from pfdesk.services.survey import answers
    from pfdesk.services.survey.template import PersonAnswer
    from tests.services.test_conflicts_survey_returns import _answer, _filled_sheet, _respondent

    sid, rid = _respondent(ctx)
    sheet = tmp_path / "回答用紙.xlsx"
    _filled_sheet(ctx, sid, rid, sheet)
    _answer(ctx, rid, 1, PersonAnswer(sex="male", age_band="30s"))  # typed in meanwhile
    data = str(ctx.store.paths.root)
    ctx.store.close()
    assert main(["--data-dir", data, "survey", "import", str(sid), str(sheet)]) != 0
    err = capsys.readouterr().err
    assert "みどり川町社会福祉協議会の回答はすでに入力されています" in err
    assert "把握している人数 1人" in err and "--replace" in err
    assert answers.respondent_answers(ctx, rid).respondent.known_count == 1  # kept
    assert main(["--data-dir", data, "survey", "import", str(sid), str(sheet),
                 "--replace"]) == 0
    assert "置き換えました" in capsys.readouterr().out
    assert answers.respondent_answers(ctx, rid).respondent.known_count == 3
