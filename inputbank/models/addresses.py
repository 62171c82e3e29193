from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GinIndex
from django.utils.translation import gettext_lazy as _

from geo.crs import STORAGE_SRID
from inputbank.models.address_querysets import AddressQuerySet


class Address(models.Model):
    """One official address from Kartverket's register (Matrikkelen – Adresse), imported offline.

    It lets residents find a place by street address or property (gnr/bnr) without the map and
    without any network call. Filled only by ``manage.py import_addresses``; never edited here.
    """

    # Kartverket's identity of the address object; re-imports update rows in place by it.
    lokal_id = models.CharField(max_length=64, unique=True)
    kommunenummer = models.CharField(max_length=4)
    adressenavn = models.CharField(_("street name"), max_length=200)
    nummer = models.PositiveIntegerField(null=True, blank=True)
    bokstav = models.CharField(max_length=4, blank=True)
    gardsnummer = models.PositiveIntegerField(null=True, blank=True)
    bruksnummer = models.PositiveIntegerField(null=True, blank=True)
    festenummer = models.PositiveIntegerField(null=True, blank=True)
    adressetekst = models.CharField(_("address"), max_length=255)
    postnummer = models.CharField(max_length=4, blank=True)
    poststed = models.CharField(max_length=80, blank=True)
    # Lower-cased "adressetekst postnummer poststed", filled by the importer: what search matches.
    search_text = models.CharField(max_length=400, editable=False)
    geom = models.PointField(srid=STORAGE_SRID)
    imported_at = models.DateTimeField(auto_now=True)

    objects = AddressQuerySet.as_manager()

    class Meta:
        ordering = ["adressenavn", "nummer", "bokstav", "id"]
        verbose_name_plural = "addresses"
        indexes = [
            GinIndex(
                fields=["search_text"], opclasses=["gin_trgm_ops"], name="address_search_trgm"
            ),
            models.Index(
                fields=["kommunenummer", "gardsnummer", "bruksnummer"], name="address_property"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        # The register writes post towns in capitals ("MOSS"); people write "Moss".
        place = f"{self.postnummer} {self.poststed.title()}".strip()
        return f"{self.adressetekst}, {place}" if place else self.adressetekst

    @property
    def property_id(self) -> str:
        """The property as it is written: "1/234" (gnr/bnr, with /fnr when there is one)."""
        if self.gardsnummer is None or self.bruksnummer is None:
            return ""
        text = f"{self.gardsnummer}/{self.bruksnummer}"
        return f"{text}/{self.festenummer}" if self.festenummer else text
