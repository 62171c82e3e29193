"""Reads of the address register (Matrikkelen – Adresse) with domain names.

``Address.objects.matching("dronningens gt 1b")``, ``.on_property(1, 234)``, ``.nearest_to(p)``:
address and property search for the resident map and the staff forms. Apart from
``querysets.py`` because the register is its own data set with its own typing rules.
"""

from __future__ import annotations

import re

from django.contrib.gis.db.models import Collect
from django.contrib.gis.db.models.functions import (
    Centroid,
    ClosestPoint,
    GeometryDistance,
    Transform,
)
from django.contrib.gis.geos import GEOSGeometry
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db import models
from django.db.models import Count

from geo.crs import WEB_SRID
from inputbank.geometry import to_storage

# "1/234", "1/234/5", "gnr 1 bnr 234", "gnr. 1, bnr. 234", "1 234": a property, not a street.
PROPERTY_QUERY = re.compile(
    r"^\s*(?:gnr\.?\s*)?(\d{1,5})\s*(?:/|,|\s)\s*(?:bnr\.?\s*)?(\d{1,5})"
    r"(?:\s*/\s*(\d{1,4}))?\s*$",
    re.IGNORECASE,
)
# Abbreviations people type for the street types in Norwegian addresses.
STREET_ABBREVIATIONS = {"gt": "gate", "gt.": "gate", "vn": "veien", "vn.": "veien", "v.": "veien"}
_TOKEN = re.compile(r"[^\W_]+\.?", re.UNICODE)
_HOUSE_NUMBER = re.compile(r"^(\d{1,5})([a-zæøå]?)$")


def parse_property_query(text: str) -> tuple[int, int, int | None] | None:
    """Return (gnr, bnr, fnr or None) when the text names a property, else None."""
    match = PROPERTY_QUERY.match(text or "")
    if not match:
        return None
    fnr = int(match.group(3)) if match.group(3) else None
    return int(match.group(1)), int(match.group(2)), fnr


class AddressQuerySet(models.QuerySet):
    def in_kommune(self, kommunenummer: str):
        return self.filter(kommunenummer=kommunenummer)

    def on_property(self, gnr: int, bnr: int, fnr: int | None = None):
        """Addresses on a property (gnr/bnr, optionally fnr), in address order."""
        found = self.filter(gardsnummer=gnr, bruksnummer=bnr)
        if fnr is not None:
            found = found.filter(festenummer=fnr)
        return found

    def matching(self, text: str):
        """Addresses whose text contains every word typed, with the house number exact.

        "dronningens gt 1b" finds "Dronningens gate 1B, 1530 Moss". Words are matched as
        substrings through the trigram index, so "dronn 1" works while typing. Returns an
        empty queryset when no word was typed.
        """
        words, number, letter = _address_tokens(text)
        if not words and number is None:
            return self.none()
        found = self
        for word in words:
            found = found.filter(search_text__contains=word)
        if number is not None:
            found = found.filter(nummer=number)
            if letter:
                found = found.filter(bokstav__iexact=letter)
        return found.order_by("adressenavn", "nummer", "bokstav", "id")

    def resembling(self, text: str):
        """Addresses similar to a mistyped text (pg_trgm word similarity), closest first."""
        text = (text or "").strip().lower()
        if len(text) < 3:
            return self.none()
        return (
            self.annotate(similarity=TrigramWordSimilarity(text, "search_text"))
            .filter(search_text__trigram_word_similar=text)
            .order_by("-similarity", "adressenavn", "nummer", "id")
        )

    def streets(self):
        """One row per street and post town, at the address nearest the street's centre.

        The point is a real address (not a centroid that may fall in a river), computed in SQL.
        """
        collected = Collect("geom")
        return (
            self.order_by()
            .values("adressenavn", "postnummer", "poststed")
            .annotate(
                point=Transform(ClosestPoint(collected, Centroid(collected)), WEB_SRID),
                address_count=Count("id"),
            )
            .order_by("adressenavn", "postnummer")
        )

    def nearest_to(self, point: GEOSGeometry, max_distance_m: float = 250):
        """Addresses within a distance of a point, nearest first (KNN on the GiST index)."""
        point = to_storage(point)
        return self.filter(geom__dwithin=(point, max_distance_m)).order_by(
            GeometryDistance("geom", point)
        )

    def with_lonlat(self):
        """Annotate ``lonlat``: the point in lon/lat for the web, transformed in SQL."""
        return self.annotate(lonlat=Transform("geom", WEB_SRID))


def _address_tokens(text: str) -> tuple[list[str], int | None, str]:
    """Split a typed address into lower-case words, the house number and its letter."""
    words: list[str] = []
    number: int | None = None
    letter = ""
    for raw in _TOKEN.findall((text or "").lower()):
        token = STREET_ABBREVIATIONS.get(raw, raw.rstrip("."))
        match = _HOUSE_NUMBER.match(token)
        if match and number is None and words:
            number, letter = int(match.group(1)), match.group(2)
        elif token:
            words.append(token)
    return words, number, letter
