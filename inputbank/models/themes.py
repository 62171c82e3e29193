from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from inputbank.models.querysets import ThemeQuerySet


class Theme(models.Model):
    """A node in the small, administrator-edited theme taxonomy. Name is translatable."""

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent theme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    slug = models.SlugField(_("short name in links"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    colour = models.CharField(_("colour"), max_length=7, default="#1f6f8b", help_text="#rrggbb")
    icon = models.CharField(
        _("icon"), max_length=40, blank=True, help_text=_("Icon name from the map sprite")
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=100)
    active = models.BooleanField(_("in use"), default=True)

    history = HistoricalRecords()
    objects = ThemeQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(colour__regex=r"^#[0-9a-fA-F]{6}$"), name="theme_colour_hex"
            ),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")), name="theme_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name
