"""Finding case identities in free text: names, readings, birth dates, addresses, phones, numbers.

Text typed into meetings (titles, 要点筆記, 決定事項, 宿題事項, 次回予定, 資料名) and the text
of attached files is compared with every case's identity after folding (異体字, width,
katakana/hiragana, spaces and hyphens), so 「吉田 真由美」, 「よしだまゆみ」, 「平成元年6月18日」
and 「０８８９－５２－０１２３」 are all caught. :class:`Pseudonymizer` replaces what is
found with 「ケースA」, 「ケースB」 … for readers who may not identify the case.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from pfdesk.core.i18n import _
from pfdesk.core.kana import ITAIJI
from pfdesk.core.wareki import ERAS
from pfdesk.store.models import Case

#: What kind of identity a match is, as the entry question names it.
KIND_LABELS = {
    "name": "氏名", "reading": "ふりがな", "birth_date": "生年月日", "address": "住所",
    "phone": "電話番号", "case_number": "ケース番号", "surname": "姓・名",
}

_ITAIJI_TABLE = str.maketrans(ITAIJI)
_KATA_TO_HIRA = {c: c - 0x60 for c in range(0x30A1, 0x30F7)}
_HYPHENS = frozenset("-\u02d7\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u2500\u2501"
                     "\ufe58\ufe63\uff0d")
_DROP = re.compile(r"[\s・\ufe00-\ufe0f\U000e0100-\U000e01ef]")


def _is_kana(c: str) -> bool:
    return "\u3041" <= c <= "\u30ff"


def _fold_char(ch: str) -> str:
    """What one character (other than ー) folds to; remembered in :data:`_PIECES`."""
    if ch in _HYPHENS:
        piece = "-"
    else:
        piece = unicodedata.normalize("NFKC", ch).translate(_ITAIJI_TABLE)
        piece = piece.translate(_KATA_TO_HIRA).lower()
        piece = _DROP.sub("", piece)
        piece = "".join("-" if c in _HYPHENS else c for c in piece)
    _PIECES[ch] = piece
    return piece


# Folding is per character, so each character is folded once per process: building the
# index folds every case's strings (240,000 at 9,000 cases), mostly the same characters.
_PIECES: dict[str, str] = {}


def fold_with_positions(text: str) -> tuple[str, list[int]]:
    """``text`` folded for matching, and for each folded character its index in ``text``.

    Folding: NFKC per character, 異体字 to the standard form, katakana to hiragana, lower
    case, spaces and ・ dropped, hyphen-like characters (and ー after a non-kana) to ``-``.
    """
    out: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text or ""):
        if ch == "ー":
            piece = "ー" if out and _is_kana(out[-1]) else "-"
        else:
            known = _PIECES.get(ch)
            piece = _fold_char(ch) if known is None else known
        for c in piece:
            out.append(c)
            where.append(i)
    return "".join(out), where


def fold(text: str) -> str:
    """``text`` folded as :func:`fold_with_positions` folds it."""
    parts: list[str] = []
    last = ""
    pieces = _PIECES
    for ch in text or "":
        if ch == "ー":
            piece = "ー" if last and _is_kana(last) else "-"
        else:
            known = pieces.get(ch)
            piece = _fold_char(ch) if known is None else known
        if piece:
            parts.append(piece)
            last = piece[-1]
    return "".join(parts)


def birth_date_forms(d: date) -> list[str]:
    """How a birth date may be typed: 西暦 with - / . 年月日, and 和暦 (元年, H1.6.18)."""
    y, m, dd = d.year, d.month, d.day
    forms = []
    for mm, ds in ((f"{m}", f"{dd}"), (f"{m:02d}", f"{dd:02d}")):
        forms += [f"{y}-{mm}-{ds}", f"{y}/{mm}/{ds}", f"{y}.{mm}.{ds}", f"{y}年{mm}月{ds}日"]
        for era in ERAS:
            if d >= era.start:
                n = y - era.start.year + 1
                for year in {str(n), f"{n:02d}", *(("元",) if n == 1 else ())}:
                    forms.append(f"{era.name}{year}年{mm}月{ds}日")
                    if year != "元":
                        for sep in ".-/":
                            forms.append(f"{era.abbrev}{year}{sep}{mm}{sep}{ds}")
                break
    return forms


def _address_forms(address: str) -> list[str]:
    """The address as stored, and without its 都道府県 and 市区町村 (「栄町4丁目17番地」)."""
    forms = [address]
    rest = re.sub(r"^.{2,3}?[都道府県]", "", address)
    rest = re.sub(r"^.+?[市区町村]", "", rest, count=1)
    if rest != address and len(rest) >= 4 and re.search(r"[0-9０-９一二三四五六七八九十]", rest):
        forms.append(rest)
    return forms


@dataclass(frozen=True)
class IdentityMatch:
    """One identity found in a text: which case, what kind, where (in the text as typed)."""

    case_id: int
    case_number: str
    kind: str
    start: int
    end: int
    found: str  # the text as typed

    @property
    def kind_label(self) -> str:
        """氏名, ふりがな, 生年月日 … in Japanese."""
        return _(KIND_LABELS.get(self.kind, self.kind))


class IdentityIndex:
    """Every case's identity strings, folded, for finding them in free text."""

    def __init__(self, entries: Iterable[tuple[int, str, str, str]], *,
                 folded: bool = False) -> None:
        # folded string → (case id, case number, kind); the first case wins on a tie.
        self._by_text: dict[str, tuple[int, str, str]] = {}
        for case_id, number, kind, value in entries:
            key = value if folded else fold(value)
            if len(key) >= (3 if kind == "reading" else 2):
                self._by_text.setdefault(key, (case_id, number, kind))
        self._index_table()

    @classmethod
    def from_table(cls, by_text: dict[str, tuple[int, str, str]]) -> IdentityIndex:
        """An index over ``by_text`` (folded string → case id, number, kind), kept as given."""
        index = cls.__new__(cls)
        index._by_text = by_text
        index._index_table()
        return index

    def _index_table(self) -> None:
        self._lengths = sorted({len(k) for k in self._by_text}, reverse=True)
        self.numbers = {cid: num for cid, num, _k in self._by_text.values()}

    def __bool__(self) -> bool:
        return bool(self._by_text)

    def find(self, text: str) -> list[IdentityMatch]:
        """Identities in ``text``, left to right, longest first, not overlapping."""
        if not text or not self._by_text:
            return []
        folded, where = fold_with_positions(text)
        out = []
        i = 0
        n = len(folded)
        while i < n:
            for length in self._lengths:
                if i + length > n:
                    continue
                hit = self._by_text.get(folded[i:i + length])
                if hit is None or not _on_boundary(folded, i, i + length, hit[2]):
                    continue
                start, end = where[i], where[i + length - 1] + 1
                out.append(IdentityMatch(hit[0], hit[1], hit[2], start, end, text[start:end]))
                i += length
                break
            else:
                i += 1
        return out


