"""The shipped BIZ UD fonts, and finding a Japanese TrueType font installed on the computer."""

from __future__ import annotations

import struct

import pytest

from pfdesk.core import fonts
from pfdesk.core.fonts import FontFile, find_japanese_font, has_truetype_outlines


def sfnt(tags: list[bytes], version: bytes = b"\x00\x01\x00\x00") -> bytes:
    """A font header with a table directory: enough for the outline check."""
    head = version + struct.pack(">HHHH", len(tags), 0, 0, 0)
    return head + b"".join(tag + b"\0" * 12 for tag in tags)


TRUETYPE = sfnt([b"cmap", b"glyf", b"head", b"loca"])
CFF = sfnt([b"CFF ", b"cmap", b"head"], version=b"OTTO")


def ttc(faces: list[bytes]) -> bytes:
    offsets, body, position = [], b"", 12 + 4 * len(faces)
    for face in faces:
        offsets.append(position + len(body))
        body += face
    return b"ttcf\x00\x01\x00\x00" + struct.pack(">I", len(faces)) + b"".join(
        struct.pack(">I", o) for o in offsets
    ) + body


@pytest.fixture
def no_system_fonts(monkeypatch):
    """Search only the folders a test passes in."""
    monkeypatch.setattr(fonts, "system_font_dirs", lambda: [])
    monkeypatch.delenv("PFDESK_FONT", raising=False)
    monkeypatch.delenv("PFDESK_FONT_MINCHO", raising=False)


def test_outline_check(tmp_path):
    (tmp_path / "a.ttf").write_bytes(TRUETYPE)
    (tmp_path / "b.ttf").write_bytes(CFF)
    (tmp_path / "c.ttc").write_bytes(ttc([CFF, TRUETYPE]))
    assert has_truetype_outlines(tmp_path / "a.ttf")
    assert not has_truetype_outlines(tmp_path / "b.ttf")
    assert not has_truetype_outlines(tmp_path / "c.ttc", 0)
    assert has_truetype_outlines(tmp_path / "c.ttc", 1)
    assert not has_truetype_outlines(tmp_path / "c.ttc", 2)
    assert not has_truetype_outlines(tmp_path / "missing.ttf")


def test_preference_order(tmp_path, no_system_fonts):
    nested = tmp_path / "sub" / "dir"
    nested.mkdir(parents=True)
    for name in ["msgothic.ttc", "ipaexg.ttf", "ipag.ttf"]:
        (tmp_path / name).write_bytes(TRUETYPE)
    (nested / "BIZ-UDGothicR.ttc").write_bytes(ttc([TRUETYPE, TRUETYPE]))
    found = find_japanese_font("gothic", extra_dirs=[tmp_path], bundled=False)
    assert found == FontFile(nested / "BIZ-UDGothicR.ttc", "BIZ UDGothic", 0, "gothic")
    (nested / "BIZ-UDGothicR.ttc").unlink()
    other = tmp_path / "other"
    other.mkdir()
    (other / "ipaexg.ttf").write_bytes(TRUETYPE)
    # The walk is cached per set of folders, so use a fresh set to see the change.
    found = find_japanese_font("gothic", extra_dirs=[other, tmp_path], bundled=False)
    assert found.path == other / "ipaexg.ttf"


def test_windows_file_names_match_case_insensitively(tmp_path, no_system_fonts):
    (tmp_path / "MSGOTHIC.TTC").write_bytes(ttc([TRUETYPE, TRUETYPE, TRUETYPE]))
    found = find_japanese_font(extra_dirs=[tmp_path], bundled=False)
    assert found is not None and found.family == "MS Gothic" and found.subfont_index == 0


def test_skips_cff_fonts_and_pan_cjk_noto(tmp_path, no_system_fonts):
    (tmp_path / "ipaexg.ttf").write_bytes(CFF)  # mislabelled: CFF outlines in a .ttf
    (tmp_path / "NotoSansCJK-Regular.ttc").write_bytes(ttc([TRUETYPE]))
    (tmp_path / "NotoSansCJKjp-Regular.otf").write_bytes(CFF)
    assert find_japanese_font(extra_dirs=[tmp_path], bundled=False) is None
    (tmp_path / "NotoSansJP-Regular.ttf").write_bytes(TRUETYPE)
    found = find_japanese_font(extra_dirs=[tmp_path, tmp_path / "x"], bundled=False)
    assert found.family == "Noto Sans JP"


