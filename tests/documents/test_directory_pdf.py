"""The printed 名簿 and 宛名ラベル: Japanese text embedded, 五十音順, 12 labels a sheet."""

from __future__ import annotations

import subprocess

from pypdf import PdfReader

from pfdesk.documents.directory_pdf import (
    Label,
    RosterEntry,
    build_labels_pdf,
    build_roster_pdf,
)
from pfdesk.services.directory.printing import print_directory, print_labels


def _text(path) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(path).pages)


def test_roster_lists_entries_with_readings_and_role(tmp_path):
    out = tmp_path / "r.pdf"
    entries = [RosterEntry("みどり川町保健福祉課", "地域福祉係", "係長", "髙橋　一郎",
                           "たかはし　いちろう", "0889-52-0123", "会長")]
    assert build_roster_pdf(out, title="実務者会議　委員名簿", as_of="令和8年11月26日",
                            entries=entries, show_role=True, issuer="みどり川町 保健福祉課") == 1
    text = _text(out)
    for word in ("委員名簿", "髙橋", "たかはし", "会長", "0889-52-0123", "1名"):
        assert word in text


def test_a_name_with_a_rare_variant_never_prints_as_a_box(tmp_path):
    from pfdesk.core.fonts import find_fallback_fonts

    entries = [RosterEntry("NPO法人つむぎ", "", "代表", "𠮷田　花子", "よしだ　はなこ", "")]
    build_roster_pdf(tmp_path / "r.pdf", title="名簿", as_of="令和8年11月26日",
                     entries=entries, show_role=False)
    build_labels_pdf(tmp_path / "l.pdf", [Label("", "", (), "𠮷田　花子", "様")])
    fallbacks = find_fallback_fonts()
    for name in ("r.pdf", "l.pdf"):
        path = tmp_path / name
        text = _text(path)
        assert "〓" not in text and "田" in text, name
        if fallbacks:
            # Drawn as typed from the fallback font; the text layer cannot carry characters
            # beyond U+FFFF, so the check is that the fallback font is embedded.
            fonts = subprocess.run(["pdffonts", str(path)], capture_output=True,
                                   text=True).stdout
            assert fallbacks[0].path.stem.lower()[:5] in fonts.lower().replace("-", ""), name
        else:
            assert "吉田" in text, name


def test_labels_fill_twelve_per_sheet_with_honorifics(tmp_path):
    out = tmp_path / "l.pdf"
    labels = [Label("781-2104", "東雲県みどり川町川原町5番地1", ("社協", "課長"), f"山田　{i}郎",
                    "様") for i in range(13)]
    assert build_labels_pdf(out, labels) == 2
    reader = PdfReader(out)
    assert len(reader.pages) == 2
    assert reader.pages[0].extract_text().count("様") == 12
    assert build_labels_pdf(out, labels[:2], start_at=12) == 2  # a partly used sheet
    build_labels_pdf(out, [Label("", "", (), "みどり川町社会福祉協議会", "御中")])
    assert "御中" in _text(out)


def test_demo_roster_is_in_gojuon_order_and_audited(demo_ctx, tmp_path):
    from sqlalchemy import select

    from pfdesk.store.models import AuditEvent

    out = tmp_path / "demo.pdf"
    result = print_directory(demo_ctx, out)
    assert result.entries > 50 and result.pages >= 2
    first_page = PdfReader(out).pages[0].extract_text()
    assert first_page.index("いけだ") < first_page.index("いのうえ")
    labels = print_labels(demo_ctx, tmp_path / "l.pdf")
    assert labels.pages == -(-labels.entries // 12)
    with demo_ctx.session() as s:
        actions = set(s.scalars(select(AuditEvent.action)))
    assert {"directory.print.roster", "directory.print.labels"} <= actions


def test_a_name_other_than_pdf_is_refused_and_nothing_written(demo_ctx, tmp_path):
    import pytest

    from pfdesk.core.errors import ValidationError

    book = tmp_path / "名簿.xlsx"
    book.write_bytes(b"workbook")
    for fn in (print_directory, print_labels):
        with pytest.raises(ValidationError) as e:
            fn(demo_ctx, book)
        assert ".pdf" in e.value.message
    assert book.read_bytes() == b"workbook"


def test_body_roster_puts_the_chair_first_and_shows_each_term(demo_ctx, tmp_path):
    import re

    from sqlalchemy import select

    from pfdesk.core.wareki import format_date
    from pfdesk.store.models import Body, BodyMembership

    with demo_ctx.session() as s:
        body_id, start, end = next(
            (b.id, m.start_on, m.end_on)
            for b in s.scalars(select(Body)).all()
            for m in s.scalars(select(BodyMembership).where(
                BodyMembership.body_id == b.id, BodyMembership.role == "chair")).all()
            if m.start_on and m.end_on)
    out = tmp_path / "委員名簿.pdf"
    print_directory(demo_ctx, out, body_id=body_id)
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(out).pages))
    assert "（敬称略）" in text and "任期" in text
    assert f"{format_date(start)}～{format_date(end)}" in text
    assert text.index("会長") < text.index("委員", text.index("No."))
