"""WMS 1.3.0 and WFS 2.0 by MapServer (Debian's ``cgi-mapserver``) over the public view.

The app runs ``mapserv`` as a CGI program per request (``/ows``): no second server to start
or keep in step, and MapServer reads PostGIS itself. The mapfile is written from the same
sources as every other outward path: the public columns of ``inputbank.publishing.layers``
(GetFeatureInfo and WFS return only those), the public condition (``offentlig``, homes at
``offentlig_geom``), one layer per geometry kind, and classes per theme in the palette of
``inputbank.publishing.styles`` (the exports' QML/SLD and the MapLibre style).

Safety: the client never names a mapfile (``map=`` is dropped; MapServer's config only knows
the key ``INNSPILL``, ``MS_MAP_NO_PATH``); the database password travels in ``PGPASSWORD``,
never in the file.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.db import connection

from geo.crs import MOSS_EXTENT_25832, OUTPUT_SRIDS, STORAGE_SRID
from inputbank.public import VIEW_PUBLIC
from inputbank.publishing import layers, styles

MAPSERV = "/usr/lib/cgi-bin/mapserv"
MAP_KEY = "INNSPILL"
_KINDS = {"punkt": ("POINT", "Punkt"), "linje": ("LINE", "Linje"), "flate": ("POLYGON", "Flate")}


def available() -> bool:
    return os.access(MAPSERV, os.X_OK)


def _q(text: str) -> str:
    """A MapServer string literal (our own constants and checked slugs only)."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _class(kind: str, name: str, expression: str | None, colour: str) -> str:
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    expr = f"EXPRESSION ({expression})\n" if expression else ""
    if kind == "punkt":
        style = f'SYMBOL "sirkel" SIZE 9 COLOR {r} {g} {b} OUTLINECOLOR 255 255 255 WIDTH 1'
    elif kind == "linje":
        style = f"COLOR {r} {g} {b} WIDTH 3"
    else:
        style = f"COLOR {r} {g} {b} OPACITY 35 OUTLINECOLOR {r} {g} {b} WIDTH 1.5"
    return f"CLASS NAME {_q(name)} {expr}STYLE {style} END END\n"


def _layer(kind: str, db: str, themes) -> str:
    mstype, title = _KINDS[kind]
    pg_types = next(pg for suffix, _gdal, pg in layers.SHAPE_KINDS if suffix == kind)
    columns = ", ".join(f'{c.sql} AS "{c.name}"' for c in layers.INPUT_COLUMNS if "%s" not in c.sql)
    types = ", ".join(f"'{t}'" for t in pg_types)
    sql = (
        f"geom FROM (SELECT v.fid, {columns}, v.offentlig_geom AS geom "
        f"FROM {layers.INPUT_SOURCE} v WHERE {VIEW_PUBLIC} "
        f"AND GeometryType(v.geom) IN ({types})) AS t USING UNIQUE fid USING SRID={STORAGE_SRID}"
    )
    items = ",".join(c.name for c in layers.INPUT_COLUMNS if "%s" not in c.sql)
    classes = "".join(
        _class(kind, t.name, f"\"[tema]\" = \"{t.slug}\" OR \"[tema]\" ~ \"^{t.slug},\"",
               t.colour)
        for t in themes
    ) + _class(kind, "Annet", None, styles.OTHER_COLOUR)  # fmt: skip
    name = f"{layers.INPUT_LAYER}_{kind}"
    return f"""
LAYER
  NAME {_q(name)}
  TYPE {mstype}
  STATUS ON
  CONNECTIONTYPE POSTGIS
  CONNECTION {_q(db)}
  DATA {_q(sql)}
  PROJECTION "init=epsg:{STORAGE_SRID}" END
  TEMPLATE "ttt"
  TOLERANCE 6
  METADATA
    "ows_title" {_q(f"Innspill ({title.lower()})")}
    "ows_abstract" "Published participation input, coloured by first theme."
    "gml_include_items" {_q(items)}
    "gml_featureid" "lokalId"
    "gml_types" "auto"
    "wfs_enable_request" "*"
    "wms_enable_request" "*"
  END
{classes}END
"""


