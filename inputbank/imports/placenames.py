"""Read Kartverket's place-name register (Stedsnavn) offline: its GML download, or GeoJSON.

GML is the register's download format (the SOSI "Stedsnavn" application schema in GML 3.2):
one ``app:Sted`` per place with ``stedsnummer``, ``stedstatus``, ``posisjon`` (a gml:Point or
MultiPoint with an ``srsName``), ``navneobjekttype``, ``kommune/Kommune/kommunenummer`` and one
or more ``stedsnavn/Stedsnavn`` (``navnestatus``: hovednavn, sidenavn ...) with one or more
``skrivemåte/Skrivemåte/komplettskrivemåte``. GDAL's GML driver flattens these nested, repeated
names into guessed columns, so the GML is read here element by element (defusedxml: no DTD, no
entities, nothing fetched), by local names, so the schema version in the namespace does not
matter. GeoJSON (one feature per place; properties ``stedsnummer``, ``komplettskrivemåte`` or
``navn``, ``navneobjekttype``, ``kommunenummer``) goes through the importer's GDAL reader with
its safety checks (``geo.io``). Coordinates stay in the file's CRS: the service transforms them
in SQL.

A file with a broken place (no name, no position, no number) is refused whole: the error names
the places, and nothing is stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

import shapely
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from geo.crs import (
    ETRS89_GEOGRAPHIC_SRID,
    GEOGRAPHIC_SRIDS,
    STORAGE_SRID,
    UTM33_SRID,
    WEB_SRID,
    UnknownCRS,
    parse_srid,
)
from geo.io.geometry import UnknownSourceCRS
from geo.io.reader import open_gis
from geo.io.safety import GEOJSON, HostileFile, UnsupportedFile
from inputbank.services.placenames import PlaceNameRow

# The CRSs Kartverket delivers the register in (and lon/lat).
ACCEPTED_SRIDS = (STORAGE_SRID, UTM33_SRID, ETRS89_GEOGRAPHIC_SRID, WEB_SRID)
# Rejected spellings are not names of the place.
_IGNORED_SPELLINGS = {"avslått"}
SHOWN_PROBLEMS = 10
_NAME_COLUMNS = ("komplettskrivemåte", "skrivemåte", "stedsnavn", "navn", "name")


class PlaceNameFileError(ValueError):
    """The file cannot be imported; the message says why in plain words."""


@dataclass
class PlaceNameRead:
    rows: list[PlaceNameRow] = field(default_factory=list)
    other_kommune: int = 0  # places of other municipalities left out (--kommunenummer)
    inactive: int = 0  # places the register marks as historic


def read_placenames(path: Path, kommunenummer: str | None = None) -> PlaceNameRead:
    """Read every place of a Stedsnavn GML or GeoJSON file, or raise PlaceNameFileError."""
    with path.open("rb") as fh:
        head = fh.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        read = _read_gml(path, kommunenummer)
    elif head.startswith(b"{"):
        read = _read_geojson(path, kommunenummer)
    else:
        raise PlaceNameFileError("not a Stedsnavn GML or GeoJSON file (it starts with neither)")
    if not read.rows and not read.other_kommune:
        raise PlaceNameFileError("the file holds no places (no app:Sted / no features)")
    return read


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child.tag) == name]


def _descendants(element: Element, name: str) -> list[Element]:
    return [node for node in element.iter() if _local(node.tag) == name]


def _text(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _first_text(element: Element, name: str) -> str:
    found = _descendants(element, name)
    return _text(found[0]) if found else ""


def _srid(value: str) -> int:
    try:
        return parse_srid(value, ACCEPTED_SRIDS)
    except UnknownCRS as exc:
        raise PlaceNameFileError(str(exc)) from None


class _Problems(list):
    def refuse(self) -> None:
        if not self:
            return
        shown = "; ".join(self[:SHOWN_PROBLEMS])
        more = f" (and {len(self) - SHOWN_PROBLEMS} more)" if len(self) > SHOWN_PROBLEMS else ""
        raise PlaceNameFileError(
            f"{len(self)} places cannot be read, so nothing was imported: {shown}{more}"
        )


def _read_gml(path: Path, kommunenummer: str | None) -> PlaceNameRead:
    read = PlaceNameRead()
    problems = _Problems()
    default_srs = ""
    number = 0
    try:
        for _event, element in iterparse(str(path), events=("end",), forbid_dtd=True):
            name = _local(element.tag)
            if name == "Envelope" and not default_srs:
                default_srs = element.get("srsName", "")
            if name != "Sted":
                continue
            number += 1
            _gml_place(element, number, default_srs, kommunenummer, read, problems)
            element.clear()  # keep memory flat on the national file
    except DefusedXmlException:
        raise PlaceNameFileError(
            "the XML has a DTD or entities, which a Stedsnavn file never has; refused"
        ) from None
    except ParseError as exc:
        raise PlaceNameFileError(f"the GML is not well-formed XML ({exc})") from None
    if number == 0:
        raise PlaceNameFileError("no app:Sted elements: this is not a Stedsnavn GML file")
    problems.refuse()
    return read


def _names(place: Element) -> tuple[str, tuple[str, ...]]:
    """The main name (the prioritised spelling of the hovednavn) and every other spelling."""
    main = ""
    others: list[str] = []
    for stedsnavn in _descendants(place, "Stedsnavn"):
        main_name = _first_text(stedsnavn, "navnestatus") == "hovednavn"
        spellings = _descendants(stedsnavn, "Skrivemåte") or [stedsnavn]
        for spelling in spellings:
            if _first_text(spelling, "skrivemåtestatus") in _IGNORED_SPELLINGS:
                continue
            text = _first_text(spelling, "komplettskrivemåte")
            if not text:
                continue
            preferred = _first_text(spelling, "prioritertSkrivemåte") != "false"
            if main_name and preferred and not main:
                main = text
            elif text not in others:
                others.append(text)
    if not main and others:
        main = others.pop(0)
    return main, tuple(name for name in others if name != main)


def _gml_place(
    place: Element,
    number: int,
    default_srs: str,
    kommunenummer: str | None,
    read: PlaceNameRead,
    problems: _Problems,
) -> None:
    municipalities = [_text(k) for k in _descendants(place, "kommunenummer")]
    if kommunenummer and kommunenummer not in municipalities:
        read.other_kommune += 1
        return
    if _first_text(place, "stedstatus") == "historisk":
        read.inactive += 1
        return
    where = f"place {number}"
    raw_number = _first_text(place, "stedsnummer")
    if not raw_number.isdigit():
        problems.append(f"{where}: no stedsnummer")
        return
    where = f"place {number} (stedsnummer {raw_number})"
    main, others = _names(place)
    if not main:
        problems.append(f"{where}: no name (komplettskrivemåte)")
        return
    positions = _children(place, "posisjon") or _descendants(place, "posisjon")
    points = _descendants(positions[0], "pos") if positions else []
    values = _text(points[0]).split() if points else []
    if len(values) < 2:
        problems.append(f"{where} {main!r}: no position (posisjon with gml:pos)")
        return
    holder = next((n for n in positions[0].iter() if n.get("srsName")), None)
    srs = holder.get("srsName", "") if holder is not None else default_srs
    if not srs:
        problems.append(f"{where} {main!r}: the position has no srsName")
        return
    srid = _srid(srs)
    try:
        first, second = float(values[0]), float(values[1])
    except ValueError:
        problems.append(f"{where} {main!r}: the position {' '.join(values[:2])!r} is not numbers")
        return
    # EPSG's geographic CRSs put latitude first in GML; CRS84 and the UTM zones x (east) first.
    lonlat_order = srid not in GEOGRAPHIC_SRIDS or srs.strip() in ("CRS84", "OGC:CRS84")
    x, y = (first, second) if lonlat_order else (second, first)
    read.rows.append(
        PlaceNameRow(
            number=number,
            stedsnummer=int(raw_number),
            name=main[:200],
            other_names=others,
            name_type=_first_text(place, "navneobjekttype")[:80],
            kommunenummer=municipalities[0] if municipalities else "",
            x=x,
            y=y,
            srid=srid,
        )
    )


def _read_geojson(path: Path, kommunenummer: str | None) -> PlaceNameRead:
    try:
        source, batches = open_gis(path, GEOJSON)
    except (HostileFile, UnsupportedFile, UnknownSourceCRS) as exc:
        raise PlaceNameFileError(str(exc)) from None
    srid = source.srid or WEB_SRID  # RFC 7946: GeoJSON without a crs member is lon/lat
    if srid not in ACCEPTED_SRIDS:
        raise PlaceNameFileError(f"the file's CRS EPSG:{srid} is not one Kartverket delivers")
    name_column = next((c for c in _NAME_COLUMNS if c in source.columns), None)
    if name_column is None or "stedsnummer" not in source.columns:
        raise PlaceNameFileError(
            "a Stedsnavn GeoJSON needs the properties 'stedsnummer' and a name "
            f"({', '.join(_NAME_COLUMNS)}); the file has {', '.join(source.columns)[:200]}"
        )
    read = PlaceNameRead()
    problems = _Problems()
    for batch in batches:
        geoms = shapely.from_wkb(batch.wkbs or [None] * len(batch))
        for i, number in enumerate(batch.numbers):
            row = {name: values[i] for name, values in batch.columns.items()}
            place_kommune = str(row.get("kommunenummer") or "").strip()
            if kommunenummer and place_kommune != kommunenummer:
                read.other_kommune += 1
                continue
            name = str(row.get(name_column) or "").strip()
            raw_number = str(row.get("stedsnummer") or "").strip()
            where = f"feature {number}"
            geom = geoms[i]
            if not raw_number.isdigit():
                problems.append(f"{where}: no stedsnummer")
            elif not name:
                problems.append(f"{where} (stedsnummer {raw_number}): no name")
            elif geom is None or geom.is_empty:
                problems.append(f"{where} {name!r}: no geometry")
            else:
                point = geom if geom.geom_type == "Point" else geom.representative_point()
                if geom.geom_type == "MultiPoint":
                    point = geom.geoms[0]
                read.rows.append(
                    PlaceNameRow(
                        number=number,
                        stedsnummer=int(raw_number),
                        name=name[:200],
                        other_names=(),
                        name_type=str(row.get("navneobjekttype") or "").strip()[:80],
                        kommunenummer=place_kommune,
                        x=point.x,
                        y=point.y,
                        srid=srid,
                    )
                )
    problems.refuse()
    return read
