"""PDF (reportlab) and Excel (openpyxl) outputs built from plain data."""
