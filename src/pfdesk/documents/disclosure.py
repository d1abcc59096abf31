"""Levels of disclosure of a case in papers, kept apart from the PDF writers.

Services decide the level (``services.entitlement``) without loading reportlab; the
case sheet lays out what each level allows.
"""

#: Levels of disclosure, strictest last.
FULL = "full"  # 支援会議 (社会福祉法第106条の6)
CONSENTED = "consented"  # 本人同意の範囲で
PSEUDONYMIZED = "pseudonymized"  # 仮名化
