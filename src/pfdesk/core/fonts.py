"""The Japanese fonts every document and the window use: BIZ UD fonts shipped with pfdesk.

pfdesk ships BIZ UD明朝, BIZ UDゴシック and BIZ UDPゴシック (Morisawa, SIL Open Font
License, ``resources/fonts/OFL.txt``) so a document prints the same on every PC. A font the
computer has is used only when ``PFDESK_FONT``/``PFDESK_FONT_MINCHO`` name one or when the
shipped files are missing (a damaged install). Only TrueType outlines qualify: reportlab
cannot embed CFF (.otf) fonts.
"""

from __future__ import annotations

import logging
import os
import struct
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

log = logging.getLogger(__name__)

#: gothic = BIZ UDゴシック (fixed pitch: forms and tables line up), pgothic = BIZ UDPゴシック
#: (proportional kana: the window), mincho = BIZ UD明朝 (body text of letters).
Style = Literal["gothic", "mincho", "pgothic"]


@dataclass(frozen=True)
class FontFile:
    """A font to embed: file, family name, face within a .ttc, and gothic or mincho."""

    path: Path
    family: str
    subfont_index: int = 0
    style: Style = "gothic"


# (family, file names, face index in a .ttc), best first. Face 0 of each collection is the
# fixed-pitch face (BIZ UDゴシック, not BIZ UDPゴシック), which lines up forms cleanly.
_CANDIDATES: dict[str, list[tuple[str, tuple[str, ...], int]]] = {
    "gothic": [
        ("BIZ UDGothic", ("BIZ-UDGothicR.ttc", "BIZUDGothic-Regular.ttf"), 0),
        ("IPAexGothic", ("ipaexg.ttf",), 0),
        ("Yu Gothic", ("YuGothR.ttc", "YuGothM.ttc"), 0),
        ("MS Gothic", ("msgothic.ttc",), 0),
        ("IPAGothic", ("ipag.ttf",), 0),
        # Only the Japanese-only Noto files: the pan-CJK ones default to Chinese glyph shapes.
        ("Noto Sans JP", ("NotoSansJP-Regular.ttf",), 0),
    ],
    "pgothic": [
        ("BIZ UDPGothic", ("BIZ-UDGothicR.ttc",), 1),
        ("BIZ UDPGothic", ("BIZUDPGothic-Regular.ttf",), 0),
        ("Yu Gothic", ("YuGothR.ttc", "YuGothM.ttc"), 0),
        ("MS PGothic", ("msgothic.ttc",), 2),
        ("IPAexGothic", ("ipaexg.ttf",), 0),
        ("Noto Sans JP", ("NotoSansJP-Regular.ttf",), 0),
    ],
    "mincho": [
        ("BIZ UDMincho", ("BIZ-UDMinchoM.ttc", "BIZUDMincho-Regular.ttf"), 0),
        ("IPAexMincho", ("ipaexm.ttf",), 0),
        ("Yu Mincho", ("yumin.ttf",), 0),
        ("MS Mincho", ("msmincho.ttc",), 0),
        ("IPAMincho", ("ipam.ttf",), 0),
        ("Noto Serif JP", ("NotoSerifJP-Regular.ttf",), 0),
    ],
}

# Fonts with wide 異体字 coverage (𠮷, 髙, 﨑 … beyond JIS X 0213), used only for the
# characters the main font lacks, so a name prints as typed instead of as a blank box.
_FALLBACKS: list[tuple[str, tuple[str, ...], int]] = [
    ("IPAmj Mincho", ("ipamjm.ttf",), 0),
    ("Yu Gothic", ("YuGothR.ttc", "YuGothM.ttc"), 0),
    ("HanaMinA", ("HanaMinA.ttf",), 0),
    ("HanaMinB", ("HanaMinB.ttf",), 0),
    ("SimSun-ExtB", ("simsunb.ttf",), 0),
]

_ENV = {"gothic": "PFDESK_FONT", "pgothic": "PFDESK_FONT", "mincho": "PFDESK_FONT_MINCHO"}
_TRUETYPE_SFNT = {b"\x00\x01\x00\x00", b"true"}

#: The shipped faces: (family, file in resources/fonts).
BUNDLED: dict[str, tuple[str, str]] = {
    "gothic": ("BIZ UDGothic", "BIZUDGothic-Regular.ttf"),
    "pgothic": ("BIZ UDPGothic", "BIZUDPGothic-Regular.ttf"),
    "mincho": ("BIZ UDMincho", "BIZUDMincho-Regular.ttf"),
}


def bundled_font_dirs() -> list[Path]:
    """Where the shipped fonts may be: inside the package (wheel, PyInstaller) or the checkout."""
    package = Path(__file__).resolve().parents[1]
    return [package / "resources" / "fonts", package.parents[1] / "resources" / "fonts"]


