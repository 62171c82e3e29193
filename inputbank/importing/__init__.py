"""The one import pipeline for inputs (GIS files, CSV, XLSX): see ``pipeline``.

Import from here: ``from inputbank.importing import run_import, ImportOptions, parse_mapping``.
"""

from inputbank.importing.mapping import Mapping, MappingError, mapping_from_dict, parse_mapping
from inputbank.importing.pipeline import (
    ImportOptions,
    ImportRefused,
    limits_from_settings,
    run_import,
)
from inputbank.importing.report import ImportReport, Problem

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
