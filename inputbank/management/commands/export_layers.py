"""manage.py export_layers --format gpkg --output-dir DIR [--crs 25832] [filters]

For scheduled jobs: writes DIR/innspill.<ext> and DIR/prosesser.<ext> (a zip for shapefiles)
with the same columns and filters as /api/v1/exports/. Files are replaced atomically, so a
map service reading DIR never sees half a file. Published input only, unless
--include-unpublished (still no personal data).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from geo.io import FORMATS
from inputbank.filters import PARAMETERS, FilterError
from inputbank.publishing import exports, layers


class Command(BaseCommand):
    help = "Export inputs and processes to GIS files (GeoPackage, Shapefile, GeoJSON, ...)."
    # A scheduled job: the system checks (which import every URLconf, pygeoapi included) ran
    # at deploy time; here they would cost a second on every run.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("--format", default="gpkg", choices=sorted(FORMATS))
        parser.add_argument("--output-dir", required=True, help="folder to write into")
        parser.add_argument("--crs", help="output CRS, e.g. EPSG:25832 (default) or 25833")
        parser.add_argument(
            "--layers", default="inputs,processes", help="comma list: inputs, processes"
        )
        parser.add_argument("--include-unpublished", action="store_true")
        # The export URL's filters, by the same names (status is --include-unpublished).
        for name, param in PARAMETERS.items():
            if name != "status":
                parser.add_argument(
                    f"--{name}", help=f"as ?{name}= on the export URL: {param.help}"
                )

    def handle(self, *args, **opts):
        out_dir = Path(opts["output_dir"])
        if not out_dir.is_dir():
            raise CommandError(f"--output-dir: {out_dir} is not a folder")
        fmt = FORMATS[opts["format"]]
        wanted = {name.strip() for name in opts["layers"].split(",") if name.strip()}
        if not wanted <= {"inputs", "processes"}:
            raise CommandError("--layers: use inputs, processes or both")
        params = {key: opts[key] for key in (*PARAMETERS, "crs") if opts.get(key)}
        if opts["include_unpublished"]:
            params["status"] = "all"
        try:
            selection = exports.input_selection(params, may_see_unpublished=True)
            srid = selection.srid
            exports.output_srid(fmt, srid)
        except FilterError as exc:
            message = "; ".join(f"--{e['field']}: {e['message']}" for e in exc.errors)
            raise CommandError(message) from exc
        except exports.ExportError as exc:
            raise CommandError(f"--crs: {exc}") from exc
        ext = "-shp.zip" if fmt.zipped else fmt.extension
        for layer in sorted(wanted):
            work = Path(tempfile.mkdtemp(prefix="innspill-export-", dir=settings.GIS_TMP_DIR))
            try:
                if layer == "inputs":
                    result = exports.export_inputs(fmt=fmt, selection=selection, folder=work)
                    target = out_dir / f"{layers.INPUT_LAYER}{ext}"
                else:
                    result = exports.export_processes(fmt=fmt, srid=srid, folder=work)
                    target = out_dir / f"{layers.PROCESS_LAYER}{ext}"
                exports.replace_atomically(result.path, target)
            finally:
                shutil.rmtree(work, ignore_errors=True)
            self.stdout.write(f"{target}: {result.rows} rows")