def bundled_font(style: Style) -> FontFile | None:
    """The shipped font of ``style``, or None if the file is missing or damaged."""
    family, name = BUNDLED[style]
    for folder in bundled_font_dirs():
        path = folder / name
        if path.is_file() and has_truetype_outlines(path):
            return FontFile(path=path, family=family, subfont_index=0, style=style)
    return None


def system_font_dirs() -> list[Path]:
    """The folders where this operating system keeps installed fonts."""
    home = Path.home()
    if sys.platform == "win32":
        windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot") or r"C:\Windows"
        dirs = [Path(windir) / "Fonts"]
        local = os.environ.get("LOCALAPPDATA")
        if local:
            # Fonts installed without administrator rights ("このユーザーにインストール").
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
        return dirs
    if sys.platform == "darwin":
        return [Path("/Library/Fonts"), Path("/System/Library/Fonts"), home / "Library" / "Fonts"]
    return [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".local" / "share" / "fonts",
        home / ".fonts",
    ]


@lru_cache(maxsize=8)
def _index(dirs: tuple[Path, ...]) -> dict[str, list[Path]]:
    # One walk per set of folders per process; file names compare case-insensitively
    # because Windows does not keep one spelling (YuGothR.ttc vs YUGOTHR.TTC).
    found: dict[str, list[Path]] = {}
    for folder in dirs:
        for root, _dirs, files in os.walk(folder):
            for name in files:
                if name.lower().endswith((".ttf", ".ttc")):
                    found.setdefault(name.lower(), []).append(Path(root) / name)
    return found


def has_truetype_outlines(path: Path, subfont_index: int = 0) -> bool:
    """True if face ``subfont_index`` of ``path`` is a TrueType (glyf) font reportlab can embed."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(12)
            offset = 0
            if head[:4] == b"ttcf":
                count = struct.unpack(">I", head[8:12])[0]
                if subfont_index >= count:
                    return False
                fh.seek(12 + 4 * subfont_index)
                offset = struct.unpack(">I", fh.read(4))[0]
                fh.seek(offset)
                head = fh.read(12)
            if head[:4] not in _TRUETYPE_SFNT:
                return False  # "OTTO" = CFF outlines
            num_tables = struct.unpack(">H", head[4:6])[0]
            fh.seek(offset + 12)
            directory = fh.read(16 * num_tables)
    except (OSError, struct.error):
        return False
    tags = {directory[i : i + 4] for i in range(0, len(directory), 16)}
    return b"glyf" in tags


def _from_env(style: Style) -> FontFile | None:
    value = os.environ.get(_ENV[style], "").strip().strip('"')
    if not value:
        return None
    path = Path(value).expanduser()
    if path.suffix.lower() in (".ttf", ".ttc") and has_truetype_outlines(path):
        return FontFile(path=path, family=path.stem, subfont_index=0, style=style)
    log.warning("%s=%s is not a TrueType .ttf/.ttc font; ignoring it", _ENV[style], value)
    return None


def find_japanese_font(
    style: Style = "gothic", extra_dirs: Iterable[str | Path] = (), *, bundled: bool = True
) -> FontFile | None:
    """Return the Japanese font of ``style`` to use, or None if there is none at all.

    ``PFDESK_FONT`` (gothic) or ``PFDESK_FONT_MINCHO`` may name a .ttf/.ttc to use instead;
    otherwise the shipped BIZ UD font, unless ``bundled`` is False or its file is missing,
    in which case the best installed font (``extra_dirs`` searched before the system's).
    """
    chosen = _from_env(style)
    if chosen:
        return chosen
    if bundled:
        shipped = bundled_font(style)
        if shipped:
            return shipped
        log.warning("the shipped %s font is missing; using one installed on this computer", style)
    dirs = tuple(Path(d) for d in extra_dirs) + tuple(system_font_dirs())
    index = _index(dirs)
    for family, names, face in _CANDIDATES[style]:
        for name in names:
            for path in index.get(name.lower(), ()):
                if has_truetype_outlines(path, face):
                    return FontFile(path=path, family=family, subfont_index=face, style=style)
    return None


def find_fallback_fonts(extra_dirs: Iterable[str | Path] = ()) -> list[FontFile]:
    """Fonts that cover rare kanji (IPAmj明朝 first), best first; possibly none.

    Used only for characters the shipped fonts lack: 人名 異体字 beyond JIS X 0213.
    """
    dirs = tuple(Path(d) for d in extra_dirs) + tuple(system_font_dirs())
    index = _index(dirs)
    found: list[FontFile] = []
    for family, names, face in _FALLBACKS:
        for name in names:
            paths = [p for p in index.get(name.lower(), ()) if has_truetype_outlines(p, face)]
            if paths:
                found.append(FontFile(path=paths[0], family=family, subfont_index=face))
                break
    return found