def _on_boundary(folded: str, start: int, end: int, kind: str) -> bool:
    # Digits must not run on: 0889-52-0123 is not inside 10889-52-01234.
    if kind in ("phone", "birth_date", "case_number"):
        before = folded[start - 1] if start else ""
        after = folded[end] if end < len(folded) else ""
        return not (before.isdigit() or after.isdigit())
    return True


def case_entries(c: Case | Row, *, parts: bool) -> list[tuple[int, str, str, str]]:
    num = c.case_number
    out = [(c.id, num, "case_number", num)]
    if c.family_name and c.given_name:
        out.append((c.id, num, "name", c.family_name + c.given_name))
    if c.family_kana and c.given_kana:
        out.append((c.id, num, "reading", c.family_kana + c.given_kana))
    if parts:
        # Within one meeting the surname or given name alone is enough to point at the case.
        out += [(c.id, num, "surname", v) for v in (c.family_name, c.given_name) if v]
    if c.birth_date is not None:
        out += [(c.id, num, "birth_date", f) for f in birth_date_forms(c.birth_date)]
    if c.address:
        out += [(c.id, num, "address", f) for f in _address_forms(c.address)]
    if c.phone:
        out.append((c.id, num, "phone", c.phone))
        digits = re.sub(r"\D", "", fold(c.phone))
        if len(digits) >= 9:
            out.append((c.id, num, "phone", digits))
    if c.school_or_employer and len(c.school_or_employer) >= 4:
        out.append((c.id, num, "address", c.school_or_employer))
    return out


#: What :func:`case_entries` reads of a case: plain columns are enough to index (the case
#: objects would also load each case's long search text).
_IDENTITY_COLUMNS = (Case.id, Case.case_number, Case.family_name, Case.given_name,
                     Case.family_kana, Case.given_kana, Case.birth_date, Case.address,
                     Case.phone, Case.school_or_employer)


