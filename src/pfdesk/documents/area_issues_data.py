"""地域課題の集計 as plain data (no reportlab), for the 全体会 material."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IssueCount:
    """One 地域課題 of the 年度: cases and agenda items tagged, anonymized examples."""

    key: str
    label: str
    cases: int
    items: int
    examples: tuple[str, ...]


@dataclass(frozen=True)
class AreaIssueReport:
    """The 年度's 地域課題, most cases first."""

    title: str
    period: str
    rows: tuple[IssueCount, ...]
    tagged_cases: int  # distinct cases with any 地域課題
