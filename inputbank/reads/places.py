"""Find a place without the map: place name, street, address or property (gnr/bnr).

Everything is answered from the registers imported offline (``import_addresses``: Matrikkelen –
Adresse; ``import_placenames``: Stedsnavn): no network, so it works offline and in the tests.
Results carry lon/lat (RFC 7946 order) for the map. A property is found by its address points:
the address register has no parcel outlines.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.contrib.gis.geos import Point

from geo.crs import WEB_SRID
from inputbank.models import Address, PlaceName
from inputbank.models.address_querysets import parse_property_query

MAX_QUERY_LENGTH = 100
MIN_QUERY_LENGTH = 2


@dataclass(frozen=True)
class Place:
    kind: str  # "place", "street", "address" or "property"
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


def _named_place(place: PlaceName) -> Place:
    return Place(
        kind="place",
        label=place.label,
        lon=round(place.lonlat.x, 7),
        lat=round(place.lonlat.y, 7),
        address=place.name,
    )


# Place names shown before streets: "Kambo" is the village before "Kamboveien".
MAX_PLACE_NAMES = 3


def find_places(text: str, limit: int = 10) -> list[Place]:
    """Return places for a typed query, best first; an empty list for a too-short query.

    "1/234" (or "gnr 1 bnr 234") finds the addresses on that property; a text without digits
    finds place names first (Stedsnavn: "Jeløy", "Larkollen"), then streets, then addresses; a
    mistyped name falls back to trigram similarity.
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
    words_only = not any(ch.isdigit() for ch in text)
    if words_only:
        named = list(PlaceName.objects.with_lonlat().matching(text)[:MAX_PLACE_NAMES])
        exact = [p for p in named if p.rank == 0]
        if exact:
            # "Larkollen" means the village, not every address in its post town: one hit,
            # which the map selects at once.
            return [_named_place(p) for p in exact]
        places.extend(_named_place(p) for p in named)
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
    found = list(addresses.matching(text)[: max(limit - len(places), 0)])
    if not found and not places:
        if words_only:
            named = PlaceName.objects.with_lonlat().resembling(text)[:MAX_PLACE_NAMES]
            places.extend(_named_place(p) for p in named)
        found = list(addresses.resembling(text)[: limit - len(places)])
    places.extend(_address_place(a) for a in found)
    return places[:limit]


def nearest_to(lon: float, lat: float, limit: int = 1) -> list[Place]:
    """Return the addresses nearest to a lon/lat point (within 250 m), nearest first."""
    point = Point(lon, lat, srid=WEB_SRID)
    found = Address.objects.with_lonlat().nearest_to(point)[:limit]
    return [_address_place(a) for a in found]
