"""会議資料一式 (meeting packet): 次第, 出席者名簿, then every material in agenda order.

Each material carries its 資料番号 top-right on every page: generated materials get it
from the page template, attached PDFs are stamped. Attachments that are not PDFs
(Excel, Word) are represented by a cover page saying they are handed out separately.
For a 支援会議 the packet is printed once per attendee, every page marked
「取扱注意・会議終了後回収」 with the copy number, so each copy can be counted back in.
The copies differ only in that number: one copy is laid out (``one_build``: fonts
embedded once), and each copy's pages are that copy's page contents, shared, with its
own marking stamped on top (laying the same story out for every copy was 90% of the time).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    TextStringObject,
)
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Spacer

from pfdesk.core.atomic import write_bytes_atomic
from pfdesk.core.i18n import _
from pfdesk.documents.meeting.agenda import agenda_story, roster_story
from pfdesk.documents.meeting.data import MeetingInfo, Office
from pfdesk.documents.one_build import Part, build_bundle
from pfdesk.documents.pdf import (
    _MARK_RED,
    MARGIN_LEFT,
    _boxed,
    paragraph,
    printable,
)

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
    """The whole packet as PDF bytes: all copies one after another, then the closing part.

    Fonts are subset once for all copies and each attached PDF is read once; numbered
    copies are laid out once and stamped (:func:`_stamp_copies`).
    """
    return _render(data, progress)[0]


def _render(data: PacketData, progress: Callable[[int, int], None] | None
            ) -> tuple[bytes, int]:
    """:func:`render_packet`, and how many pages it has (known without reading it back)."""
    copies = max(1, data.copies)
    meta = packet_metadata(data)
    if data.numbered and data.marking:
        return _numbered_packet(data, copies, meta, progress)
    parts: list[Part] = []
    for k in range(1, copies + 1):
        started = (lambda k=k: progress(k - 1, copies)) if progress else None
        parts.extend(_copy_parts(data, copy_marking(data, k), started))
    if data.closing is not None:
        parts.append(Part(story=data.closing(), marking=data.marking))
    counts: list[int] = []
    pdf = build_bundle(parts, title=meta["title"], author=meta["author"],
                       subject=meta["subject"], page_counts=counts)
    if progress:
        progress(copies, copies)
    return pdf, sum(counts)


def _numbered_packet(data: PacketData, copies: int, meta: dict[str, str],
                     progress: Callable[[int, int], None] | None) -> tuple[bytes, int]:
    started = (lambda: progress(0, copies)) if progress else None
    # One copy without its marking, and the closing part (marked, not numbered) after it.
    parts = _copy_parts(data, None, started)
    closing = [Part(story=data.closing(), marking=data.marking)] if data.closing else []
    counts: list[int] = []
    markings = [copy_marking(data, k) or "" for k in range(1, copies + 1)]
    attached: list[bool] = []
    names: list[str] = []

    def draw_markings(c: Canvas, sizes: list[tuple[float, float]]) -> None:
        attached[:] = [bool(part.attachment) for part, n in zip(parts, counts, strict=False)
                       for _i in range(n)]
        _marking_forms(c, sizes[:len(attached)], attached, markings, names)

    base = build_bundle(parts + closing, title=meta["title"], author=meta["author"],
                        subject=meta["subject"], page_counts=counts, after=draw_markings)
    return _stamp_copies(base, len(attached), names, meta, progress)


#: The stamped marking's name among a page's resources.
_MARK = NameObject("/PfdeskMark")


def _marking_forms(c: Canvas, sizes: list[tuple[float, float]], attached: list[bool],
                   markings: list[str], names: list[str]) -> None:
    """A form per copy and page of the copy: only its marking, where the furniture puts it.

    Drawn on the packet's own canvas, so the markings' characters join the pages' font
    subsets (a canvas of their own embedded a third subset of the Gothic face). The place
    and look are those of ``pdf._draw_furniture``'s marking (top-left, red box; nearer the
    edge on an attached page, as its other furniture). ``names`` receives each form's
    name among the resources of one last page that draws them all, so they are written
    with the document; :func:`_stamp_copies` takes them from there and drops that page.
    """
    for k, marking in enumerate(markings):
        text = printable(marking)
        for i, ((width, height), under) in enumerate(zip(sizes, attached, strict=True)):
            name = f"PfdeskMark{k}_{i}"
            c.beginForm(name, 0, 0, width, height)
            left = min(MARGIN_LEFT, width * 0.08) if under else MARGIN_LEFT
            _boxed(c, text, right=None, left=left, top=height - 10 * mm, size=10.5,
                   color=_MARK_RED, bold=True)
            c.endForm()
            names.append("/" + c._doc.getXObjectName(name))
    for k in range(len(markings)):
        for i in range(len(sizes)):
            c.doForm(f"PfdeskMark{k}_{i}")
    c.showPage()


def _stamp_copies(base: bytes, n: int, names: list[str], meta: dict[str, str],
                  progress: Callable[[int, int], None] | None) -> tuple[bytes, int]:
    """The copy's ``n`` pages of ``base`` once per copy, each with its marking on top.

    ``base`` ends with the page holding the markings' forms (``names``, ``n`` per copy,
    see :func:`_marking_forms`), which is left out; the pages of ``base`` after the
    copy's (the closing part) follow the last copy as they are. Every copy's page shares
    the copy's content and resources and adds its own stamp, a small form: the file
    grows by a few hundred bytes a page, not by a copy. Returns the PDF and its pages.
    """
    reader = PdfReader(io.BytesIO(base))
    pages = list(reader.pages)
    resources = pages.pop()["/Resources"].get_object()
    assert isinstance(resources, DictionaryObject), "the markings' page lost its forms"
    forms = resources["/XObject"].get_object()
    assert isinstance(forms, DictionaryObject), "the markings' page lost its forms"
    writer = PdfWriter()
    begin = DecodedStreamObject()
    begin.set_data(b"q\n")
    end = DecodedStreamObject()
    end.set_data(b"\nQ\nq " + _MARK.encode() + b" Do Q\n")
    begin_ref, end_ref = writer._add_object(begin), writer._add_object(end)
    copies = len(names) // n if n else 0
    for k in range(copies):
        for i in range(n):
            page = writer.add_page(pages[i])  # a page of its own over the shared content
            resources = DictionaryObject(page.get("/Resources", DictionaryObject()).get_object())
            xobjects = DictionaryObject(
                resources.get("/XObject", DictionaryObject()).get_object())
            xobjects[_MARK] = forms.raw_get(names[k * n + i]).clone(writer)
            resources[NameObject("/XObject")] = xobjects
            page[NameObject("/Resources")] = resources
            content = page.get("/Contents")
            if content is None:
                shared = []
            elif isinstance(content.get_object(), ArrayObject):
                shared = list(content.get_object())
            else:
                shared = [content]
            page[NameObject("/Contents")] = ArrayObject([begin_ref, *shared, end_ref])
        if progress:
            progress(k + 1, copies)
    for page in pages[n:]:
        writer.add_page(page)
    writer.add_metadata({"/Title": meta["title"], "/Author": meta["author"],
                         "/Subject": meta["subject"], "/Creator": "pfdesk"})
    writer._root_object[NameObject("/Lang")] = TextStringObject("ja-JP")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.pages)


def write_packet(path: str | Path, data: PacketData,
                 progress: Callable[[int, int], None] | None = None) -> int:
    """Write the packet PDF atomically; return its page count."""
    pdf, pages = _render(data, progress)
    write_bytes_atomic(path, pdf)
    return pages
