"""Many documents laid out as one PDF: one reportlab build, fonts subset once.

A packet (次第, 名簿, each material, for every numbered copy) used to be built part by
part and merged, so each part carried its own font subsets: 56 font objects and 1.65 MB
for 21 pages. Here every part is a page template of one document with its own furniture
(資料番号, marking, copy number, page numbers restarting at 「- 1 -」). An attached PDF
becomes pages that carry only the furniture; its own pages are laid under them afterwards,
shrunk into the area below the stamp band (:func:`pdf.stamp_scale`).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pypdf import PdfReader, PdfWriter, Transformation
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, NextPageTemplate, PageBreak
from reportlab.platypus.doctemplate import PageTemplate

from pfdesk.documents.pdf import (
    GOTHIC,
    MARGIN_BOTTOM,
    MARGIN_LEFT,
    MARGIN_RIGHT,
    MARGIN_TOP,
    _draw_furniture,
    _page_label,
    _read_pdf,
    register_fonts,
    stamp_scale,
)


@dataclass
class Part:
    """One document of the bundle: flowables, or the pages of an attached PDF."""

    story: list = field(default_factory=list)
    attachment: bytes = b""
    source: str = ""  # the attachment's file name, for error messages
    header_right: str | None = None
    marking: str | None = None
    copy_label: str | None = None
    page_numbers: bool = True
    on_first_page: Callable[[], None] | None = None


class _Blank(Flowable):
    """Nothing to draw: holds an attachment's page open for its furniture."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return (0, 0)

    def draw(self) -> None:
        return None


def _attachment_pages(data: bytes, source: str) -> list[Any]:
    reader = _read_pdf(data, source)
    writer = PdfWriter(clone_from=reader)
    for page in writer.pages:
        if page.rotation:
            page.transfer_rotation_to_content()  # "top right" as the reader sees it
    return list(writer.pages)


def build_bundle(parts: Sequence[Part], *, title: str, author: str, subject: str,
                 page_counts: list[int] | None = None,
                 after: Callable[[Canvas, list[tuple[float, float]]], None] | None = None
                 ) -> bytes:
    """All ``parts`` as one PDF, in order; each starts on a new page.

    ``page_counts``, if given, receives how many pages each part took. ``after``, if
    given, draws on the canvas once the parts are laid out (and ``page_counts`` filled),
    given every page's size, before the file is written: forms drawn there share the
    parts' font subsets.
    """
    register_fonts()
    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN_LEFT, rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM, title=title, author=author,
        subject=subject, creator="pfdesk", lang="ja-JP", initialFontName=GOTHIC,
    )
    frame_a4 = Frame(MARGIN_LEFT, MARGIN_BOTTOM, A4[0] - MARGIN_LEFT - MARGIN_RIGHT,
                     A4[1] - MARGIN_TOP - MARGIN_BOTTOM, id="body")
    templates: list[PageTemplate] = []
    story: list = []
    # output page index -> (attached page laid under it, shrunk below the stamp band)
    underlays: dict[int, tuple[Any, bool]] = {}
    cache: dict[int, list[Any]] = {}  # id(data) -> pages, so 30 copies parse a file once

    states: list[dict[str, int]] = []
    sizes: list[tuple[float, float]] = []
    for index, part in enumerate(parts):
        state: dict[str, int] = {}
        states.append(state)

        def on_page(canvas: Canvas, _doc: Any, part: Part = part, state: dict = state,
                    under: Any = None) -> None:
            number = canvas.getPageNumber()
            state["last"] = number
            if "start" not in state:
                state["start"] = number
                if part.on_first_page:
                    part.on_first_page()
            width, height = canvas._pagesize
            sizes.append((width, height))
            attached = under is not None
            if attached:
                underlays[number - 1] = (under, bool(part.header_right or part.marking))
            _draw_furniture(
                canvas, width, height,
                number=_page_label(number - state["start"] + 1, None)
                if part.page_numbers else None,
                header_right=part.header_right, copy_label=part.copy_label,
                marking=part.marking,
                right_margin=min(MARGIN_RIGHT, width * 0.08) if attached else MARGIN_RIGHT,
                left_margin=min(MARGIN_LEFT, width * 0.08) if attached else MARGIN_LEFT,
            )

        if part.attachment:
            key = id(part.attachment)
            if key not in cache:
                cache[key] = _attachment_pages(part.attachment, part.source)
            pages = cache[key]
        else:
            pages = [None]
        for j, page in enumerate(pages):
            tid = f"p{index}-{j}"
            if page is None:
                size, frame = A4, frame_a4
            else:
                size = (float(page.cropbox.width), float(page.cropbox.height))
                frame = Frame(0, 0, size[0], size[1], id=tid)

            def hook(canvas: Canvas, doc_: Any, _f: Callable = on_page, _p: Any = page) -> None:
                _f(canvas, doc_, under=_p)

            templates.append(PageTemplate(id=tid, frames=[frame], onPage=hook, pagesize=size))
            if story or j:
                story += [NextPageTemplate(tid), PageBreak()]
            story += part.story if page is None else [_Blank()]
    doc.addPageTemplates(templates)
    if after is not None:
        doc._doSave = 0  # reportlab's own switch (multiBuild): the file is saved below
    doc.build(story)
    if page_counts is not None:
        page_counts[:] = [st["last"] - st["start"] + 1 if st else 0 for st in states]
    if after is not None:
        after(doc.canv, sizes)
        doc.canv.save()
    return _lay_under(buffer.getvalue(), underlays)


def _lay_under(data: bytes, underlays: dict[int, tuple[Any, bool]]) -> bytes:
    if not underlays:
        return data
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    for index, (src, stamped) in underlays.items():
        box = src.cropbox
        left, bottom = float(box.left), float(box.bottom)
        width, height = float(box.width), float(box.height)
        move = Transformation().translate(-left, -bottom)
        if stamped:
            scale = stamp_scale(height)
            move = move.scale(scale, scale).translate((width - width * scale) / 2, 0)
        writer.pages[index].merge_transformed_page(src, move, over=False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
