"""Japanese for the messages argparse itself prints (usage, help headings, errors)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from pfdesk.core.i18n import current_language

MESSAGES: dict[str, str] = {
    "usage: ": "使い方: ",
    "positional arguments": "引数",
    "options": "オプション",
    "show this help message and exit": "このヘルプを表示して終了する",
    "show program's version number and exit": "バージョンを表示して終了する",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "unrecognized arguments: %s": "使えない引数があります: %s",
    "the following arguments are required: %s": "次の指定が必要です: %s",
    "one of the arguments %s is required": "%s のどれかを指定してください",
    "expected one argument": "値を1つ指定してください",
    "expected at most one argument": "値は1つまでです",
    "expected at least one argument": "値を1つ以上指定してください",
    "ambiguous option: %(option)s could match %(matches)s":
        "%(option)s は %(matches)s のどれか分かりません",
    "invalid %(type)s value: %(value)r": "%(value)r は正しい値ではありません（%(type)s）",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "%(value)r は選べません（選べるもの: %(choices)s）",
    "%(prog)s: error: %(message)s\n": "%(prog)s: エラー: %(message)s\n",
    "not allowed with argument %s": "%s とは一緒に使えません",
    "can't open '%(filename)s': %(error)s": "「%(filename)s」を開けません: %(error)s",
}


def _translate(original: Callable[[str], str]) -> Callable[[str], str]:
    def translate(message: str) -> str:
        ja = MESSAGES.get(message)
        if ja is None or current_language() != "ja":  # argparse's own text is English
            return original(message)
        return ja

    return translate


def install() -> None:
    """Make argparse speak Japanese (it looks its messages up through a module global)."""
    current = argparse._  # type: ignore[attr-defined]
    if getattr(current, "__name__", "") != "translate":
        argparse._ = _translate(current)  # type: ignore[attr-defined]
