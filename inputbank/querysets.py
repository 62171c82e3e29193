"""Reads with domain names: ``Input.objects.published().about(theme).within(area).since(d)``.

Geometry arguments are GEOS geometries with an SRID; PostGIS transforms them to the storage
CRS once per query (they are parameters, not per-row expressions).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.gis.db.models.functions import Transform
from django.contrib.gis.geos import GEOSGeometry, Polygon
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection, models
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.utils import timezone

from geo.crs import STORAGE_SRID, WEB_SRID
from geo.validation import query_clip_box
from inputbank import roles

# How similar a word must be for the typo fallback (pg_trgm word_similarity, 0..1).
TRIGRAM_THRESHOLD = 0.5
# Query areas with more vertices than this are cut into pieces of at most SUBDIVIDE_VERTICES
# vertices: a 10 900-vertex multipolygon took 6.7 s as one geometry, 0.24 s subdivided
# (LESSONS.md). Small areas (a buffered point: 33 vertices) stay one piece.
SUBDIVIDE_ABOVE = 256
SUBDIVIDE_VERTICES = 64


def to_storage(geom: GEOSGeometry) -> GEOSGeometry:
    """Return the geometry in the storage CRS (a single small geometry; large sets use SQL)."""
    if geom.srid is None:
        raise ValueError("geometry has no SRID")
    if geom.srid == STORAGE_SRID:
        return geom
    return geom.transform(STORAGE_SRID, clone=True)


def _start_of(when: dt.date | dt.datetime) -> dt.datetime:
    """Midnight at the start of a date in the local time zone (datetimes pass through)."""
    if isinstance(when, dt.datetime):
        return when
    return timezone.make_aware(dt.datetime.combine(when, dt.time.min))


def query_area(area: GEOSGeometry, buffer_m: float = 0) -> list[GEOSGeometry]:
    """Return the query area in the storage CRS, buffered by metres, as one or more pieces.

    Computed once per query, before the query that uses it, so PostgreSQL sees plain
    parameters and never recomputes the area per row. Large areas are subdivided in PostGIS.
    """
    area = to_storage(area)
    if buffer_m:
        area = area.buffer(buffer_m)
    if area.num_coords <= SUBDIVIDE_ABOVE:
        return [area]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT ST_AsEWKB(ST_Subdivide(%s::geometry, %s))",
            (area.hexewkb.decode(), SUBDIVIDE_VERTICES),
        )
        return [GEOSGeometry(memoryview(row[0])) for row in cursor.fetchall()]


class ThemeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def with_descendants(self, slugs: Iterable[str]) -> list[int]:
        """Return ids of the themes with these slugs and all their sub-themes (a small tree)."""
        rows = list(self.values_list("id", "parent_id", "slug"))
        wanted = {pk for pk, _parent, slug in rows if slug in set(slugs)}
        changed = True
        while changed:
            children = {pk for pk, parent, _slug in rows if parent in wanted} - wanted
            changed = bool(children)
            wanted |= children
        return sorted(wanted)


class InputQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: moderated and published, and not location-restricted.

        Location-restricted input (children's Barnetråkk routes) is published for staff and
        aggregated layers only; it never appears in a public list, map, tile or export.
        """
        return self.filter(status="published", location_restricted=False)

    def moderated_published(self):
        """Published by a moderator, including location-restricted input (staff use only)."""
        return self.filter(status="published")

    def pending(self):
        return self.filter(status="pending")

    def visible_to(self, user):
        """Inputs this user may see: staff who moderate see all; everyone else published ones."""
        if roles.can_see_unpublished(user):
            return self
        return self.published()

    def about(self, theme_slugs: Iterable[str]):
        """Inputs with any of these themes or their sub-themes."""
        from inputbank.models import Theme

        ids = Theme.objects.with_descendants(theme_slugs)
        return self.filter(
            id__in=self.model.themes.through.objects.filter(theme_id__in=ids).values("input_id")
        )

    def within(self, area: GEOSGeometry, buffer_m: float = 0):
        """Inputs whose geometry intersects the area, optionally buffered by metres.

        Exact intersection (not bbox overlap), using the GiST index; large areas are
        subdivided first (see query_area).
        """
        return self.within_pieces(query_area(area, buffer_m))

    def within_pieces(self, pieces: list[GEOSGeometry]):
        """Inputs intersecting any of these storage-CRS pieces (from query_area)."""
        if len(pieces) == 1:
            return self.filter(geom__intersects=pieces[0])
        table = connection.ops.quote_name(self.model._meta.db_table)
        return self.filter(
            # The table name is our own; the pieces are parameters.
            id__in=RawSQL(  # noqa: S611
                f"SELECT DISTINCT w.id FROM {table} w "
                "JOIN unnest(%s::text[]::geometry[]) AS piece(g) ON ST_Intersects(w.geom, piece.g)",
                ([p.hexewkb.decode() for p in pieces],),
            )
        )

    def in_bbox(self, bbox: tuple[float, float, float, float]):
        """Inputs intersecting a lon/lat box (exact, not bbox overlap).

        The box is first clipped to the area around Moss (geo.validation.query_clip_box), so a
        whole-world box never reaches the UTM projection.
        """
        minx, miny, maxx, maxy = bbox
        cminx, cminy, cmaxx, cmaxy = query_clip_box()
        minx, miny, maxx, maxy = (
            max(minx, cminx),
            max(miny, cminy),
            min(maxx, cmaxx),
            min(maxy, cmaxy),
        )
        if minx >= maxx or miny >= maxy:
            return self.none()
        box = Polygon.from_bbox((minx, miny, maxx, maxy))
        box.srid = WEB_SRID
        return self.filter(geom__intersects=to_storage(box))

    def in_channels(self, channels: Iterable[str]):
        return self.filter(channel__in=list(channels))

    def with_status(self, statuses: Iterable[str]):
        return self.filter(status__in=list(statuses))

    def in_processes(self, processes: Iterable):
        return self.filter(process__in=list(processes))

    def newest_first(self):
        """The stable order for paging: newest received first, id breaks ties."""
        return self.order_by("-received_at", "-id")

    def in_process(self, process):
        return self.filter(process=process)

    def since(self, when: dt.date | dt.datetime):
        """Inputs received on or after this local date (or at/after this datetime)."""
        return self.filter(received_at__gte=_start_of(when))

    def until(self, when: dt.date | dt.datetime):
        """Inputs received up to and including this local date (or up to this datetime)."""
        if isinstance(when, dt.datetime):
            return self.filter(received_at__lte=when)
        # A range on the column itself (not __date) keeps the index usable.
        return self.filter(received_at__lt=_start_of(when + dt.timedelta(days=1)))

    def with_outcome(self, outcomes: Iterable[str]):
        outcomes = list(outcomes)
        if "none" in outcomes:
            return self.filter(Q(response__outcome__in=outcomes) | Q(response__isnull=True))
        return self.filter(response__outcome__in=outcomes)

    def search(self, text: str):
        """Norwegian full-text search on the public text, falling back to trigram similarity.

        The stemmer finds inflections ("sykkelveiene" -> "sykkelvei"); the trigram fallback
        finds typos and compound parts the stemmer cannot split. Annotates ``rank``.
        """
        query = SearchQuery(text, config="norwegian", search_type="websearch")
        return self.annotate(
            rank=SearchRank(F("search_vector"), query)
            + TrigramWordSimilarity(text, "public_text") * 0.1
        ).filter(Q(search_vector=query) | Q(public_text__trigram_word_similar=text))

    def transformed(self, srid: int):
        """Annotate ``out_geom``: the geometry in another CRS, transformed in SQL."""
        return self.annotate(out_geom=Transform("geom", srid))


class ProcessQuerySet(models.QuerySet):
    def open_on(self, day: dt.date):
        return self.filter(status="open", opens_on__lte=day).filter(
            Q(closes_on__isnull=True) | Q(closes_on__gte=day)
        )

    def overlapping(self, area: GEOSGeometry):
        return self.filter(area__intersects=to_storage(area))

    def by_key(self, key: str | int):
        """Look a process up by numeric id or by slug (the API accepts either)."""
        text = str(key).strip()
        if text.isascii() and text.isdigit():
            # Beyond bigint no row can match; asking would be a database error.
            return self.filter(pk=int(text)) if len(text) <= 18 else self.none()
        return self.filter(slug=text)


class CommentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status="published")

    def pending(self):
        return self.filter(status="pending")
