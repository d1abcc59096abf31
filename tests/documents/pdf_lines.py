"""Read a PDF back line by line, as laid out (poppler's ``pdftotext -bbox-layout``)."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from pfdesk.documents.kinsoku import NO_END, NO_START

_NS = "{http://www.w3.org/1999/xhtml}"


def pdf_lines(path: str | Path) -> list[tuple[int, str]]:
    """(page number from 1, text) of every laid-out line, words joined without spaces."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True,
                         text=True, check=True).stdout
    root = ET.fromstring(out)
    found: list[tuple[int, str]] = []
    for number, page in enumerate(root.iter(f"{_NS}page"), start=1):
        for line in page.iter(f"{_NS}line"):
            text = "".join(w.text or "" for w in line.iter(f"{_NS}word"))
            if text:
                found.append((number, text))
    return found


def kinsoku_violations(path: str | Path) -> list[str]:
    """Lines that start with a closing mark or end with an opening one."""
    bad = []
    for page, text in pdf_lines(path):
        # 「・」 also opens a bulleted line, which is no violation.
        if (text[0] in NO_START and text[0] != "・") or text[-1] in NO_END:
            bad.append(f"p.{page}: {text}")
    return bad
