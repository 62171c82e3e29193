"""The mapping from a file's columns to input fields: a TOML or JSON file, or guessed.

Example (TOML)::

    [columns]                 # input field = column name in the file
    text = "Innspill"
    themes = "Tema"           # theme slugs or names, separated by , or ;
    received_at = "Dato"
    location_description = "Adresse"

    [defaults]                # used when a row (or the file) has no value
    channel = "workshop"
    themes = ["transport"]
    process = "sentrum-2024"

    [values.themes]           # the file's words -> theme slugs
    "Trafikk" = "transport"

    [location]
    srid = 25832              # CRS of x/y or WKT columns, or of a GIS file without one
    kind = "address"          # what location_description holds: address, property, place_name

Without a mapping, columns are found by common names (tekst/innspill/text, tema, kanal, dato,
x/y, lon/lat, øst/nord, wkt, adresse, ...), so a plain spreadsheet usually needs none.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_noop
from pyproj import CRS
from pyproj.exceptions import CRSError

from geo.io import UnknownSourceCRS
from geo.messages import GeoMessage
from inputbank.models import LocationSource

FIELDS = (
    "text", "themes", "channel", "received_at", "language", "source_group",
    "location_description", "case", "lokal_id", "process", "x", "y", "wkt", "sender_category",
)  # fmt: skip
DEFAULTABLE = ("themes", "channel", "received_at", "language", "source_group", "process",
               "sender_category")  # fmt: skip
VALUE_MAPS = ("themes", "channel", "language")
LOCATION_KINDS = (LocationSource.ADDRESS, LocationSource.PROPERTY, LocationSource.PLACE_NAME)

# Column names recognised without a mapping (compared case-insensitively).
ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "tekst", "innspill", "kommentar", "comment", "merknad", "description"),
    "themes": ("themes", "theme", "tema", "temaer"),
    "channel": ("channel", "kanal"),
    "received_at": ("received_at", "received", "mottatt", "dato", "date"),
    "language": ("language", "språk", "sprak", "spraak", "lang"),
    "source_group": ("source_group", "gruppe", "group", "organisasjon", "organisation"),
    "location_description": ("location_description", "adresse", "address", "gnr/bnr",
                             "eiendom", "stedsnavn", "sted", "place"),
    "case": ("case", "saksnr", "saksnummer", "case_number"),
    "lokal_id": ("lokalid", "lokal_id", "public_id"),
    "process": ("process", "prosess"),
    "wkt": ("wkt", "geometry", "geometri"),
    "sender_category": ("sender_category", "avsenderkategori", "avsendarkategori"),
}  # fmt: skip
LONLAT_PAIRS = (("lon", "lat"), ("lng", "lat"), ("longitude", "latitude"))
XY_PAIRS = (("x", "y"), ("øst", "nord"), ("ost", "nord"), ("e", "n"), ("east", "north"),
            ("easting", "northing"))  # fmt: skip
KIND_BY_COLUMN = {
    "adresse": LocationSource.ADDRESS,
    "address": LocationSource.ADDRESS,
    "gnr/bnr": LocationSource.PROPERTY,
    "eiendom": LocationSource.PROPERTY,
    "stedsnavn": LocationSource.PLACE_NAME,
    "sted": LocationSource.PLACE_NAME,
    "place": LocationSource.PLACE_NAME,
}


class MappingError(GeoMessage):
    """The mapping is wrong: ``where`` names the key ("columns.text"), the template the problem.

    A GeoMessage, so that the staff page words it in the officer's language
    (``inputbank.geomessages.geo_message``) and ``str()`` stays English for the command line.
    """


# TOML's "Invalid value (at line 3, column 7)": the position, worded again in the reader's
# language; the parser's own reason stays as it is (English).
_TOML_AT = re.compile(r"^(?P<reason>.*?)\s*\(at line (?P<line>\d+), column (?P<column>\d+)\)$")


@dataclass
class Mapping:
    """Which column feeds which field, defaults, value translations and location settings."""

    columns: dict[str, str] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    srid: int | None = None
    location_kind: str | None = None
    coordinates_are_lonlat: bool = False

    def resolved(self, header: list[str]) -> Mapping:
        """Return a copy with columns guessed from the header where the mapping names none.

        Raises MappingError when a named column is not in the file.
        """
        lower = {h.lower(): h for h in header}
        columns = dict(self.columns)
        for target, source in columns.items():
            if source.lower() not in lower:
                raise MappingError(
                    gettext_noop("the file has no column %(name)s"),
                    where=f"columns.{target}",
                    name=repr(source[:60]),
                )
            columns[target] = lower[source.lower()]
        out = Mapping(
            columns=columns,
            defaults=dict(self.defaults),
            values=self.values,
            srid=self.srid,
            location_kind=self.location_kind,
        )
        for target, names in ALIASES.items():
            if target not in columns:
                found = next((lower[n] for n in names if n in lower), None)
                if found:
                    columns[target] = found
        if "x" not in columns and "y" not in columns:
            self._guess_coordinates(out, lower)
        elif (columns["x"].lower(), columns["y"].lower()) in LONLAT_PAIRS:
            out.coordinates_are_lonlat = True
        if out.location_kind is None and "location_description" in columns:
            out.location_kind = KIND_BY_COLUMN.get(columns["location_description"].lower())
        return out

    @staticmethod
    def _guess_coordinates(out: Mapping, lower: dict[str, str]) -> None:
        for xs, ys in LONLAT_PAIRS:
            if xs in lower and ys in lower:
                out.columns["x"], out.columns["y"] = lower[xs], lower[ys]
                out.coordinates_are_lonlat = True
                if "wkt" in out.columns and out.srid is None:
                    del out.columns["wkt"]  # lon/lat needs no CRS; WKT would
                return
        for xs, ys in XY_PAIRS:
            if xs in lower and ys in lower:
                out.columns["x"], out.columns["y"] = lower[xs], lower[ys]
                return


def parse_mapping(text: str) -> Mapping:
    """Parse a mapping given as TOML or JSON text; check its keys and shapes."""
    stripped = text.lstrip()
    try:
        data = json.loads(stripped) if stripped.startswith("{") else tomllib.loads(text)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as exc:
        raise _unreadable(exc) from exc
    return mapping_from_dict(data)


def _unreadable(exc: ValueError) -> MappingError:
    """The parser's complaint with its line and column worded for the reader."""
    if isinstance(exc, json.JSONDecodeError):
        line, column, reason = exc.lineno, exc.colno, exc.msg
    else:
        at = _TOML_AT.match(str(exc))
        if at is None:
            return MappingError(
                gettext_noop("the mapping file cannot be read (%(reason)s)"), reason=str(exc)[:200]
            )
        line, column, reason = int(at["line"]), int(at["column"]), at["reason"]
    return MappingError(
        gettext_noop(
            "the mapping file cannot be read: line %(line)s, column %(column)s (%(reason)s)"
        ),
        line=line,
        column=column,
        reason=reason[:200],
    )