def mapfile_text(root: str, db: str) -> str:
    themes = styles.theme_styles()
    minx, miny, maxx, maxy = MOSS_EXTENT_25832
    srs = " ".join(f"EPSG:{s}" for s in OUTPUT_SRIDS)
    layer_text = "".join(_layer(kind, db, themes) for kind in _KINDS)
    return f"""MAP
  NAME "innspill"
  STATUS ON
  EXTENT {minx} {miny} {maxx} {maxy}
  UNITS METERS
  SIZE 800 800
  MAXSIZE 4096
  IMAGETYPE "png"
  PROJECTION "init=epsg:{STORAGE_SRID}" END
  SYMBOL NAME "sirkel" TYPE ELLIPSE FILLED TRUE POINTS 1 1 END END
  WEB
    METADATA
      "ows_title" {_q(settings.OGC["TITLE"])}
      "ows_abstract" {_q(settings.OGC["DESCRIPTION"])}
      "ows_onlineresource" {_q(root + "/ows?")}
      "ows_srs" {_q(srs)}
      "ows_enable_request" "*"
      "ows_encoding" "UTF-8"
      "ows_keywordlist" "medvirkning,innspill,Moss kommune"
      "ows_fees" "none"
      "ows_accessconstraints" {_q(settings.OGC["LICENSE"])}
      "ows_contactorganization" {_q(settings.OGC["PROVIDER"])}
      "ows_service_onlineresource" {_q(settings.OGC["PROVIDER_URL"])}
      "wms_feature_info_mime_type" "application/vnd.ogc.gml"
      "wfs_maxfeatures" "10000"
    END
  END
{layer_text}END
"""


def _db() -> tuple[str, dict[str, str]]:
    params = connection.get_connection_params()  # what Django's own connection uses
    parts = {k: str(params.get(k) or "") for k in ("host", "port", "dbname", "user")}
    text = " ".join(f"{k}={v}" for k, v in parts.items() if v)
    env = {"PGPASSWORD": str(params.get("password") or "")}
    return text, env


def _files(root: str) -> tuple[Path, Path]:
    db, _env = _db()
    key = hashlib.sha256(f"{root}|{db}".encode()).hexdigest()[:16]
    folder = Path(settings.BASE_DIR) / "var" / "mapserver"
    folder.mkdir(parents=True, exist_ok=True)
    mapfile, config = folder / f"{key}.map", folder / f"{key}.conf"
    mapfile.write_text(mapfile_text(root, db), encoding="utf-8")
    config.write_text(
        f'CONFIG\n  ENV\n    MS_MAP_NO_PATH "1"\n  END\n  MAPS\n    {MAP_KEY} "{mapfile}"\n'
        "  END\nEND\n",
        encoding="utf-8",
    )
    return mapfile, config


def run(root: str, query_string: str) -> tuple[int, dict[str, str], bytes]:
    """Answer one OWS request: (status, headers, body) from ``mapserv`` run as CGI."""
    _mapfile, config = _files(root)
    params = [(k, v) for k, v in parse_qsl(query_string, keep_blank_values=True)
              if k.lower() != "map"]  # fmt: skip
    params.append(("map", MAP_KEY))
    _db_text, db_env = _db()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "REQUEST_METHOD": "GET",
        "QUERY_STRING": urlencode(params),
        "MAPSERVER_CONFIG_FILE": str(config),
        **db_env,
    }
    done = subprocess.run([MAPSERV], env=env, capture_output=True, timeout=60, check=False)  # noqa: S603
    head, _sep, body = done.stdout.partition(b"\r\n\r\n")
    headers: dict[str, str] = {}
    status = 200
    for line in head.decode("latin-1").splitlines():
        name, _colon, value = line.partition(":")
        if name.lower() == "status":
            status = int(value.strip().split()[0])
        elif name:
            headers[name.strip()] = value.strip()
    return status, headers, body
