"""Every measure, in the order the table prints them. Each module has ID, TITLE and run(ctx).

Modules are imported only after Django is set up on the benchmark database (they read
settings and models at import time), so the ids live here as plain names.
"""

import importlib
from types import ModuleType

MODULES = {
    "B1": "b1_prior_input",
    "B2": "b2_tiles",
    "B3": "b3_lists",
    "B4": "b4_import",
    "B5": "b5_exports",
    "B6": "b6_intersects",
    "B7": "b7_search",
    "B8": "b8_map_page",
    "B9": "b9_arguments",
    "B9R": "b9r_regroup",
    "X": "x_requests",
    "P": "p_proxy_tiles",
}


def load(measure_id: str) -> ModuleType:
    return importlib.import_module(f"{__name__}.{MODULES[measure_id]}")
