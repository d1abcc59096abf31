"""Screens of the 地域課題: tagging cases and agenda items, the 年度's 集計."""
