"""The one import pipeline for inputs (GIS files, CSV, XLSX) and the address register reader.

Import from here: ``from inputbank.imports import run_import, ImportOptions, parse_mapping``.
"""

from inputbank.imports.mapping import Mapping, MappingError, mapping_from_dict, parse_mapping
from inputbank.imports.pipeline import (
    ImportOptions,
    ImportRefused,
    limits_from_settings,
    run_import,
)
from inputbank.imports.report import ImportReport, Problem

__all__ = [
    "ImportOptions",
    "ImportRefused",
    "ImportReport",
    "Mapping",
    "MappingError",
    "Problem",
    "limits_from_settings",
    "mapping_from_dict",
    "parse_mapping",
    "run_import",
]
