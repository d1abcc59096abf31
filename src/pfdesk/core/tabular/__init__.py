"""Read and write the spreadsheets secretariats live in: Excel workbooks and Excel-style CSV.

Reading gives plain text cells with the row numbers Excel shows; every failure names the file
and the line. Writing reports each character that cp932 (Shift_JIS) could not hold.
"""

from pfdesk.core.tabular.mapping import (
    FieldSpec,
    fold_header,
    guess_mapping,
    load_mapping,
    load_value_choices,
    resolve_mapping,
    save_mapping,
)
from pfdesk.core.tabular.reading import CellError, Row, Table, format_errors, read_table
from pfdesk.core.tabular.writing import (
    GETA,
    EncodingProblem,
    EncodingReport,
    SheetData,
    write_csv,
    write_xlsx,
)

__all__ = [
    "GETA", "CellError", "EncodingProblem", "EncodingReport", "FieldSpec", "Row", "SheetData",
    "Table", "fold_header", "format_errors", "guess_mapping", "load_mapping",
    "load_value_choices", "read_table",
    "resolve_mapping", "save_mapping", "write_csv", "write_xlsx",
]
