"""What "public" means: the one definition, as a queryset condition and as its SQL twin.

Two notions, side by side so they cannot drift apart:

* **Public** (shown one by one: lists, the map's points and grid API, tiles' points, exports,
  OGC API, ``gis.innspill``): moderated and published, and not location-restricted.
  Location-restricted input (children's Barnetråkk routes) can point at a child's way to
  school; it is never shown as a single input to the public (docs/gis.md).
* **Counted** (aggregates only: the tile grid below the detail zoom, the staff consultation
  grid): every published input, restricted ones included, since a count per cell says no
  more than "somewhere in this square" and small cells are suppressed.

``public_q()`` and ``public_sql()`` say the same thing to the ORM and to hand-written SQL;
``tests/inputbank/test_public.py`` checks that they select exactly the same rows. The database
view ``inputbank_gis_inputs`` carries the condition as its column ``offentlig`` (migration
0008, a frozen copy of ``public_sql("i")``); tiles and the OGC provider select
``VIEW_PUBLIC``. The tile grid's triggers (migration 0006) count ``counted_sql`` rows.

The second half is the allow-list of public input fields: which facts about an input the
public may see, and their names on the API (``inputbank.reads.features``) and in the GIS
layers (``inputbank.publishing.layers``). Both modules take their public lists from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

# This module imports no model: the input queryset's ``published()`` is built from it, so an
# import of ``inputbank.models`` here would make a circle. The names below are the model's
# (ModerationStatus.PUBLISHED, Input.status, Input.location_restricted); test_public.py
# checks that they still are.
_PUBLISHED = "published"
_STATUS = "status"
_RESTRICTED = "location_restricted"


def _prefixed(prefix: str, **lookups) -> Q:
    return Q(**{f"{prefix}{name}": value for name, value in lookups.items()})


def public_q(prefix: str = "") -> Q:
    """Inputs the public may see one by one (``prefix`` for a relation: ``"inputs__"``)."""
    return _prefixed(prefix, status=_PUBLISHED, location_restricted=False)


def public_sql(alias: str) -> str:
    """The SQL twin of ``public_q()`` over the input table aliased ``alias``."""
    return f"{alias}.{_STATUS} = '{_PUBLISHED}' AND NOT {alias}.{_RESTRICTED}"


def counted_q(prefix: str = "") -> Q:
    """Inputs counted in public aggregates: published, location-restricted ones included."""
    return _prefixed(prefix, status=_PUBLISHED)


def counted_sql(alias: str) -> str:
    """The SQL twin of ``counted_q()`` over the input table aliased ``alias``."""
    return f"{alias}.{_STATUS} = '{_PUBLISHED}'"


# The same condition over the GIS view ``inputbank_gis_inputs`` aliased ``v`` (its column
# ``offentlig`` is ``public_sql("i")``, migration 0008).
VIEW_PUBLIC = "v.offentlig"


# --- The allow-list of public input fields ------------------------------------------------


@dataclass(frozen=True)
class PublicField:
    """One fact about an input the public may see, by its name on each outward path.

    ``api``: property names in the API's GeoJSON Features; ``gis``: column names in exports,
    OGC API, tiles and ``gis.innspill``. An empty tuple: that path does not carry the fact.
    """

    fact: str
    api: tuple[str, ...] = ()
    gis: tuple[str, ...] = ()


# Never public, whatever the path: the contributor, the original text, moderation fields and
# the free-text place description (a pin's address can identify a person).
PUBLIC_INPUT_FIELDS: tuple[PublicField, ...] = (
    # Identity: the Feature id on the API; lokalId + navnerom + versjonId in GIS layers.
    PublicField("public_id", gis=("lokalId",)),
    PublicField("namespace", gis=("navnerom",)),
    PublicField("version", gis=("versjonId",)),
    # The redacted text only; the original text is for moderators.
    PublicField("public_text", api=("text",), gis=("tekst",)),
    PublicField("themes", api=("themes",), gis=("tema", "temanavn")),
    PublicField("process", api=("process",), gis=("prosess",)),
    PublicField("channel", api=("channel",), gis=("kanal",)),
    PublicField("language", api=("language",), gis=("spraak",)),
    PublicField("location_source", api=("location_source",), gis=("kilde",)),
    # The API gives residents the local date only; GIS layers have carried the timestamp
    # (and the publication time and case number) since migration 0002 (docs/gis.md).
    PublicField("received", api=("received_on",), gis=("mottatt",)),
    PublicField("published_at", gis=("publisert",)),
    PublicField("case_reference", gis=("saksnr",)),
    PublicField("status", api=("status",)),
    PublicField("response", api=("response",),
                gis=("utfall", "svar", "fase", "svardato", "vedtaksref")),
    PublicField("supports", api=("supports",)),
    PublicField("comments", api=("comments",)),
)  # fmt: skip

PUBLIC_API_PROPERTIES: frozenset[str] = frozenset(
    name for field in PUBLIC_INPUT_FIELDS for name in field.api
)
PUBLIC_GIS_COLUMNS: frozenset[str] = frozenset(
    name for field in PUBLIC_INPUT_FIELDS for name in field.gis
)
