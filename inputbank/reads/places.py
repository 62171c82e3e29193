"""Find a place without the map: street, address or property (gnr/bnr), from the local register.

Everything is answered from the imported address register (``import_addresses``): no network,
so it works offline and in the tests. Results carry lon/lat (RFC 7946 order) for the map.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.contrib.gis.geos import Point

from geo.crs import WEB_SRID
from inputbank.models import Address
from inputbank.models.address_querysets import parse_property_query

MAX_QUERY_LENGTH = 100
MIN_QUERY_LENGTH = 2


@dataclass(frozen=True)
class Place:
    kind: str  # "street", "address" or "property"
    label: str
    lon: float
    lat: float
    address: str = ""
    property: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def _post_town(postnummer: str, poststed: str) -> str:
    return f"{postnummer} {poststed.title()}".strip()


def _address_place(address: Address, kind: str = "address") -> Place:
    label = address.label
    if kind == "property":
        label = f"{address.property_id}: {label}"
    return Place(
        kind=kind,
        label=label,
        lon=round(address.lonlat.x, 7),
        lat=round(address.lonlat.y, 7),
        address=address.label,
        property=address.property_id,
    )


def find_places(text: str, limit: int = 10) -> list[Place]:
    """Return places for a typed query, best first; an empty list for a too-short query.

    "1/234" (or "gnr 1 bnr 234") finds the addresses on that property; a street name without a
    number finds the street first and then its addresses; a mistyped name falls back to
    trigram similarity.
    """
    text = (text or "").strip()[:MAX_QUERY_LENGTH]
    if len(text) < MIN_QUERY_LENGTH:
        return []
    addresses = Address.objects.with_lonlat()
    prop = parse_property_query(text)
    if prop:
        found = addresses.on_property(*prop).order_by("adressenavn", "nummer", "bokstav")
        return [_address_place(a, "property") for a in found[:limit]]
    places: list[Place] = []
    matching = Address.objects.matching(text)
    if not any(ch.isdigit() for ch in text):
        for street in matching.streets()[:3]:
            places.append(
                Place(
                    kind="street",
                    label=f"{street['adressenavn']}, "
                    + _post_town(street["postnummer"], street["poststed"]),
                    lon=round(street["point"].x, 7),
                    lat=round(street["point"].y, 7),
                )
            )
    found = list(addresses.matching(text)[: limit - len(places)])
    if not found and not places:
        found = list(addresses.resembling(text)[:limit])
    places.extend(_address_place(a) for a in found)
    return places


def nearest_to(lon: float, lat: float, limit: int = 1) -> list[Place]:
    """Return the addresses nearest to a lon/lat point (within 250 m), nearest first."""
    point = Point(lon, lat, srid=WEB_SRID)
    found = Address.objects.with_lonlat().nearest_to(point)[:limit]
    return [_address_place(a) for a in found]
