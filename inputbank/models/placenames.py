"""Place names from Kartverket's place-name register (Sentralt stedsnavnregister, "Stedsnavn")."""

from __future__ import annotations

from django.contrib.gis.db import models
from django.contrib.gis.db.models.functions import Transform
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _

from geo.crs import STORAGE_SRID, WEB_SRID


class PlaceNameQuerySet(models.QuerySet):
    def matching(self, text: str):
        """Names containing every word typed (trigram index), the exact name first, then names
        that start with the text, then the rest by name: "kambo" finds Kambo before Kambo
        stasjon, "jeløy" finds Jeløy and "Jeløy kirke"."""
        text = (text or "").strip().lower()
        words = text.split()
        if not words:
            return self.none()
        found = self
        for word in words:
            found = found.filter(search_text__contains=word)
        return found.annotate(
            rank=Case(
                When(name__iexact=text, then=Value(0)),
                When(name__istartswith=text, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        ).order_by("rank", "name", "stedsnummer")

    def resembling(self, text: str):
        """Names similar to a mistyped text ("Larkolen"), closest first."""
        text = (text or "").strip().lower()
        if len(text) < 3:
            return self.none()
        return (
            self.annotate(similarity=TrigramWordSimilarity(text, "search_text"))
            .filter(search_text__trigram_word_similar=text)
            .order_by("-similarity", "name", "stedsnummer")
        )

    def with_lonlat(self):
        """Annotate ``lonlat``: the point in lon/lat for the web, transformed in SQL."""
        return self.annotate(lonlat=Transform("geom", WEB_SRID))


class PlaceName(models.Model):
    """A named place (island, village, sound, quarter ...) from Kartverket's register.

    Filled only by ``manage.py import_placenames`` from the register's GML or GeoJSON, offline;
    never edited here. The place search offers these beside addresses and properties.
    """

    # Kartverket's number of the place; re-imports update rows in place by it.
    stedsnummer = models.PositiveBigIntegerField(unique=True)
    name = models.CharField(_("name"), max_length=200)
    # The register's navneobjekttype in its own words ("øy", "tettsted", "sund").
    name_type = models.CharField(_("kind of place"), max_length=80, blank=True)
    kommunenummer = models.CharField(max_length=4, blank=True)
    # Lower-cased main name and other spellings ("jeløy jeløya"): what search matches.
    search_text = models.CharField(max_length=600, editable=False)
    # The register's position of the place (the first point of a multi-point name).
    geom = models.PointField(srid=STORAGE_SRID)
    imported_at = models.DateTimeField(auto_now=True)

    objects = PlaceNameQuerySet.as_manager()

    class Meta:
        ordering = ["name", "stedsnummer"]
        indexes = [
            GinIndex(
                fields=["search_text"], opclasses=["gin_trgm_ops"], name="placename_search_trgm"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.name} ({self.name_type})" if self.name_type else self.name
