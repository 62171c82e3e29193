import re

from django.db import models
from django.utils.translation import gettext_lazy as _

from inputbank.models.choices import SenderCategory

# Names that tell the kind of sender, for records where nobody said (the demo, old imports,
# input registered before the category existed). Checked in this order; the first hit wins.
_CATEGORY_BY_NAME = (
    (
        SenderCategory.STATE_REGIONAL,
        r"statsforvalter|fylkeskommun|vegvesen|\bnve\b|direktorat|kystverket|bane nor|"
        r"mattilsynet|riksantikvar|sametinget|forsvarsbygg|fiskeridir|avinor|nye veier",
    ),
    # Councils (eldrerådet, ungdomsrådet) and the municipality's own units.
    (SenderCategory.MUNICIPAL, r"kommune|rådet\b|utvalg|\bkommunal|barnehage|helsestasjon"),
    (SenderCategory.BUSINESS, r"\bas\b|\basa\b|\bans\b|handelsstand|næring|eiendom"),
)


# Words a spreadsheet may use for the category (bokmål, nynorsk, English), besides the codes.
_CATEGORY_WORDS = {
    SenderCategory.STATE_REGIONAL: ("statlig", "statleg", "regional", "myndighet", "state"),
    SenderCategory.MUNICIPAL: ("kommunal", "kommune", "municipal"),
    SenderCategory.ORGANISATION: ("organisasjon", "lag", "forening", "foreining", "organisation"),
    SenderCategory.BUSINESS: ("næring", "bedrift", "business"),
    SenderCategory.PRIVATE: ("privat", "private", "person"),
}


def parse_sender_category(text: str) -> str | None:
    """Return the category a cell names ("statlige og regionale myndigheter", "privat", a code)."""
    word = text.strip().lower()
    if word in SenderCategory.values:
        return word
    for category, stems in _CATEGORY_WORDS.items():
        if any(word.startswith(stem) for stem in stems):
            return category
    return None


def guess_sender_category(organisation: str) -> str:
    """Return the sender category a name suggests: private without a name, else a guess."""
    name = organisation.strip().lower()
    if not name:
        return SenderCategory.PRIVATE
    for category, pattern in _CATEGORY_BY_NAME:
        if re.search(pattern, name):
            return category
    return SenderCategory.ORGANISATION


class Contributor(models.Model):
    """Personal data of whoever gave input, kept apart from the input itself.

    Never joined into public querysets or serializers; only roles that need it see it. No
    history is kept of this table, so erasure leaves no copies behind (GDPR art. 17).
    """

    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    postal_address = models.TextField(_("postal address"), blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    # How a merknadsbehandling groups the sender; blank: not said (guessed from the name).
    sender_category = models.CharField(
        _("sender category"),
        max_length=20,
        choices=SenderCategory.choices,
        blank=True,
        default="",
        db_default="",  # the demo and imports insert rows in SQL without it
    )
    wants_feedback = models.BooleanField(_("wants feedback"), default=False)
    preferred_language = models.CharField(max_length=35, default="nb")
    consent_publish_name = models.BooleanField(_("consents to publishing the name"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    pseudonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["email"])]

    def __str__(self) -> str:
        return self.name or self.organisation or f"Contributor {self.pk}"

    @property
    def category(self) -> str:
        """The sender category as registered, else as the organisation's name suggests."""
        return self.sender_category or guess_sender_category(self.organisation)
