from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.postgres.fields import ArrayField
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from geo.crs import STORAGE_SRID
from inputbank.casenumbers import archive_url, format_case, plan_register_url
from inputbank.models.choices import Channel, LadderStep, ProcessStatus
from inputbank.models.querysets import ProcessQuerySet


class Process(models.Model):
    """A participation process (medvirkningsprosess): a hearing, a workshop series, a campaign."""

    # The acting user that django-simple-history records with the next save (set by services).
    _history_user: object

    slug = models.SlugField(_("short name in links"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    purpose = models.TextField(_("purpose"), blank=True)
    area = models.MultiPolygonField(_("area"), srid=STORAGE_SRID, null=True, blank=True)
    owner_department = models.CharField(_("owner department"), max_length=120, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("process owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_processes",
        help_text=_("The process owner who registers and answers the input"),
    )
    opens_on = models.DateField(_("opens"), null=True, blank=True)
    closes_on = models.DateField(_("closes"), null=True, blank=True)
    # Empty: the default (settings.INPUTBANK["RETENTION_DAYS_AFTER_CLOSE"]).
    retention_days = models.PositiveIntegerField(
        _("keep personal data (days after closing)"),
        null=True,
        blank=True,
        help_text=_("Empty: the municipality's default. Ask the archive before changing."),
    )
    ladder_step = models.CharField(
        _("participation ladder step"), max_length=20, choices=LadderStep.choices
    )
    channels = ArrayField(
        models.CharField(max_length=20, choices=Channel.choices),
        verbose_name=_("channels"),
        default=list,
        blank=True,
    )
    target_groups = ArrayField(
        models.CharField(max_length=80), verbose_name=_("target groups"), default=list, blank=True
    )
    # Noark 5 case number "2024/1234": stored as integers, formatted only for display.
    case_year = models.PositiveSmallIntegerField(_("case year"), null=True, blank=True)
    case_sequence = models.PositiveIntegerField(_("case sequence number"), null=True, blank=True)
    # NasjonalArealplanId = (kommunenummer, planidentifikasjon).
    plan_kommunenummer = models.CharField(_("municipality number"), max_length=4, blank=True)
    plan_identifier = models.CharField(_("plan identification"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ProcessStatus.choices, default=ProcessStatus.PLANNED
    )
    hours_used = models.DecimalField(
        _("hours used"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    cost_nok = models.DecimalField(
        _("cost (NOK)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    evaluation = models.TextField(_("evaluation notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = ProcessQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "slug"]
        verbose_name_plural = "processes"
        indexes = [models.Index(fields=["status", "opens_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(area__isnull=True) | Q(area__isvalid=True), name="process_area_valid"
            ),
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True)
                | Q(closes_on__isnull=True)
                | Q(closes_on__gte=F("opens_on")),
                name="process_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(case_year__isnull=True, case_sequence__isnull=True)
                | Q(case_year__gte=1900, case_year__lte=2999, case_sequence__gte=1)
                & Q(case_year__isnull=False, case_sequence__isnull=False),
                name="process_case_number_complete",
            ),
            models.CheckConstraint(
                condition=Q(plan_kommunenummer="", plan_identifier="")
                | (Q(plan_kommunenummer__regex=r"^\d{4}$") & ~Q(plan_identifier="")),
                name="process_plan_id_complete",
            ),
            models.CheckConstraint(
                condition=Q(hours_used__isnull=True) | Q(hours_used__gte=0),
                name="process_hours_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(cost_nok__isnull=True) | Q(cost_nok__gte=0),
                name="process_cost_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def case_number(self) -> str:
        return format_case(self.case_year, self.case_sequence)

    @property
    def case_url(self) -> str:
        """The case in the archive, when ARCHIVE_CASE_URL is set (inputbank.casenumbers)."""
        return archive_url(self.case_year, self.case_sequence)

    @property
    def plan_url(self) -> str:
        """The plan in the plan register, when PLAN_REGISTER_URL is set."""
        return plan_register_url(self.plan_kommunenummer, self.plan_identifier)

    @property
    def plan_id(self) -> str:
        if not self.plan_identifier:
            return ""
        return f"{self.plan_kommunenummer}-{self.plan_identifier}"
