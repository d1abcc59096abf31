"""Column mapping: guessing which column holds which field, and saved human-editable mappings."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pfdesk.core.atomic import atomic_write, read_error
from pfdesk.core.errors import ValidationError
from pfdesk.core.i18n import _
from pfdesk.core.tabular.reading import clean_cell, file_problem

# ---------------------------------------------------------------------------------------------
# Column mapping


@dataclass(frozen=True)
class FieldSpec:
    """A field an import needs: its key, Japanese label and other header spellings."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False


_MARKERS = re.compile(
    r"[(\[【〔<《]\s*(必須|任意|必要|入力必須|省略可|必ず入力)\s*[)\]】〕>》]|[※*＊:：]"
)


def fold_header(text: str) -> str:
    """Fold a header for matching: NFKC, no spaces or 必須 marks, lowercase, hiragana."""
    text = unicodedata.normalize("NFKC", text)
    text = _MARKERS.sub("", text)
    text = "".join(text.split()).casefold()
    return "".join(
        chr(ord(ch) - 0x60) if "ァ" <= ch <= "ヶ" or ch in "ヽヾ" else ch for ch in text
    )


def guess_mapping(headers: list[str], fields: list[FieldSpec]) -> dict[str, int]:
    """Guess which column holds each field: field key → column index (unmatched left out).

    Exact matches of label or alias come first; then a label or alias contained in a header,
    the longest (most specific) match winning. Each column is used at most once.
    """
    folded = [fold_header(h) for h in headers]
    terms = {
        f.key: {t for t in (fold_header(x) for x in (f.label, *f.aliases)) if t} for f in fields
    }
    mapping: dict[str, int] = {}
    used: set[int] = set()
    for f in fields:
        for col, head in enumerate(folded):
            if col not in used and head in terms[f.key]:
                mapping[f.key] = col
                used.add(col)
                break
    candidates = []
    for order, f in enumerate(fields):
        if f.key in mapping:
            continue
        for col, head in enumerate(folded):
            for term in terms[f.key]:
                if col not in used and term in head:
                    candidates.append((-len(term), len(head) - len(term), order, col, f.key))
    for *_ignored, col, key in sorted(candidates):
        if key not in mapping and col not in used:
            mapping[key] = col
            used.add(col)
    return mapping


def load_mapping(path: str | Path) -> dict[str, str]:
    """Read a mapping file ``{"fields": {"key": "header text"}}``: field key → header."""
    src = Path(path)
    try:
        data = src.read_bytes()
    except OSError as exc:
        raise read_error(exc, src) from exc
    try:
        # Notepad may save with a BOM, or in the ANSI code page on older Windows.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp932", errors="replace")
    hint = _('形式は {"fields": {"項目のキー": "見出しの文字", ...}} です。')
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise file_problem(
            _("列の対応表「{name}」の{line}行目の書き方に誤りがあります。").format(
                name=src.name, line=exc.lineno
            ),
            src,
            _("「\"」や「,」の抜けがないか確認してください。") + hint,
        ) from exc
    fields = doc.get("fields") if isinstance(doc, dict) else None
    if not isinstance(fields, dict) or not all(
        isinstance(v, str | None) for v in fields.values()
    ):
        raise file_problem(
            _("列の対応表「{name}」の中身が対応表の形式になっていません。").format(name=src.name),
            src,
            hint,
        )
    return {str(k): v for k, v in fields.items() if v}


def load_value_choices(path: str | Path) -> dict[str, dict[str, str]]:
    """The value choices kept with a mapping: field key → {value as written → code}.

    A file without them (or not readable as a mapping) gives {}; :func:`load_mapping`
    reports the file's problems.
    """
    try:
        raw = Path(path).read_bytes()
        try:
            doc = json.loads(raw.decode("utf-8-sig"))
        except UnicodeDecodeError:
            doc = json.loads(raw.decode("cp932", errors="replace"))
    except (OSError, ValueError):
        return {}
    values = doc.get("values") if isinstance(doc, dict) else None
    if not isinstance(values, dict):
        return {}
    return {
        str(k): {str(t): str(c) for t, c in v.items() if isinstance(c, str)}
        for k, v in values.items() if isinstance(v, dict)
    }


def save_mapping(path: str | Path, mapping: dict[str, str],
                 values: dict[str, dict[str, str]] | None = None) -> None:
    """Save a mapping (and the value choices) as readable UTF-8 JSON, all at once.

    ``values`` is field key → {value as written in the file → code}, e.g.
    ``{"field": {"行政（庁内）": "government"}}``; the next import reuses those choices.
    """
    doc: dict[str, object] = {"fields": mapping}
    if values:
        doc["values"] = {k: v for k, v in values.items() if v}
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    with atomic_write(path, "w", encoding="utf-8", newline="\r\n") as fh:
        fh.write(text)


def resolve_mapping(headers: list[str], saved: dict[str, str]) -> dict[str, int]:
    """Turn a saved field key → header mapping into column indexes for these ``headers``.

    Headers are compared as written first, then folded (full-width, spaces, 必須 marks).
    Raises :class:`ValidationError` naming every header that is not in the file.
    """
    exact: dict[str, int] = {}
    folded: dict[str, int] = {}
    for col, head in enumerate(headers):
        exact.setdefault(clean_cell(head), col)
        folded.setdefault(fold_header(head), col)
    result: dict[str, int] = {}
    missing: list[tuple[str, str]] = []
    for key, head in saved.items():
        found = exact.get(clean_cell(head), folded.get(fold_header(head)))
        if found is None:
            missing.append((key, head))
        else:
            result[key] = found
    if missing:
        names = "".join(f"「{head}」" for _key, head in missing)
        raise ValidationError(
            _("ファイルに列{names}が見つかりません。").format(names=names),
            field=missing[0][0],
            hint=_("1行目（見出し）の文字が変わっていないか確認するか、"
                   "列の対応づけをやり直してください。"),
        )
    return result