def mapping_from_dict(data: dict[str, Any]) -> Mapping:
    if not isinstance(data, dict):
        raise MappingError(gettext_noop("the mapping must be a table of sections"))
    unknown = set(data) - {"columns", "defaults", "values", "location"}
    if unknown:
        raise MappingError(
            gettext_noop("unknown section %(name)s in the mapping; use %(known)s"),
            name=repr(sorted(unknown)[0][:40]),
            known="columns, defaults, values, location",
        )
    columns = _table(data, "columns")
    for key, value in columns.items():
        if key not in FIELDS:
            raise MappingError(
                gettext_noop("unknown field; use one of %(known)s"),
                where=f"columns.{key[:40]}",
                known=", ".join(FIELDS),
            )
        if not isinstance(value, str) or not value.strip():
            raise MappingError(gettext_noop("give the column name as text"), where=f"columns.{key}")
    if ("x" in columns) != ("y" in columns):
        raise MappingError(gettext_noop("give both x and y (or neither)"), where="columns")
    defaults = _table(data, "defaults")
    for key in defaults:
        if key not in DEFAULTABLE:
            raise MappingError(
                gettext_noop("no default possible; use %(known)s"),
                where=f"defaults.{key[:40]}",
                known=", ".join(DEFAULTABLE),
            )
    if "themes" in defaults:
        themes = defaults["themes"]
        if isinstance(themes, str):
            defaults["themes"] = [themes]
        elif not (isinstance(themes, list) and all(isinstance(t, str) for t in themes)):
            raise MappingError(gettext_noop("give a list of theme slugs"), where="defaults.themes")
    values: dict[str, dict[str, str]] = {}
    for key, table in _table(data, "values").items():
        if key not in VALUE_MAPS or not isinstance(table, dict):
            raise MappingError(
                gettext_noop("only %(known)s can be translated"),
                where=f"values.{key[:40]}",
                known=", ".join(VALUE_MAPS),
            )
        values[key] = {str(k).strip().lower(): str(v).strip() for k, v in table.items()}
    location = _table(data, "location")
    unknown = set(location) - {"srid", "kind"}
    if unknown:
        where = f"location.{sorted(unknown)[0][:40]}"
        raise MappingError(gettext_noop("unknown key; use srid or kind"), where=where)
    srid = location.get("srid")
    if srid is not None:
        try:
            srid = parse_source_srid(str(srid))
        except UnknownSourceCRS as exc:
            raise MappingError(exc.template, where="location.srid", **exc.values) from exc
    kind = location.get("kind")
    if kind is not None and kind not in LOCATION_KINDS:
        raise MappingError(
            gettext_noop("use one of %(known)s"),
            where="location.kind",
            known=", ".join(LOCATION_KINDS),
        )
    return Mapping(
        columns={k: v.strip() for k, v in columns.items()},
        defaults=defaults,
        values=values,
        srid=srid,
        location_kind=kind,
    )


def parse_source_srid(text: str) -> int:
    """Parse the EPSG code of a file's CRS ('25832' or 'EPSG:25832'); PROJ must know it.

    Any CRS PROJ knows may be the source (old NGO 1948 archives too); the output CRSs of
    exports are a short allow-list instead (geo.crs.OUTPUT_SRIDS). Raises UnknownSourceCRS (a
    GeoMessage, a ValueError).
    """
    value = text.strip().upper().removeprefix("EPSG:")
    if not value.isdigit() or len(value) > 6:
        raise UnknownSourceCRS(gettext_noop("give an EPSG code such as 25832"))
    try:
        CRS.from_epsg(int(value))
    except CRSError as exc:
        raise UnknownSourceCRS(
            gettext_noop("EPSG:%(code)s is not a known coordinate reference system"), code=value
        ) from exc
    return int(value)


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise MappingError(gettext_noop("must be a table"), where=key)
    return dict(value)
