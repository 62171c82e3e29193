"""The one place for the SRID policy.

* Storage: EPSG:25832 (ETRS89 / UTM zone 32N), the municipality's CRS. It is metric, so buffers,
  lengths and areas in metres are plain PostGIS calls on the stored column.
* Web exchange: GeoJSON per RFC 7946 is lon/lat on WGS 84 (CRS84). PostGIS' ST_AsGeoJSON always
  writes x=lon, y=lat for EPSG:4326, so 4326 is used as the SRID for CRS84 data.
* Web maps draw in EPSG:3857; national APIs often answer in EPSG:4258 (ETRS89 geographic).

No other module writes an SRID literal (migrations excepted). Transformations happen in SQL
(ST_Transform), never in Python loops.
"""

from __future__ import annotations

import re

from geo.messages import GeoMessage, gettext_noop

STORAGE_SRID = 25832  # ETRS89 / UTM 32N, metres, axis order E, N
WEB_SRID = 4326  # CRS84 lon/lat as RFC 7946 GeoJSON writes it
WEB_MERCATOR_SRID = 3857
ETRS89_GEOGRAPHIC_SRID = 4258
UTM33_SRID = 25833

# Output CRSs offered for exports and ?crs= on the API (a short allow-list on purpose: each one
# is a CRS the municipality's map tools are known to read).
OUTPUT_SRIDS: tuple[int, ...] = (
    STORAGE_SRID,
    UTM33_SRID,
    ETRS89_GEOGRAPHIC_SRID,
    WEB_SRID,
    WEB_MERCATOR_SRID,
)

# Geographic CRSs (degrees); the rest are projected (metres).
GEOGRAPHIC_SRIDS = frozenset({WEB_SRID, ETRS89_GEOGRAPHIC_SRID})

# Moss land area, lon/lat (docs/domain.md).
MOSS_BBOX_LONLAT = (10.587, 59.305, 10.821, 59.515)
MOSS_CENTRE_LONLAT = (10.658, 59.434)
# Map extent with a fjord margin, EPSG:25832 metres (E_min, N_min, E_max, N_max). Inputs about
# the fjord and shoreline are legitimate; anything outside this box is refused.
MOSS_EXTENT_25832 = (584_800.0, 6_572_200.0, 608_300.0, 6_600_600.0)
# The same extent expressed in lon/lat (computed once from the box above, rounded outwards).
MOSS_EXTENT_LONLAT = (10.488, 59.274, 10.915, 59.536)

CRS84_URI = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
CRS84_URIS = frozenset(
    {
        CRS84_URI,
        "https://www.opengis.net/def/crs/OGC/1.3/CRS84",
        "urn:ogc:def:crs:OGC:1.3:CRS84",
        "OGC:CRS84",
        "CRS84",
    }
)

_EPSG_PATTERNS = (
    re.compile(r"^(?:EPSG:)?(\d{4,5})$", re.IGNORECASE),
    re.compile(r"^urn:ogc:def:crs:EPSG:[\d.]*:(\d{4,5})$", re.IGNORECASE),
    re.compile(r"^https?://www\.opengis\.net/def/crs/EPSG/0/(\d{4,5})$", re.IGNORECASE),
)


class UnknownCRS(GeoMessage):
    """A CRS name we cannot parse or do not offer."""


def parse_srid(value: str | int, allowed: tuple[int, ...] = OUTPUT_SRIDS) -> int:
    """Return the EPSG code for a CRS given as 'EPSG:25832', '25832', a URN or an OGC URI.

    CRS84 maps to 4326 (lon/lat axis order). Raises UnknownCRS naming the allowed list.
    """
    text = str(value).strip()
    if text in CRS84_URIS:
        srid = WEB_SRID
    else:
        srid = None
        for pattern in _EPSG_PATTERNS:
            match = pattern.match(text)
            if match:
                srid = int(match.group(1))
                break
    if srid is None or srid not in allowed:
        names = ", ".join(f"EPSG:{s}" for s in allowed)
        raise UnknownCRS(
            gettext_noop("unknown or unsupported CRS %(crs)s; use one of %(names)s"),
            crs=repr(text[:40]),
            names=names,
        )
    return srid


def crs_uri(srid: int) -> str:
    """Return the OGC URI for an SRID (CRS84 for the web SRID, as OGC API – Features expects)."""
    if srid == WEB_SRID:
        return CRS84_URI
    return epsg_uri(srid)


def epsg_uri(srid: int) -> str:
    """Return the OGC URI of an EPSG code, keeping its axis order (EPSG:4326 is lat/lon)."""
    return f"http://www.opengis.net/def/crs/EPSG/0/{int(srid)}"


# What OGC API – Features offers for ``crs`` and ``bbox-crs``: CRS84 first (Part 2 makes it the
# default and wants it first), then the municipality's CRSs by EPSG URI. EPSG:4326 by URI is
# lat/lon; CRS84 is lon/lat.
OGC_API_CRS_URIS: tuple[str, ...] = (
    CRS84_URI,
    *(epsg_uri(s) for s in (STORAGE_SRID, UTM33_SRID, ETRS89_GEOGRAPHIC_SRID, WEB_MERCATOR_SRID)),
    epsg_uri(WEB_SRID),
)


def canonical_crs_uri(value: str) -> str:
    """Return the OGC URI for a CRS given as URI, URN or 'EPSG:n' (CRS84 names stay CRS84).

    Raises UnknownCRS for anything not offered. 'EPSG:4326' becomes the EPSG URI (lat/lon),
    not CRS84: the axis order a client names is the one it gets.
    """
    text = str(value).strip()
    if text in CRS84_URIS:
        return CRS84_URI
    return epsg_uri(parse_srid(text))


def coordinate_precision(srid: int) -> int:
    """Return the number of decimals worth writing: ~1 cm in metres, ~1 cm in degrees."""
    return 7 if srid in GEOGRAPHIC_SRIDS else 2
