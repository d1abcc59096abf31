"""The message catalogues: extract every user-visible string, merge, compile — one command.

``python -m pfdesk.core.catalogue`` (from a checkout) collects every ``_("…")`` string
and every label of the code lists (``_cl(name, (key, label), …)``) under ``src/pfdesk``
into ``resources/locale/pfdesk.pot``, merges it into each language's
``resources/locale/<lang>/LC_MESSAGES/pfdesk.po`` (keeping translations, dropping
strings no longer used, adding new ones untranslated) and compiles the ``.mo`` files
gettext reads. ``--check`` changes nothing and exits 1 when a catalogue is out of date
or a string lacks its translation. One system (GNU gettext) for the whole app; the
source language is Japanese.
"""

from __future__ import annotations

import argparse
import ast
import re
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

DOMAIN = "pfdesk"
LANGUAGES = ("en",)
#: Functions whose literal first argument is a message (``N_`` marks one for later).
MARKERS = ("_", "N_")
#: Functions whose ``(key, label)`` tuple arguments carry labels translated when shown.
LABEL_TABLES = ("_cl",)
#: Modules whose module-level tables are input vocabularies or fixed Japanese text, never shown
#: translated (demo data is user data; synonyms only match what users typed).
TABLES_SKIPPED = ("services/demo/", "directory/value_codes.py", "core/kana.py",
                  "cli/_argparse_ja.py", "ui/translations.py", "ui/text_audit.py", "ui/tour")
#: Modules whose tables are translated by other modules (``_(label)`` elsewhere).
TABLES_ALWAYS = ("core/fiscal.py", "services/small_counts.py")
_NOT_SHOWN = re.compile(r"SYNONYM|UNKNOWN|_RE$|PATTERN")
_JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_FIELD = re.compile(r"\{[A-Za-z_0-9]*(?:[:!][^{}]*)?\}")


@dataclass
class Message:
    """One msgid, where it is used, and its translation."""

    msgid: str
    places: list[str] = field(default_factory=list)
    msgstr: str = ""


