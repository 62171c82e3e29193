"""The input bank's own settings: its limits and switches, tiles, the OGC API and imports.

Apart from ``settings.py`` so that file configures Django and its libraries, and these (read
by our code alone, as ``settings.INPUTBANK[...]``, ``settings.TILES[...]``) are found in one
place. ``settings.py`` imports every name here, so they are Django settings like any other;
each from the environment with a documented default (.env.example), as there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from inputbank.settings_env import env, env_bool, env_int

# The project's var/ (settings.BASE_DIR / "var"): the tile cache and staged imports default there.
_VAR = Path(__file__).resolve().parent.parent / "var"

INPUTBANK: dict[str, Any] = {
    # Identity of exported objects (SOSI-style lokalId + navnerom).
    "NAMESPACE": env("INPUTBANK_NAMESPACE", "https://data.moss.kommune.no/innspillsbank"),
    "KOMMUNENUMMER": env("KOMMUNENUMMER", "3103"),
    "ARCHIVE_CASE_URL": env("ARCHIVE_CASE_URL", ""),  # links; inputbank/casenumbers.py
    "PLAN_REGISTER_URL": env("PLAN_REGISTER_URL", ""),
    "MAX_TEXT_LENGTH": env_int("INPUT_MAX_TEXT_LENGTH", 5000),
    "MAX_VERTICES": env_int("INPUT_MAX_VERTICES", 5000),
    "QUERY_MAX_VERTICES": env_int("QUERY_MAX_VERTICES", 50_000),
    "MAX_BODY_BYTES": env_int("INPUT_MAX_BODY_BYTES", 1_048_576),
    "MIN_FILL_SECONDS": env_int("INPUT_MIN_FILL_SECONDS", 3),
    "PAGE_SIZE": env_int("API_PAGE_SIZE", 100),
    "MAX_PAGE_SIZE": env_int("API_MAX_PAGE_SIZE", 10_000),
    "MAX_BUFFER_M": env_int("QUERY_MAX_BUFFER_M", 5000),
    # Prior input groups its arguments and quotes from at most this many of the newest hits
    # (as the map shows the newest MAX_PAGE_SIZE); the summary and the gaps count every hit,
    # and the answer says how many were grouped (``arguments_hits``, docs/api.md).
    "PRIOR_ARGUMENT_HITS": env_int("PRIOR_ARGUMENT_HITS", 10_000),
    "AGGREGATE_MIN_COUNT": env_int("AGGREGATE_MIN_COUNT", 5),
    # The public map draws at most MAP_POINTS_MAX inputs as points (newest first; capped at
    # MAX_PAGE_SIZE, one request) and shows counts per area when a view holds more than
    # MAP_AGGREGATE_ABOVE (docs/resident-map.md).
    "MAP_POINTS_MAX": env_int("MAP_POINTS_MAX", 10_000),
    "MAP_AGGREGATE_ABOVE": env_int("MAP_AGGREGATE_ABOVE", 25_000),
    # Public address of the site, for links in feedback e-mails (no trailing slash).
    "SITE_URL": env("SITE_URL", "http://127.0.0.1:8000"),
    # First part of the short input references residents see ("MOSS-2026-0142"); display only,
    # so changing it keeps old references working (inputbank/references.py).
    "REFERENCE_PREFIX": env("INPUT_REFERENCE_PREFIX", "MOSS"),
    # Send feedback e-mail right after a response is recorded; off = only `manage.py
    # send_feedback` (cron) sends. Failed sends are retried by that command either way.
    "FEEDBACK_SEND_IMMEDIATELY": env_bool("FEEDBACK_SEND_IMMEDIATELY", True),
    # Attachments registered by staff: PDF and images only, each at most this many bytes.
    "ATTACHMENT_MAX_BYTES": env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024),
    # Uploaded plan boundaries (GeoJSON, GeoPackage, zipped Shapefile) for areas and reports.
    "AREA_UPLOAD_MAX_BYTES": env_int("AREA_UPLOAD_MAX_BYTES", 20 * 1024 * 1024),
    # Personal data is pseudonymised this many days after a process closes (appeal period
    # plus time to send feedback). Verify with the archive before changing.
    "RETENTION_DAYS_AFTER_CLOSE": env_int("RETENTION_DAYS_AFTER_CLOSE", 90),
    # Match new input into arguments as it is stored (docs/arguments.md). Off: it waits for
    # `manage.py match_arguments`; the benchmark turns it off to measure what matching costs.
    "ARGUMENTS_MATCH_AT_SUBMISSION": env_bool("ARGUMENTS_MATCH_AT_SUBMISSION", True),
    # The audit trail of sensitive staff actions (AuditEvent) is deleted after this many days
    # by `manage.py apply_retention` (about five years: the period an access request or a
    # complaint about a staff action can reasonably reach back). Agree it with the archive.
    "AUDIT_RETENTION_DAYS": env_int("AUDIT_RETENTION_DAYS", 5 * 365 + 1),
}


# --- GIS exchange: exports, OGC API, vector tiles, imports (docs/gis.md) ----------------------
# Temporary files of exports and imports (removed after each request); empty = the system's.
GIS_TMP_DIR = env("GIS_TMP_DIR") or None
INPUTBANK["THROTTLE_EXPORTS"] = env("THROTTLE_EXPORTS", "60/hour")  # anonymous exports
# Supports of one input from one address (a shared Wi-Fi counts each browser up to this).
INPUTBANK["THROTTLE_SUPPORT_PER_ADDRESS"] = env("THROTTLE_SUPPORT_PER_ADDRESS", "50/day")
# Confirmation e-mails of area alerts to one e-mail address, whoever asks for them: the site
# must not be usable to flood someone's inbox (the per-client limit is THROTTLE_ALERTS).
INPUTBANK["THROTTLE_ALERT_EMAILS"] = env("THROTTLE_ALERT_EMAILS", "3/day")
TILES = {
    "MIN_ZOOM": env_int("TILE_MIN_ZOOM", 8),  # below: empty tiles
    "DETAIL_ZOOM": env_int("TILE_DETAIL_ZOOM", 13),  # below: counts per grid cell
    "GRID_CELLS": env_int("TILE_GRID_CELLS", 16),  # grid cells across one tile (rounded to 2^n)
    # From the detail zoom, a tile holding more inputs than this holds counts instead: the
    # same bound and reason as MAP_AGGREGATE_ABOVE (docs/gis.md, vector tiles).
    "FEATURES_MAX": env_int("TILE_FEATURES_MAX", 25_000),
    "CACHE_SECONDS": env_int("TILE_CACHE_SECONDS", 300),  # server-side tile cache
    "MAX_AGE": env_int("TILE_MAX_AGE", 60),  # Cache-Control max-age for browsers
    # Raw MVT files, shared by every worker process (geo/tilestore.py); a local disk.
    "CACHE_DIR": env("TILE_CACHE_LOCATION", str(_VAR / "cache" / "tiles")),
    # At most this much of answers kept beside the tiles (the map's counts, anonymous lists)
    # per generation: their names come from request parameters, so the disk needs a bound.
    "ANSWER_CACHE_MB": env_int("TILE_ANSWER_CACHE_MB", 256),
}

OGC = {
    "TITLE": env("OGC_TITLE", "Moss innspillsbank"),
    "DESCRIPTION": env(
        "OGC_DESCRIPTION", "Innspill fra medvirkning i Moss kommune, med sted, tema og svar."
    ),
    "PROVIDER": env("OGC_PROVIDER", "Moss kommune"),
    "PROVIDER_URL": env("OGC_PROVIDER_URL", "https://www.moss.kommune.no"),
    "LICENSE": env("OGC_LICENSE", "CC BY 4.0"),
    "LICENSE_URL": env("OGC_LICENSE_URL", "https://creativecommons.org/licenses/by/4.0/"),
    # GDAL 3.8+ and QGIS page by the advertised default/maximum: 1 000 a page is ~50 requests
    # fewer than 10 for the demo, without a page so large a browser stalls (docs/gis.md).
    "DEFAULT_ITEMS": env_int("OGC_DEFAULT_ITEMS", 1_000),
    "MAX_ITEMS": env_int("OGC_MAX_ITEMS", 10_000),
}
IMPORTS = {
    "MAX_UPLOAD_BYTES": env_int("IMPORT_MAX_UPLOAD_BYTES", 200 * 1024 * 1024),
    "MAX_UNZIPPED_BYTES": env_int("IMPORT_MAX_UNZIPPED_BYTES", 1024 * 1024 * 1024),
    "MAX_ZIP_RATIO": env_int("IMPORT_MAX_ZIP_RATIO", 100),
    "MAX_ZIP_ENTRIES": env_int("IMPORT_MAX_ZIP_ENTRIES", 100),
    "MAX_ROWS": env_int("IMPORT_MAX_ROWS", 2_000_000),
    # From this many rows (and at least as many as the bank holds) an import rebuilds the input
    # table's search and map indexes once instead of updating them per row; the table is
    # locked for reading until the import commits (inputbank/services/bulk_load.py).
    "LARGE_LOAD_ROWS": env_int("IMPORT_LARGE_LOAD_ROWS", 50_000),
    # Uploads waiting between the dry run and the import on the staff page.
    "STAGING_DIR": Path(env("IMPORT_STAGING_DIR", str(_VAR / "imports"))),
    "STAGING_MAX_AGE": env_int("IMPORT_STAGING_MAX_AGE", 3600),
}
