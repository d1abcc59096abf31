"""Pure-Python building blocks: code lists, 和暦/年度, kana folding, files. No Qt, no SQLAlchemy."""
