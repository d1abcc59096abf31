"""Screens about the people behind cases (本人 and family who consulted)."""
