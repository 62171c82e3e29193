"""Table names for SQL written by hand: always from the model, never a literal.

Reads, tiles and exports build SQL as text (GeoJSON and vector tiles are made in PostgreSQL).
A table named in such text follows the model's ``Meta.db_table`` through this one helper.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import Model


def quoted_table(model: type[Model]) -> str:
    """The model's table name, quoted for SQL (a many-to-many ``through`` model works too)."""
    return connection.ops.quote_name(model._meta.db_table)
