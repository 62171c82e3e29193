"""Reads with domain names: ``Input.objects.published().about(theme).within(area).since(d)``.

Geometry arguments are GEOS geometries with an SRID; PostGIS transforms them to the storage
CRS once per query (they are parameters, not per-row expressions).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.contrib.gis.db.models.functions import (
    AsGeoJSON,
    Transform,
)
from django.contrib.gis.geos import GEOSGeometry, Polygon
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connections, models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from geo.crs import WEB_SRID
from geo.validation import query_clip_box
from inputbank import roles
from inputbank.geometry import NO_SHAPE, SHAPE_TYPES, query_area, to_storage
from inputbank.models.place_sql import homes_drawn_in, ids_intersecting, pieces_param
from inputbank.models.tables import quoted_table
from inputbank.public import counted_q, public_q

# How similar a word must be for the typo fallback (pg_trgm word_similarity, 0..1).
TRIGRAM_THRESHOLD = 0.5


def _start_of(when: dt.date | dt.datetime) -> dt.datetime:
    """Midnight at the start of a date in the local time zone (datetimes pass through)."""
    if isinstance(when, dt.datetime):
        return when
    return timezone.make_aware(dt.datetime.combine(when, dt.time.min))


def on_or_after(column: str, when: dt.date | dt.datetime) -> Q:
    """``column`` on or after this local date (or at/after this datetime)."""
    return Q(**{f"{column}__gte": _start_of(when)})


def on_or_before(column: str, when: dt.date | dt.datetime) -> Q:
    """``column`` up to and including this local date (or up to this datetime)."""
    if isinstance(when, dt.datetime):
        return Q(**{f"{column}__lte": when})
    # A range on the column itself (not __date) keeps the index usable.
    return Q(**{f"{column}__lt": _start_of(when + dt.timedelta(days=1))})


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
    # Set by published(): the reader is the public, so places are asked of what the public
    # sees (a home's generalised point, inputbank.location_privacy), and kept through every
    # later filter (``_clone``), so no door has to remember it.
    _public_places = False

    def _clone(self):
        clone = super()._clone()
        clone._public_places = self._public_places
        return clone

    @property
    def public_places(self) -> bool:
        """True when the reader is the public: a home is where its published point is."""
        return self._public_places

    def published(self):
        """What the public may see one by one (``inputbank.public``: the one definition).

        Location-restricted input (children's Barnetråkk routes) is published for staff and
        aggregated layers only; it never appears in a public list, map, tile or export.
        """
        clone = self.filter(public_q())
        clone._public_places = True
        return clone

    def moderated_published(self):
        """Published by a moderator, including location-restricted input (staff, aggregates)."""
        return self.filter(counted_q())

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

    def within_pieces(self, pieces: list[GEOSGeometry], *, statuses: Sequence[str] = ()):
        """Inputs intersecting any of these storage-CRS pieces (from query_area).

        ``statuses``: the caller keeps only inputs in these statuses anyway (the queryset
        filters them too); the spatial scan over many pieces then skips the others early.
        """
        if self._public_places:
            return self._public_within(pieces, statuses)
        if len(pieces) == 1:
            return self.filter(geom__intersects=pieces[0])
        return self.filter(id__in=ids_intersecting(self.model, "geom", pieces, statuses))

    def _public_within(self, pieces: list[GEOSGeometry], statuses: Sequence[str]):
        """Inputs the public sees in the pieces: a home by its published point alone.

        Other input by its geometry, as staff's questions; homes only where their published
        point lies. One piece (a box, a small area): the homes drawn in it are looked up
        first, at once (through the small index of published homes, ~0.1 ms; usually none),
        and named by id. Left in the statement as an OR of both arms, PostgreSQL ORs two
        bitmaps and tests the published index's status key on every entry: a 1 000-input box
        at 10 M inputs took 85 ms against 49 ms (B3.api-1k, docs/benchmarks.md).
        """
        if len(pieces) > 1:
            return self.filter(
                id__in=ids_intersecting(self.model, "geom", pieces, statuses, public=True)
            )
        homes, params = homes_drawn_in(self.model, pieces)
        with connections[self.db].cursor() as cursor:
            cursor.execute(homes, params)
            drawn_here = [row[0] for row in cursor.fetchall()]
        others = Q(location_is_home=False, geom__intersects=pieces[0])
        return self.filter(others | Q(id__in=drawn_here) if drawn_here else others)

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
        return self.within_pieces([to_storage(box)])

    def in_channels(self, channels: Iterable[str]):
        return self.filter(channel__in=list(channels))

    def with_status(self, statuses: Iterable[str]):
        return self.filter(status__in=list(statuses))

    def of_shapes(self, kinds: Iterable[str]):
        """Inputs whose place is one of these kinds (``geometry.SHAPE_TYPES``; ``none``: no
        place), e.g. one kind per file for the single-layer export formats."""
        kinds = set(kinds)
        types = [t for kind, pg in SHAPE_TYPES.items() if kind in kinds for t in pg]
        wanted = Q(_shape__in=types) if types else Q(pk__in=[])
        if NO_SHAPE in kinds:
            wanted |= Q(geom__isnull=True)
        shape = models.Func(F("geom"), function="GeometryType", output_field=models.CharField())
        return self.alias(_shape=shape).filter(wanted)

    def in_processes(self, processes: Iterable):
        """Inputs to any of these processes (instances, ids, or a Process queryset)."""
        if not isinstance(processes, models.QuerySet):
            processes = list(processes)
        return self.filter(process__in=processes)

    def newest_first(self):
        """The stable order for paging: newest received first, id breaks ties."""
        return self.order_by("-received_at", "-id")

    def in_process(self, process):
        return self.filter(process=process)

    def since(self, when: dt.date | dt.datetime):
        """Inputs received on or after this local date (or at/after this datetime)."""
        return self.filter(on_or_after("received_at", when))

    def until(self, when: dt.date | dt.datetime):
        """Inputs received up to and including this local date (or up to this datetime)."""
        return self.filter(on_or_before("received_at", when))

    def with_outcome(self, outcomes: Iterable[str]):
        outcomes = list(outcomes)
        if "none" in outcomes:
            return self.filter(Q(response__outcome__in=outcomes) | Q(response__isnull=True))
        return self.filter(response__outcome__in=outcomes)

    def search(self, text: str):
        """Norwegian full-text search on the public text, with a trigram fallback for typos.

        The stemmer finds inflections ("sykkelveiene" -> "sykkelvei") through the stored
        tsvector and its GIN index. Only when the stemmed query matches no published input at
        all (a typo, or a compound the stemmer cannot split) is trigram word similarity added:
        it compares every candidate text and made each search ~7x slower (B7). Annotates
        ``rank``; full-text matches rank first.
        """
        query = SearchQuery(text, config="norwegian", search_type="websearch")
        if self.model.objects.published().filter(search_vector=query).exists():
            return self.annotate(rank=SearchRank(F("search_vector"), query)).filter(
                search_vector=query
            )
        return self.annotate(
            rank=SearchRank(F("search_vector"), query)
            + TrigramWordSimilarity(text, "public_text") * 0.1
        ).filter(Q(search_vector=query) | Q(public_text__trigram_word_similar=text))

    def with_reference(self, reference):
        """Keep the input with this reference (an ``inputbank.references.Reference``)."""
        return self.filter(reference_year=reference.year, reference_number=reference.number)

    def transformed(self, srid: int):
        """Annotate ``out_geom``: the geometry in another CRS, transformed in SQL."""
        return self.annotate(out_geom=Transform("geom", srid))

    def with_web_geojson(self, precision: int = 6):
        """Annotate ``geojson``: the geometry as RFC 7946 GeoJSON text (lon/lat), built in SQL."""
        return self.annotate(geojson=AsGeoJSON(Transform("geom", WEB_SRID), precision=precision))

    def with_public_counts(self):
        """Annotate ``support_count`` and ``comment_count`` (published comments only).

        Subqueries rather than joins, so a page of inputs costs one query and the counts never
        multiply each other.
        """
        from inputbank.models import Comment, Support

        supports = (
            Support.objects.filter(input=OuterRef("pk"))
            .order_by()
            .values("input")
            .annotate(n=Count("id"))
            .values("n")
        )
        comments = (
            Comment.objects.published()
            .filter(input=OuterRef("pk"))
            .order_by()
            .values("input")
            .annotate(n=Count("id"))
            .values("n")
        )
        return self.annotate(
            support_count=Coalesce(Subquery(supports), 0),
            comment_count=Coalesce(Subquery(comments), 0),
        )


class ProcessQuerySet(models.QuerySet):
    def open_on(self, day: dt.date):
        return self.filter(status="open", opens_on__lte=day).filter(
            Q(closes_on__isnull=True) | Q(closes_on__gte=day)
        )

    def overlapping(self, area: GEOSGeometry):
        return self.filter(area__intersects=to_storage(area))

    def overlapping_pieces(self, pieces: list[GEOSGeometry]):
        """Processes whose area intersects any of these storage-CRS pieces (from query_area)."""
        if len(pieces) == 1:
            return self.filter(area__intersects=pieces[0])
        # Few processes, many pieces: test each process against the pieces until one touches
        # (its area is then the repeated argument PostGIS prepares once).
        table = quoted_table(self.model)
        return self.filter(
            id__in=RawSQL(  # noqa: S611 - the table name is our own; the pieces a parameter
                f"SELECT p.id FROM {table} p WHERE EXISTS (SELECT 1 FROM "
                "ST_Dump(%s::geometry) AS piece WHERE ST_Intersects(p.area, piece.geom))",
                (pieces_param(pieces),),
            )
        )

    def upcoming_on(self, day: dt.date):
        """Processes not yet open: planned ones, or open ones whose start is still ahead."""
        return self.filter(Q(status="planned") | Q(status="open", opens_on__gt=day))

    def earlier_on(self, day: dt.date):
        """Processes that are over: closed, evaluated, or open past their closing date."""
        return self.filter(
            Q(status__in=["closed", "evaluated"]) | Q(status="open", closes_on__lt=day)
        )

    def with_area_geojson(self, precision: int = 6):
        """Annotate ``area_geojson``: the area as RFC 7946 GeoJSON text (lon/lat), built in SQL."""
        return self.annotate(
            area_geojson=AsGeoJSON(Transform("area", WEB_SRID), precision=precision)
        )

    def by_key(self, key: str | int):
        """Look a process up by numeric id or by slug (the API accepts either)."""
        text = str(key).strip()
        if text.isascii() and text.isdigit():
            # Beyond bigint no row can match; asking would be a database error.
            return self.filter(pk=int(text)) if len(text) <= 18 else self.none()
        return self.filter(slug=text)

    def by_keys(self, keys: Iterable[str | int]):
        """The processes named by any of these ids or slugs (the filters' ``process``)."""
        texts = [str(key).strip() for key in keys]
        ids = [int(t) for t in texts if t.isascii() and t.isdigit() and len(t) <= 18]
        slugs = [t for t in texts if not (t.isascii() and t.isdigit())]
        return self.filter(Q(pk__in=ids) | Q(slug__in=slugs))


class CommentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status="published")

    def pending(self):
        return self.filter(status="pending")

    def since(self, when: dt.date | dt.datetime):
        """Comments written on or after this local date (or at/after this datetime)."""
        return self.filter(on_or_after("created_at", when))

    def until(self, when: dt.date | dt.datetime):
        """Comments written up to and including this local date (or up to this datetime)."""
        return self.filter(on_or_before("created_at", when))

    def on_inputs(self, inputs):
        """Comments on these inputs (a queryset: one subquery)."""
        return self.filter(input__in=inputs)
