from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Argument(models.Model):
    """One concern about one place or topic (a standpunkt), across processes, years, languages.

    Inputs join it at submission (inputbank.services.arguments); officers confirm, merge,
    split and rename it, and those decisions win over the machine (``Input.argument_pinned``).
    """

    # The acting user that django-simple-history records with the next save (set by services).
    _history_user: object

    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("representative wording"), blank=True)
    themes = models.ManyToManyField(
        "inputbank.Theme", verbose_name=_("themes"), related_name="arguments", blank=True
    )
    confirmed = models.BooleanField(
        _("confirmed by a case officer"), default=False, db_default=False
    )
    # The title is an officer's (rename), not the machine's first wording: it may be shown to
    # everyone (a machine title may come from a not yet published input).
    titled_by_officer = models.BooleanField(
        _("title written by a case officer"), default=False, db_default=False
    )
    # The answer shown for the argument is in the column ``answer_id``, which only the
    # database writes (triggers, migration 0027) and reads.arguments.latest_answer reads: not
    # a field here, so that a save of a loaded Argument never writes back an older value.
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-updated_at", "-id"]
        # Shown on staff pages (the change log's kinds): "standpunkt" in bokmål and nynorsk.
        verbose_name = _("argument")
        verbose_name_plural = _("arguments")

    def __str__(self) -> str:
        return self.title


class ArgumentDecision(models.Model):
    """A case officer's decision about an argument, kept as it was made (never edited)."""

    class Kind(models.TextChoices):
        CONFIRM = "confirm", _("confirmed")
        RENAME = "rename", _("renamed")
        MERGE = "merge", _("merged")
        SPLIT = "split", _("split")
        ANSWER = "answer", _("answered")

    argument = models.ForeignKey(Argument, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)
    # What was decided, in plain data: the inputs moved, the argument merged in, the old title.
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-decided_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.argument_id}"


class ArgumentCheck(models.Model):
    """'Vi har hørt dette før — stemmer det fortsatt?': staff put an earlier argument before
    the residents of a new process, who confirm, disagree or add (ArgumentVoice)."""

    argument = models.ForeignKey(Argument, on_delete=models.CASCADE, related_name="checks")
    process = models.ForeignKey(
        "inputbank.Process", on_delete=models.CASCADE, related_name="argument_checks"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["argument", "process"], name="argument_check_once")
        ]

    def __str__(self) -> str:
        return f"{self.argument_id} @ {self.process_id}"


class ArgumentVoice(models.Model):
    """A resident's answer to "still true?": a dated voice on the argument.

    ``supporter_key`` is an opaque hash of the browser session or user (as for supports): one
    confirm-or-disagree per person and check (changing one's mind replaces it); an addition
    is a new input in the argument (``input``).
    """

    class Stance(models.TextChoices):
        CONFIRM = "confirm", _("still true")
        DISAGREE = "disagree", _("no longer true")
        ADD = "add", _("adds something")

    # Not "check": Model.check() is Django's system check.
    argument_check = models.ForeignKey(
        ArgumentCheck, on_delete=models.CASCADE, related_name="voices"
    )
    stance = models.CharField(max_length=10, choices=Stance.choices)
    supporter_key = models.CharField(max_length=64)
    input = models.ForeignKey(
        "inputbank.Input", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["argument_check", "supporter_key"],
                condition=~models.Q(stance="add"),
                name="argument_voice_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.stance} ({self.argument_check_id})"
