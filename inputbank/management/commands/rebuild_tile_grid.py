"""manage.py rebuild_tile_grid: recount the low-zoom tile grid and empty the tile cache.

Triggers keep ``inputbank_gis_grid`` current on every write (migration 0006). Run this after
loading data with triggers switched off (``pg_restore --disable-triggers``,
``session_replication_role = replica``), or to drop cells that fell to zero.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from inputbank import cache
from inputbank.publishing import tiles


class Command(BaseCommand):
    help = "Recount published inputs per grid cell for low-zoom vector tiles."

    def handle(self, *args, **opts):
        with transaction.atomic():
            cells = tiles.rebuild_grid()
        cache.invalidate()
        self.stdout.write(f"{cells} grid cells counted; tile cache emptied")