def build_index(session: Session, *, with_parts_of: Iterable[int] = ()) -> IdentityIndex:
    """The index of every case in the store (voided ones too: they are still people).

    ``with_parts_of`` adds the surname and given name alone for those cases (the cases
    linked to the meeting being printed), where a bare 「鷹取さん」 means that case.
    """
    parts = set(with_parts_of)
    table = session.info.get(_CACHE)
    if table is None:
        # Folding every case's strings is the slow part: once per unit of work, and once
        # per distinct string (birth date forms and place names repeat across cases).
        # Only the entry that wins each string is kept (the first case, by id): the
        # whole list of entries held twice the memory for nothing.
        folded: dict[str, str] = {}
        table = {}
        for c in session.execute(select(*_IDENTITY_COLUMNS).order_by(Case.id)):
            for cid, num, kind, value in case_entries(c, parts=False):
                key = folded.get(value)
                if key is None:
                    key = folded[value] = fold(value)
                if len(key) >= (3 if kind == "reading" else 2):
                    table.setdefault(key, (cid, num, kind))
        del folded
        session.info[_CACHE] = table
    if not parts:
        return IdentityIndex.from_table(table)
    # The linked cases first, with their surname and given name alone, so that on a
    # shared string the linked case wins; then every other string's first case.
    by_text: dict[str, tuple[int, str, str]] = {}
    for c in session.execute(select(*_IDENTITY_COLUMNS).where(Case.id.in_(parts))
                             .order_by(Case.id)):
        for cid, num, kind, value in case_entries(c, parts=True):
            key = fold(value)
            if len(key) >= (3 if kind == "reading" else 2):
                by_text.setdefault(key, (cid, num, kind))
    for key, hit in table.items():
        by_text.setdefault(key, hit)
    return IdentityIndex.from_table(by_text)


_CACHE = "pfdesk.identity_index_table"


class Pseudonymizer:
    """Replaces identities of cases the reader may not see by 「ケースA」, 「ケースB」 …

    Letters are given in order of first appearance (``seed`` first, e.g. the meeting's
    linked cases in agenda order), so the same case reads the same within one output.
    """

    def __init__(self, index: IdentityIndex, *, allowed: Iterable[int] = (),
                 seed: Iterable[int] = ()) -> None:
        self.index = index
        self.allowed = set(allowed)
        self.letters: dict[int, str] = {}
        self.replaced: set[int] = set()
        for case_id in seed:
            self.name(case_id)

    def name(self, case_id: int) -> str:
        """The pseudonym of ``case_id`` in this output."""
        if case_id not in self.letters:
            self.letters[case_id] = _("ケース{letter}").format(
                letter=_letters(len(self.letters)))
        return self.letters[case_id]

    def __call__(self, text: str) -> str:
        """``text`` with every identity of a case not in ``allowed`` replaced."""
        if not text:
            return text or ""
        matches = [m for m in self.index.find(text) if m.case_id not in self.allowed]
        if not matches:
            return text
        parts = []
        pos = 0
        for m in matches:
            parts.append(text[pos:m.start])
            parts.append(self.name(m.case_id))
            self.replaced.add(m.case_id)
            pos = m.end
        parts.append(text[pos:])
        return "".join(parts)


def _letters(n: int) -> str:
    """0 → A, 25 → Z, 26 → AA …"""
    out = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(ord("A") + r) + out
    return out


# --- text of attached files ---------------------------------------------------------

#: Files whose text pfdesk reads to look for identities.
READABLE_SUFFIXES = (".pdf", ".docx", ".xlsx", ".csv")


def file_text(path: Path) -> str:
    """The readable text of a PDF, Word, Excel or CSV file ("" for other files).

    A file that cannot be parsed yields "" rather than an error: the scan is a safety
    net, and opening the file is the caller's business.
    """
    suffix = path.suffix.lower()
    try:
        if suffix == ".pdf":
            from pypdf import PdfReader

            return "\n".join((p.extract_text() or "") for p in PdfReader(path).pages)
        if suffix == ".docx":
            with zipfile.ZipFile(path) as z:
                xml = z.read("word/document.xml").decode("utf-8", "replace")
            return re.sub(r"<[^>]+>", "", re.sub(r"</w:p>", "\n", xml))
        if suffix == ".xlsx":
            from openpyxl import load_workbook

            wb = load_workbook(path, read_only=True, data_only=True)
            lines = []
            for ws in wb.worksheets:
                for row in ws.iter_rows(values_only=True):
                    lines.append("\t".join(str(v) for v in row if v is not None))
            wb.close()
            return "\n".join(lines)
        if suffix == ".csv":
            raw = path.read_bytes()
            for enc in ("utf-8-sig", "cp932"):
                try:
                    decoded = raw.decode(enc)
                    break
                except UnicodeDecodeError:
                    continue
            else:
                decoded = raw.decode("utf-8", "replace")
            return "\n".join("\t".join(r) for r in csv.reader(io.StringIO(decoded)))
    except Exception:  # noqa: BLE001 - an unreadable file is simply not scanned
        return ""
    return ""
