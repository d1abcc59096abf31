"""PySide6 user interface: main window, pages, dialogs, table models."""
