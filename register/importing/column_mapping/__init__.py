"""Importing a file that follows no known format, by saying what each of its columns holds.

A person (or a mapping file) maps each column of a CSV file or an Excel workbook to a field
of the record, to Other information, or to nothing; `suggestions` proposes a mapping from
the columns' names and values. `mapped` turns a mapping into a `Format` at run time, so the
file is reviewed and imported by the importer as any other format is. `kept` keeps mappings
on the register: those an organisation saves under a name to use again next year, and the
one an upload is being mapped by. `command` gives `flask register import` its options.
"""

from .definition import (
    DAY_FIRST,
    IDENTIFIER,
    MONTH_FIRST,
    ORGANISATION,
    OTHER,
    TARGETS,
    TARGETS_BY_VALUE,
    ColumnMapping,
    MappingError,
    Problem,
    Target,
)
from .kept import (
    ShownColumn,
    find_saved,
    format_of_upload,
    keep_with_upload,
    kept_mapping,
    mapping_of,
    name_problem,
    save,
    saved_mappings,
    shown_columns,
)
from .mapped import LABEL, MAPPED, import_with_mapping, mapped_format
from .reading import FileColumn, read_columns, table_records
from .suggestions import dates_day_first, first_mapping, suggest

__all__ = [
    "DAY_FIRST",
    "IDENTIFIER",
    "LABEL",
    "MAPPED",
    "MONTH_FIRST",
    "ORGANISATION",
    "OTHER",
    "TARGETS",
    "TARGETS_BY_VALUE",
    "ColumnMapping",
    "FileColumn",
    "MappingError",
    "Problem",
    "ShownColumn",
    "Target",
    "dates_day_first",
    "find_saved",
    "first_mapping",
    "format_of_upload",
    "import_with_mapping",
    "keep_with_upload",
    "kept_mapping",
    "mapped_format",
    "mapping_of",
    "name_problem",
    "read_columns",
    "save",
    "saved_mappings",
    "shown_columns",
    "suggest",
    "table_records",
]