def test_mincho_order(tmp_path, no_system_fonts):
    (tmp_path / "msmincho.ttc").write_bytes(ttc([TRUETYPE]))
    (tmp_path / "ipaexm.ttf").write_bytes(TRUETYPE)
    (tmp_path / "ipaexg.ttf").write_bytes(TRUETYPE)
    found = find_japanese_font("mincho", extra_dirs=[tmp_path], bundled=False)
    assert (found.family, found.style) == ("IPAexMincho", "mincho")


def test_env_variable_wins(tmp_path, monkeypatch, no_system_fonts):
    (tmp_path / "ipaexg.ttf").write_bytes(TRUETYPE)
    chosen = tmp_path / "mine" / "庁内標準.ttf"
    chosen.parent.mkdir()
    chosen.write_bytes(TRUETYPE)
    monkeypatch.setenv("PFDESK_FONT", str(chosen))
    # The setting beats the shipped font too (a town with its own standard font).
    assert find_japanese_font(extra_dirs=[tmp_path]).path == chosen
    # A setting pointing at something unusable falls back to the normal search.
    monkeypatch.setenv("PFDESK_FONT", str(tmp_path / "nothing.ttf"))
    assert find_japanese_font(extra_dirs=[tmp_path], bundled=False).path == tmp_path / "ipaexg.ttf"


def test_directory_walk_is_cached(tmp_path, monkeypatch, no_system_fonts):
    calls = []
    real_walk = fonts.os.walk

    def counting_walk(top, *args, **kwargs):
        calls.append(top)
        return real_walk(top, *args, **kwargs)

    monkeypatch.setattr(fonts.os, "walk", counting_walk)
    (tmp_path / "ipaexg.ttf").write_bytes(TRUETYPE)
    for _ in range(3):
        find_japanese_font(extra_dirs=[tmp_path], bundled=False)
        find_japanese_font("mincho", extra_dirs=[tmp_path], bundled=False)
    assert calls.count(tmp_path) == 1 and len(calls) == len(set(calls))


def test_shipped_fonts_are_used_whatever_the_computer_has(tmp_path, no_system_fonts):
    (tmp_path / "ipaexg.ttf").write_bytes(TRUETYPE)
    (tmp_path / "msmincho.ttc").write_bytes(ttc([TRUETYPE]))
    families = {}
    for style in ("gothic", "mincho", "pgothic"):
        found = find_japanese_font(style, extra_dirs=[tmp_path])
        assert found is not None, style
        assert found.path.parent.name == "fonts" and found.path.parent.parent.name == "resources"
        assert has_truetype_outlines(found.path)
        families[style] = found.family
    assert families == {"gothic": "BIZ UDGothic", "mincho": "BIZ UDMincho",
                        "pgothic": "BIZ UDPGothic"}


def test_shipped_fonts_carry_their_licence():
    found = fonts.bundled_font("gothic")
    assert found is not None
    licence = (found.path.parent / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert "BIZ UDGothic Project Authors" in licence and "BIZ UDMincho Project Authors" in licence


def test_missing_shipped_font_falls_back_to_an_installed_one(tmp_path, monkeypatch,
                                                            no_system_fonts, caplog):
    monkeypatch.setattr(fonts, "bundled_font_dirs", lambda: [tmp_path / "gone"])
    (tmp_path / "ipaexg.ttf").write_bytes(TRUETYPE)
    found = find_japanese_font("gothic", extra_dirs=[tmp_path])
    assert found is not None and found.family == "IPAexGothic"
    assert "shipped gothic font is missing" in caplog.text


def test_windows_collection_gives_the_proportional_face(tmp_path, no_system_fonts):
    (tmp_path / "BIZ-UDGothicR.ttc").write_bytes(ttc([TRUETYPE, TRUETYPE]))
    found = find_japanese_font("pgothic", extra_dirs=[tmp_path], bundled=False)
    assert (found.family, found.subfont_index) == ("BIZ UDPGothic", 1)
