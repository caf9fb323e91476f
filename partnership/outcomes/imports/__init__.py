"""Importing pupils and their statutory results from the CSV template or a CTF (docs/outcomes-import.md)."""

from partnership.outcomes.imports.common import MAX_BYTES, TOO_BIG, ParsedImport, Problem
from partnership.outcomes.imports.csv_format import TEMPLATE_COLUMNS, csv_template
from partnership.outcomes.imports.parse import parse_results
from partnership.outcomes.imports.service import ImportRejectedError, ImportReport, result_import

__all__ = [
    "MAX_BYTES",
    "TEMPLATE_COLUMNS",
    "TOO_BIG",
    "ImportRejectedError",
    "ImportReport",
    "ParsedImport",
    "Problem",
    "csv_template",
    "parse_results",
    "result_import",
]