def _literal(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def messages_in(source: str, where: str) -> list[tuple[str, int]]:
    """The (msgid, line) pairs of one module's text."""
    found: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            continue
        if node.func.id in MARKERS and node.args:
            text = _literal(node.args[0])
            if text:
                found.append((text, node.lineno))
        elif node.func.id in LABEL_TABLES:
            for arg in node.args[1:]:
                if isinstance(arg, ast.Tuple) and len(arg.elts) == 2:
                    text = _literal(arg.elts[1])
                    if text:
                        found.append((text, arg.lineno))
    return found


def table_labels_in(source: str, where: str) -> list[tuple[str, int]]:
    """Japanese labels in the module-level tables of a module that translates them when shown.

    A module that calls ``_(label)`` with a variable looks its labels up in tables such
    as ``AGE_BANDS = [("10s", "10代"), …]``; those labels belong in the catalogue too.
    """
    if any(s in where for s in TABLES_SKIPPED):
        return []
    tree = ast.parse(source)
    dynamic = any(isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                  and n.func.id == "_" and n.args and _literal(n.args[0]) is None
                  for n in ast.walk(tree))
    if not dynamic and not any(where.endswith(m) for m in TABLES_ALWAYS):
        return []
    found: list[tuple[str, int]] = []
    for node in tree.body:
        if not isinstance(node, ast.Assign | ast.AnnAssign) or node.value is None:
            continue
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        if any(isinstance(t, ast.Name) and _NOT_SHOWN.search(t.id) for t in targets):
            continue
        patterns = {id(c) for call in ast.walk(node.value) if isinstance(call, ast.Call)
                    and getattr(call.func, "attr", "") == "compile" for c in ast.walk(call)}
        for n in ast.walk(node.value):
            text = _literal(n)
            if text and _JAPANESE.search(text) and id(n) not in patterns:
                found.append((text, n.lineno))  # type: ignore[attr-defined]
    return found


def extract(src: Path) -> dict[str, Message]:
    """Every message of the package at ``src`` (migrations are history and not shown)."""
    out: dict[str, Message] = {}
    for path in sorted(src.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        rel = path.relative_to(src.parent).as_posix()
        source = path.read_text(encoding="utf-8")
        for text, line in messages_in(source, rel) + table_labels_in(source, rel):
            places = out.setdefault(text, Message(text)).places
            if f"{rel}:{line}" not in places:
                places.append(f"{rel}:{line}")
    return out


# --- .po files -------------------------------------------------------------------------------


def _quote(text: str) -> str:
    body = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
            .replace("\r", "\\r"))
    lines = body.split("\n")
    if len(lines) == 1:
        return f'"{body}"'
    parts = [f'"{line}\\n"' for line in lines[:-1]]
    if lines[-1]:
        parts.append(f'"{lines[-1]}"')
    return '""\n' + "\n".join(parts)


def _unquote(text: str) -> str:
    out, i = [], 0
    escapes = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            out.append(escapes.get(text[i + 1], text[i + 1]))
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


HEADER = ('Project-Id-Version: pfdesk\nMIME-Version: 1.0\n'
          'Content-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n')


def write_po(path: Path, messages: dict[str, Message], language: str = "") -> None:
    """Write a .po (or, without ``language``, the .pot template), sorted by first use."""
    head = HEADER + (f"Language: {language}\n" if language else "")
    chunks = [f"msgid \"\"\nmsgstr {_quote(head)}\n"]
    for m in sorted(messages.values(), key=lambda m: (m.places[:1], m.msgid)):
        refs = "\n".join(f"#: {p}" for p in m.places[:3])
        chunks.append(f"{refs}\nmsgid {_quote(m.msgid)}\nmsgstr {_quote(m.msgstr)}\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(chunks), encoding="utf-8", newline="\n")


def read_po(path: Path) -> dict[str, str]:
    """msgid → msgstr of a .po file (the header left out)."""
    result: dict[str, str] = {}
    msgid: list[str] | None = None
    msgstr: list[str] | None = None
    current: list[str] | None = None

    def flush() -> None:
        if msgid is not None and msgstr is not None:
            key = _unquote("".join(msgid))
            if key:
                result[key] = _unquote("".join(msgstr))

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("msgid "):
            flush()
            msgid, msgstr = [line[7:-1]], None
            current = msgid
        elif line.startswith("msgstr "):
            msgstr = [line[8:-1]]
            current = msgstr
        elif line.startswith('"') and current is not None:
            current.append(line[1:-1])
    flush()
    return result


def mo_bytes(translations: dict[str, str]) -> bytes:
    """A GNU .mo file of the translated messages (what gettext reads)."""
    pairs = sorted((k, v) for k, v in translations.items() if v)
    pairs.insert(0, ("", HEADER))
    ids = [k.encode("utf-8") for k, _v in pairs]
    strs = [v.encode("utf-8") for _k, v in pairs]
    n = len(pairs)
    key_start = 7 * 4 + 16 * n
    offsets, data = [], b""
    for s in ids:
        offsets.append((len(s), key_start + len(data)))
        data += s + b"\0"
    value_start = key_start + len(data)
    values = b""
    voffsets = []
    for s in strs:
        voffsets.append((len(s), value_start + len(values)))
        values += s + b"\0"
    out = struct.pack("<7I", 0x950412DE, 0, n, 28, 28 + 8 * n, 0, 0)
    out += b"".join(struct.pack("<2I", *o) for o in offsets)
    out += b"".join(struct.pack("<2I", *o) for o in voffsets)
    return out + data + values


def _mo_has(mo: Path, translations: dict[str, str]) -> bool:
    """Whether the compiled catalogue ``mo`` gives every translation in ``translations``."""
    import gettext

    if not mo.is_file():
        return not translations
    with mo.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    return all(compiled.gettext(k) == v for k, v in translations.items())


def fields_of(text: str) -> list[str]:
    """The ``{name}`` fields of a message, sorted (a translation must keep them all)."""
    return sorted(_FIELD.findall(text))


@dataclass
class Report:
    """What a run found: strings added and dropped, untranslated, with broken fields."""

    added: int = 0
    dropped: int = 0
    untranslated: list[str] = field(default_factory=list)
    bad_fields: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)


def update(root: Path, *, check: bool = False) -> Report:
    """Extract, merge and compile under the checkout ``root`` (``check``: write nothing)."""
    report = Report()
    found = extract(root / "src" / "pfdesk")
    locale = root / "resources" / "locale"
    pot = locale / f"{DOMAIN}.pot"
    if not check:
        write_po(pot, found)
    elif not pot.is_file() or set(found) - set(read_po(pot)):
        report.stale.append(str(pot))
    for lang in LANGUAGES:
        folder = locale / lang / "LC_MESSAGES"
        po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
        old = read_po(po) if po.is_file() else {}
        report.added += len(set(found) - set(old))
        report.dropped += len(set(old) - set(found))
        merged = {k: Message(k, m.places, old.get(k, "")) for k, m in found.items()}
        for k, m in merged.items():
            if not m.msgstr:
                report.untranslated.append(f"{lang}: {k}  ({m.places[0]})")
            elif set(fields_of(m.msgstr)) != set(fields_of(k)):
                report.bad_fields.append(f"{lang}: {k} → {m.msgstr}")
        compiled = mo_bytes({k: m.msgstr for k, m in merged.items()})
        if check:
            # Entries of strings no longer (or not yet) in this checkout are harmless.
            if set(found) - set(old):
                report.stale.append(str(po))
            if mo.is_file() and not _mo_has(
                    mo, {k: m.msgstr for k, m in merged.items() if m.msgstr}):
                report.stale.append(str(mo))  # a compiled copy left from an older .po
        else:
            write_po(po, merged, lang)
            mo.write_bytes(compiled)
    return report


def compile_catalogues(locale: Path) -> list[Path]:
    """Write each language's ``.mo`` from its ``.po`` (for a build: wheel, bundle).

    The repository keeps only the ``.po`` files; a source run compiles them in memory.
    """
    written = []
    for po in sorted(locale.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        mo = po.with_suffix(".mo")
        mo.write_bytes(mo_bytes(read_po(po)))
        written.append(mo)
    return written


def main(argv: list[str] | None = None) -> int:
    """Update the catalogues (or ``--check`` them) and say what changed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if stale")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parents[3])
    args = parser.parse_args(argv)
    r = update(args.root, check=args.check)
    print(f"added {r.added}, dropped {r.dropped}, untranslated {len(r.untranslated)}, "
          f"broken fields {len(r.bad_fields)}")
    for line in (r.untranslated[:20] + r.bad_fields[:20] + r.stale):
        print("  " + line)
    return 1 if args.check and (r.stale or r.untranslated or r.bad_fields) else 0


if __name__ == "__main__":
    sys.exit(main())
