"""The input itself: its fields, indexes and rules, its reference counter and attachments.

Its audit trail is in ``input_history``; what residents add to it (comments, support) in
``reactions``.
"""

import re
import uuid

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.gis.db.models.functions import Centroid
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, GistIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from geo.crs import STORAGE_SRID
from inputbank.casenumbers import archive_url, format_case
from inputbank.models.choices import Channel, LocationSource, ModerationStatus
from inputbank.models.input_history import INPUT_HISTORY
from inputbank.models.querysets import InputQuerySet
from inputbank.references import format_reference

GEOMETRY_TYPES = (
    "POINT",
    "LINESTRING",
    "POLYGON",
    "MULTIPOINT",
    "MULTILINESTRING",
    "MULTIPOLYGON",
)
# Full-text search runs on the *public* (redacted) text, so a search can never reveal what
# redaction removed. Norwegian stemming: "sykkelveiene" and "sykkelveien" share "sykkelvei".
SEARCH_CONFIG = "norwegian"
# A prefilled summary (sammendrag) is the text's first sentences, up to about this many letters.
SUMMARY_PREFILL_CHARS = 300
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def first_sentences(text: str, limit: int = SUMMARY_PREFILL_CHARS) -> str:
    """Return the first whole sentences of ``text`` that fit in ``limit`` letters.

    At least one sentence, cut at a word with "…" when even that is too long.
    """
    sentences = _SENTENCE_END.split(" ".join(text.split()))
    summary = sentences[0]
    for sentence in sentences[1:]:
        if len(summary) + 1 + len(sentence) > limit:
            break
        summary += " " + sentence
    if len(summary) > limit:
        summary = summary[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"
    return summary


class Input(models.Model):
    """One statement (innspill) from one contributor or group, with its place and themes."""

    # The acting user that django-simple-history records with the next save (set by services).
    _history_user: object
    # Set for a moment by services to keep simple-history from recording a version (only
    # annotated: simple-history asks hasattr()).
    skip_history_when_saving: bool

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The short reference "MOSS-2026-0142" (inputbank.references): year of receipt and number
    # within it. The database numbers each row as it is inserted (trigger, migration 0016), so
    # every path that inserts input gets one; 0 means "let the database number it", and a check
    # constraint makes sure it did. Never changes, also when received_at is corrected.
    reference_year = models.PositiveSmallIntegerField(db_default=0, editable=False)
    reference_number = models.PositiveIntegerField(db_default=0, editable=False)
    text = models.TextField(_("original text"))
    public_text = models.TextField(_("public text"), blank=True)
    # The officer's own short summary for the merknadsbehandling (sammendrag); blank until
    # written, and shown prefilled from the public text's first sentences (``summary_or_prefill``).
    summary = models.TextField(_("summary"), blank=True, default="", db_default="")
    geom = models.GeometryField(_("place"), srid=STORAGE_SRID, null=True, blank=True)
    location_source = models.CharField(
        _("location source"),
        max_length=12,
        choices=LocationSource.choices,
        default=LocationSource.DRAWN,
    )
    location_description = models.CharField(
        _("place description"),
        max_length=200,
        blank=True,
        help_text=_("Address, property (gnr/bnr) or place name"),
    )
    themes = models.ManyToManyField(
        "inputbank.Theme", verbose_name=_("themes"), related_name="inputs", blank=True
    )
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.WEB_MAP
    )
    language = models.CharField(
        _("language"), max_length=35, default="nb", help_text="BCP 47, e.g. nb, nn, ar"
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    process = models.ForeignKey(
        "inputbank.Process",
        verbose_name=_("process"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inputs",
    )
    # Noark 5 document reference "2024/1234-5", stored as integers.
    case_year = models.PositiveSmallIntegerField(_("case year"), null=True, blank=True)
    case_sequence = models.PositiveIntegerField(_("case sequence number"), null=True, blank=True)
    case_document = models.PositiveIntegerField(_("document number"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ModerationStatus.choices,
        default=ModerationStatus.PENDING,
    )
    rejection_reason = models.TextField(_("reason for rejecting"), blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    contributor = models.ForeignKey(
        "inputbank.Contributor",
        verbose_name=_("contributor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inputs",
    )
    # Children's raw locations (Barnetråkk) and other sensitive places are never public, not
    # even once published: public layers show them only aggregated (docs/domain.md).
    location_restricted = models.BooleanField(
        _("place never shown publicly"),
        default=False,
        help_text=_("The exact location must never be shown publicly"),
    )
    # The place is the contributor's home: the public sees it only generalised
    # (inputbank.location_privacy); staff see the exact place.
    location_is_home = models.BooleanField(
        _("the place is the contributor's home"),
        default=False,
        db_default=False,  # bulk imports and the demo insert rows in SQL without it
        help_text=_("Shown to the public only at about 50 m accuracy"),
    )
    source_group = models.CharField(
        _("group or organisation"),
        max_length=200,
        blank=True,
        help_text=_("An organisation, council or workshop group that gave the input"),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # A hash of the client's Idempotency-Key (POST /api/v1/inputs/): stored with the input, in
    # the same transaction, so a retry after a lost answer finds it and never stores a twin.
    idempotency_key = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )
    # The argument (standpunkt) this input makes; matched at submission, or placed by an
    # officer (``argument_pinned``: the machine never moves it again).
    argument = models.ForeignKey(
        "inputbank.Argument",
        verbose_name=_("argument"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="inputs",
    )
    argument_pinned = models.BooleanField(
        _("argument placed by a case officer"), default=False, db_default=False
    )
    # Why the machine put it there, in words a planner reads ("same theme, 35 m apart, ...").
    argument_reason = models.CharField(
        _("why in this argument"), max_length=300, blank=True, db_default=""
    )
    # The matcher's tokens of the wording, kept with their key (matching.text.token_key).
    match_tokens = ArrayField(models.TextField(), null=True, editable=False)
    match_key = models.UUIDField(null=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_vector = models.GeneratedField(
        expression=SearchVector("public_text", config=SEARCH_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    # The themes are recorded with each version (their own history table), so the change log
    # shows a theme change as it shows any other field.
    history = INPUT_HISTORY
    objects = InputQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [
            GinIndex(fields=["search_vector"], name="input_search_gin"),
            # Trigram index for typo-tolerant search and compound words the stemmer cannot split.
            GinIndex(
                fields=["public_text"], opclasses=["gin_trgm_ops"], name="input_public_text_trgm"
            ),
            models.Index(fields=["status", "received_at"], name="input_status_received"),
            # Public questions ("published input in this box or area") use this index alone.
            # With a geometry index only, PostgreSQL ANDs it with input_status_received for the
            # status, reading ~990 000 b-tree entries at M (~60-95 ms) to keep a few thousand
            # hits; a partial index does not stop that (the planner counts the status twice).
            # With status as a key (btree_gist) the condition is the index's own.
            GistIndex(
                fields=["status", "geom"],
                condition=Q(status="published"),
                name="input_published_geom",
            ),
            # Public questions find a home by its published point, a cell centre up to 36 m
            # away (inputbank.location_privacy): candidates around the area come from this
            # small index, not from every input there (InputQuerySet.within_pieces).
            GistIndex(
                fields=["status", "geom"],
                condition=Q(status="published", location_is_home=True),
                name="input_published_home_geom",
            ),
            # Matching a submission asks for the published and the pending inputs whose
            # centroids are nearest (reads.argument_statements, the regrouping's rule too).
            # Nearest by the geometry itself, the scan rechecked the exact distance of every
            # route and area whose box held the point: ~10 ms at M in the town centre, against
            # ~1 ms through these (docs/benchmarks.md, X2). Partial: pending input is ~8 % of
            # the bank, and a whole-table scan would wade through the others.
            GistIndex(
                Centroid("geom"), condition=Q(status="published"), name="input_published_centroid"
            ),
            GistIndex(
                Centroid("geom"), condition=Q(status="pending"), name="input_pending_centroid"
            ),
            # "Said here before: N voices" at submission counts an argument's published
            # inputs; through this index without reading the table: ~3 ms for the 33 000 of
            # the largest argument at M, where the argument index and the rows took ~33 ms.
            models.Index(
                fields=["argument"],
                condition=Q(status="published"),
                name="input_published_argument",
            ),
            models.Index(fields=["channel"], name="input_channel"),
            models.Index(fields=["language"], name="input_language"),
            models.Index(fields=["case_year", "case_sequence"], name="input_case"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["reference_year", "reference_number"], name="input_reference_unique"
            ),
            models.CheckConstraint(
                condition=Q(reference_year__gte=1900, reference_number__gte=1),
                name="input_reference_numbered",
            ),
            models.CheckConstraint(
                condition=Q(geom__isnull=True) | Q(geom__isvalid=True), name="input_geom_valid"
            ),
            models.CheckConstraint(
                condition=Q(geom__isnull=True) | Q(geom__geomtype__in=GEOMETRY_TYPES),
                name="input_geom_type",
            ),
            # "No location" is allowed, but it must be said, not left as a silent NULL.
            models.CheckConstraint(
                condition=Q(geom__isnull=True, location_source=LocationSource.NONE)
                | (Q(geom__isnull=False) & ~Q(location_source=LocationSource.NONE)),
                name="input_location_source_matches_geom",
            ),
            models.CheckConstraint(
                condition=Q(case_year__isnull=True, case_sequence__isnull=True)
                | Q(case_year__gte=1900, case_year__lte=2999, case_sequence__gte=1)
                & Q(case_year__isnull=False, case_sequence__isnull=False),
                name="input_case_number_complete",
            ),
            models.CheckConstraint(
                condition=Q(case_document__isnull=True) | Q(case_sequence__isnull=False),
                name="input_document_needs_case",
            ),
            models.CheckConstraint(
                condition=~Q(status=ModerationStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="input_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.public_id} ({self.get_status_display()})"

    @property
    def has_location(self) -> bool:
        return self.geom is not None

    @property
    def summary_or_prefill(self) -> str:
        """The officer's summary, or the public text's first sentences when none is written."""
        return self.summary or first_sentences(self.public_text)

    @property
    def reference(self) -> str:
        """The short human reference, e.g. "MOSS-2026-0142"."""
        return format_reference(self.reference_year, self.reference_number)

    @property
    def case_reference(self) -> str:
        return format_case(self.case_year, self.case_sequence, self.case_document)

    @property
    def case_url(self) -> str:
        """The document in the archive, when ARCHIVE_CASE_URL is set (inputbank.casenumbers)."""
        return archive_url(self.case_year, self.case_sequence, self.case_document)


class InputReferenceCounter(models.Model):
    """The last reference number given out per year (the trigger of migration 0016 counts here).

    One row per year, updated in the inserting transaction: concurrent submissions queue on
    the row for a moment and never share a number.
    """

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    # Stored under a random name: the uploader's file name is kept only as data, never as a path.
    return f"attachments/{instance.input.public_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    """A file attached to an input: a scanned letter (PDF) or a photo (EXIF stripped)."""

    input = models.ForeignKey(Input, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveIntegerField()
    public = models.BooleanField(
        default=False, help_text=_("Shown publicly once the input is published (photos)")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.original_name
