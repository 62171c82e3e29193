"""The one input filter: parsed once from a query string or command line, applied everywhere.

The list API, the grid, GIS exports, ``export_layers``, the resident and staff lists and the
prior-input report all narrow input through ``InputFilter``, so a query string selects the
same inputs wherever it is pasted. Names and meanings are the API's (docs/api.md).

Request data never reaches ``filter(**kwargs)``: each parameter maps to one named queryset
method (Django CVE-2025-64459 class). Parsing is strict for programs (unknown parameters,
themes or processes are refused: a typo such as ``themes=`` must not silently return
everything) and lenient for pages (what a page cannot read is left out and named in
``dropped``; a theme or process that does not exist, a stale link, matches nothing).
Plain Python, no DRF: ``inputbank.api.filters`` adds the API's error answer and OpenAPI.

Modules: ``parameters`` (the parameters, reading and checking each value), ``input_filter``
(``InputFilter``: parse a query, narrow and order a queryset). Import from here.
"""

from inputbank.filters.input_filter import InputFilter
from inputbank.filters.parameters import (
    PARAMETERS,
    Bound,
    FilterError,
    Parameter,
    query_values,
    single_value,
)

__all__ = [
    "PARAMETERS",
    "Bound",
    "FilterError",
    "InputFilter",
    "Parameter",
    "query_values",
    "single_value",
]
