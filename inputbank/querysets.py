"""Reads with domain names: ``Input.objects.published().about(theme).within(area).since(d)``.

Geometry arguments are GEOS geometries with an SRID; PostGIS transforms them to the storage
CRS once per query (they are parameters, not per-row expressions).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.gis.db.models.functions import Transform
from django.contrib.gis.geos import GEOSGeometry
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import models
from django.db.models import F, Q

from geo.crs import STORAGE_SRID
from inputbank import roles

# How similar a word must be for the typo fallback (pg_trgm word_similarity, 0..1).
TRIGRAM_THRESHOLD = 0.5


def to_storage(geom: GEOSGeometry) -> GEOSGeometry:
    """Return the geometry in the storage CRS (a single small geometry; large sets use SQL)."""
    if geom.srid is None:
        raise ValueError("geometry has no SRID")
    if geom.srid == STORAGE_SRID:
        return geom
    return geom.transform(STORAGE_SRID, clone=True)


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

        Exact intersection (not bbox overlap), using the GiST index.
        """
        area = to_storage(area)
        if buffer_m:
            area = area.buffer(buffer_m)
        return self.filter(geom__intersects=area)

    def in_process(self, process):
        return self.filter(process=process)

    def since(self, when: dt.date | dt.datetime):
        return self.filter(received_at__gte=when)

    def until(self, when: dt.date | dt.datetime):
        """Inputs received up to and including this date (or before this datetime)."""
        if isinstance(when, dt.datetime):
            return self.filter(received_at__lte=when)
        return self.filter(received_at__date__lte=when)

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


class CommentQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status="published")

    def pending(self):
        return self.filter(status="pending")
