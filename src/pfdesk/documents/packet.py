"""会議資料一式 (meeting packet): 次第, 出席者名簿, then every material in agenda order.

Each material carries its 資料番号 top-right on every page: generated materials get it
from the page template, attached PDFs are stamped. Attachments that are not PDFs
(Excel, Word) are represented by a cover page saying they are handed out separately.
For a 支援会議 the packet is printed once per attendee, every page marked
「取扱注意・会議終了後回収」 with the copy number, so each copy can be counted back in.
All copies are one reportlab build (``one_build``): fonts are embedded once.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from pfdesk.core.atomic import write_bytes_atomic
from pfdesk.core.i18n import _
from pfdesk.documents.meeting.agenda import agenda_story, roster_story
from pfdesk.documents.meeting.data import MeetingInfo, Office
from pfdesk.documents.one_build import Part, build_bundle
from pfdesk.documents.pdf import paragraph

#: What 支援会議 papers say on every page.
SUPPORT_MARKING = "取扱注意・会議終了後回収"

PDF = "pdf"
SEPARATE = "separate"
GENERATED = "generated"


@dataclass(frozen=True)
class PacketMaterial:
    """One material: an attached PDF (``data``), a separately handed-out file, or generated.

    ``build`` returns fresh flowables each call (a story cannot be laid out twice).
    """

    label: str
    title: str
    kind: str
    data: bytes = b""
    file_name: str = ""
    build: Callable[[], list] | None = None


@dataclass(frozen=True)
class PacketData:
    """Everything a packet needs; ``copies`` > 1 only for numbered 支援会議 copies."""

    office: Office
    meeting: MeetingInfo
    materials: tuple[PacketMaterial, ...] = ()
    marking: str | None = None
    copies: int = 1
    numbered: bool = False  # print 「No. k」 with the marking on every page
    # After all copies, once (the 配付番号管理表): fresh flowables each call.
    closing: Callable[[], list] | None = None


def separate_cover_story(material: PacketMaterial) -> list:
    """The cover page standing in for an Excel or Word file handed out on paper."""
    return [
        Spacer(1, 60 * mm),
        paragraph(material.title, "title"),
        Spacer(1, 10 * mm),
        paragraph(_("この資料（{name}）は別途配布します。").format(name=material.file_name),
                  "center"),
        paragraph(_("会議当日に配布する資料をご覧ください。"), "center"),
    ]


def _copy_parts(data: PacketData, marking: str | None, on_start: Callable[[], None] | None
                ) -> list[Part]:
    m, office = data.meeting, data.office
    parts = [
        Part(story=agenda_story(m, office), marking=marking, on_first_page=on_start),
        Part(story=roster_story(m), marking=marking),
    ]
    for mat in data.materials:
        if mat.kind == PDF:
            parts.append(Part(attachment=mat.data, source=mat.file_name or mat.title,
                              header_right=mat.label, marking=marking))
        elif mat.kind == SEPARATE:
            parts.append(Part(story=separate_cover_story(mat), header_right=mat.label,
                              marking=marking, page_numbers=False))
        else:
            assert mat.build is not None, "a generated material needs a build function"
            parts.append(Part(story=mat.build(), header_right=mat.label, marking=marking))
    return parts


def copy_marking(data: PacketData, copy_no: int) -> str | None:
    """The marking printed on copy ``copy_no``: 「取扱注意・会議終了後回収　No. 3／8」."""
    if not data.marking:
        return None
    return f"{data.marking}　No. {copy_no}／{data.copies}" if data.numbered else data.marking


def packet_metadata(data: PacketData) -> dict[str, str]:
    """Title, author (the municipality and its secretariat) and subject of the packet PDF."""
    office = data.office
    contents = [_("次第"), _("出席者名簿"), *(m.label for m in data.materials)]
    subject = _("会議資料一式（{items}）").format(items="・".join(contents))
    if data.copies > 1:
        subject += _("　{n}部").format(n=data.copies)
    return {
        "title": _("{meeting}　会議資料").format(meeting=data.meeting.title),
        "author": "　".join(x for x in (office.municipality, office.secretariat) if x),
        "subject": subject,
    }


def render_packet(data: PacketData, progress: Callable[[int, int], None] | None = None) -> bytes:
    """The whole packet as PDF bytes: all copies one after another, built as one document.

    Fonts are subset once for all copies and each attached PDF is read once.
    """
    copies = max(1, data.copies)
    parts: list[Part] = []
    for k in range(1, copies + 1):
        started = (lambda k=k: progress(k - 1, copies)) if progress else None
        parts.extend(_copy_parts(data, copy_marking(data, k), started))
    if data.closing is not None:
        parts.append(Part(story=data.closing(), marking=data.marking))
    meta = packet_metadata(data)
    pdf = build_bundle(parts, title=meta["title"], author=meta["author"],
                       subject=meta["subject"])
    if progress:
        progress(copies, copies)
    return pdf


def write_packet(path: str | Path, data: PacketData,
                 progress: Callable[[int, int], None] | None = None) -> int:
    """Write the packet PDF atomically; return its page count."""
    pdf = render_packet(data, progress)
    write_bytes_atomic(path, pdf)
    return len(PdfReader(io.BytesIO(pdf)).pages)
