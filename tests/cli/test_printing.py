"""``pfdesk print …``: every document from the command line, with clear errors."""

from __future__ import annotations

from pypdf import PdfReader

from pfdesk.__main__ import main
from pfdesk.paths import DataPaths
from pfdesk.store.engine import open_store
from tests.printing_fixtures import build_meeting


def _store(tmp_path, kind="practitioners"):
    store = open_store(DataPaths(tmp_path / "data").ensure())
    built = build_meeting(store, kind)
    store.close()
    return built


def test_print_every_document(tmp_path, capsys):
    built = _store(tmp_path)
    data = str(tmp_path / "data")
    for kind in ("notice", "reply", "agenda", "roster", "signin", "packet", "minutes"):
        out = tmp_path / f"{kind}.pdf"
        assert main(["--data-dir", data, "print", kind, str(built.meeting_id), "--out",
                     str(out)]) == 0, kind
        assert len(PdfReader(out).pages) >= 1
    printed = capsys.readouterr().out
    assert "開催通知を書き出しました" in printed and "文書番号: み保福第1号" in printed


def test_notice_options_and_minutes_heading(tmp_path, capsys):
    built = _store(tmp_path)
    data = str(tmp_path / "data")
    out = tmp_path / "n.pdf"
    assert main(["--data-dir", data, "print", "notice", str(built.meeting_id), "--out", str(out),
                 "--kakui", "--date", "R8.11.16"]) == 0
    reader = PdfReader(out)
    assert len(reader.pages) == 1 and "各位" in reader.pages[0].extract_text()
    assert "令和8年11月16日" in reader.pages[0].extract_text()
    out = tmp_path / "m.pdf"
    assert main(["--data-dir", data, "print", "minutes", str(built.meeting_id), "--out", str(out),
                 "--heading", "議事要旨"]) == 0
    assert "議事要旨" in PdfReader(out).pages[0].extract_text()


def test_support_packet_copies(tmp_path, capsys):
    built = _store(tmp_path, "support_meeting")
    out = tmp_path / "p.pdf"
    assert main(["--data-dir", str(tmp_path / "data"), "print", "packet", str(built.meeting_id),
                 "--out", str(out), "--copies", "2"]) == 0
    assert "部数: 2部" in capsys.readouterr().out
    assert "No. 2" in PdfReader(out).pages[-1].extract_text()


def test_unknown_meeting_is_a_japanese_error(tmp_path, capsys):
    _store(tmp_path)
    code = main(["--data-dir", str(tmp_path / "data"), "print", "agenda", "4242", "--out",
                 str(tmp_path / "x.pdf")])
    assert code == 2
    assert "会議（ID 4242）が見つかりません" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_output_that_is_not_a_pdf_name_is_refused(tmp_path, capsys):
    built = _store(tmp_path)
    other = tmp_path / "会議一覧.xlsx"
    other.write_bytes(b"workbook")
    code = main(["--data-dir", str(tmp_path / "data"), "print", "agenda", str(built.meeting_id),
                 "--out", str(other)])
    assert code == 2
    assert ".pdf にしてください" in capsys.readouterr().err
    assert other.read_bytes() == b"workbook"
