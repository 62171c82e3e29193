"""Area alerts: subscribe (double opt-in), confirm, unsubscribe, and the digest job.

* **Double opt-in.** ``alert_subscribe`` stores the subscription unconfirmed and sends one
  e-mail with a signed confirmation link; nothing else is ever sent to an unconfirmed address,
  and unconfirmed subscriptions are forgotten after CONFIRM_MAX_AGE. At most
  THROTTLE_ALERT_EMAILS confirmation e-mails go to one address, whoever asks (the view also
  limits subscriptions per client address).
* **One-click unsubscribe.** Every e-mail carries a signed link (and the RFC 8058
  ``List-Unsubscribe`` headers); using it deletes the subscription.
* **Signed links.** The stored token is a random secret; a link carries it signed with a salt
  per purpose, so a confirmation link cannot unsubscribe and a changed link fails.
* **Digests.** ``alert_digests_send`` (``manage.py send_alert_digests``, cron) sends each
  confirmed subscription at most one e-mail per period (day or week) with what is new over its
  area (``inputbank.reads.alerts``). A period is claimed with a conditional UPDATE before the
  e-mail goes out, so two runs never send it twice; a failed send gives the period back.
* **E-mail path.** The same as the feedback e-mail: Django's configured backend, the
  subscriber's language (``email_language``), links on SITE_URL, no personal data in logs.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from geo.validation import GeometryError
from inputbank import antibot
from inputbank.geometry import AREA, INPUT, admit_geometry
from inputbank.models import AlertFrequency, AreaAlert
from inputbank.reads.alerts import digest_items
from inputbank.services.feedback_email import email_language, site_link

log = logging.getLogger(__name__)

CONFIRM_SALT = "inputbank.alerts.confirm"
STOP_SALT = "inputbank.alerts.stop"
# A confirmation link works for a week; an unconfirmed subscription is then forgotten.
CONFIRM_MAX_AGE = dt.timedelta(days=7)
# One address may watch this many areas (and no more unconfirmed ones can be piled on it).
MAX_PER_EMAIL = 10
RADIUS_MIN_M = 50
PERIODS: dict[str, dt.timedelta] = {
    AlertFrequency.DAY: dt.timedelta(days=1),
    AlertFrequency.WEEK: dt.timedelta(days=7),
}
# A cron run a little early (07:00:02 after 07:00:05 yesterday) still counts as a day later.
PERIOD_SLACK = dt.timedelta(hours=1)


class AlertRefused(ValueError):
    """The subscription cannot be stored; ``field`` names the field, the message is for people."""

    def __init__(self, field: str, message):
        super().__init__(str(message))
        self.field = field
        self.message = message


def radius_max_m() -> int:
    return int(settings.INPUTBANK["MAX_BUFFER_M"])


def _alert_area(area, point, radius_m) -> MultiPolygon:
    """The subscription's area in the storage CRS: the drawn polygon, or a circle around a point.

    Both doors are the one admission policy (``inputbank.geometry``): a drawn area as a plan
    area (AREA: polygons inside Moss), an address point as an input's place (INPUT).
    """
    bad_area = _(
        "We could not use this area. Draw a closed shape inside Moss, or choose an address "
        "and a distance."
    )
    if area is not None:
        try:
            geom = admit_geometry(area, purpose=AREA, where="area").geom
        except GeometryError as error:
            raise AlertRefused("area", bad_area) from error
    elif point is not None:
        if radius_m is None or not RADIUS_MIN_M <= radius_m <= radius_max_m():
            raise AlertRefused(
                "radius",
                _("Choose a distance between %(min)s and %(max)s metres.")
                % {"min": RADIUS_MIN_M, "max": radius_max_m()},
            )
        try:
            centre = admit_geometry(
                {"type": "Point", "coordinates": list(point)}, purpose=INPUT, where="address"
            ).geom
        except GeometryError as error:
            raise AlertRefused("area", bad_area) from error
        # Metres: the storage CRS is metric. 16 segments a quarter: round to a metre or two.
        geom = centre.buffer(radius_m, quadsegs=16)
    else:
        raise AlertRefused("area", _("Draw an area on the map, or choose an address."))
    if isinstance(geom, Polygon):
        geom = MultiPolygon(geom, srid=geom.srid)
    if not isinstance(geom, MultiPolygon):  # admission gives polygons; a guard for the type
        raise AlertRefused("area", bad_area)
    return geom


@transaction.atomic
def alert_subscribe(
    *,
    email: str,
    language: str = "nb",
    frequency: str = AlertFrequency.WEEK,
    area: dict | None = None,
    point: tuple[float, float] | None = None,
    radius_m: int | None = None,
    address_label: str = "",
) -> AreaAlert:
    """Store an unconfirmed subscription and send the confirmation e-mail after commit.

    ``area`` is a GeoJSON polygon (lon/lat); or ``point`` (lon, lat) with ``radius_m``.
    Raises AlertRefused with a message for the page.
    """
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError as error:
        raise AlertRefused("email", _("Write an e-mail address like name@example.no.")) from error
    if frequency not in AlertFrequency.values:
        raise AlertRefused("frequency", _("Choose how often you want e-mail."))
    geom = _alert_area(area, point, radius_m)
    if AreaAlert.objects.filter(email__iexact=email).count() >= MAX_PER_EMAIL:
        raise AlertRefused(
            "email",
            _("This e-mail address already follows %(count)s areas. Stop one before adding more.")
            % {"count": MAX_PER_EMAIL},
        )
    if not antibot.allow_mail_to(
        email, purpose="alert-confirm", rate=settings.INPUTBANK["THROTTLE_ALERT_EMAILS"]
    ):
        raise AlertRefused(
            "email",
            _(
                "We have already sent several confirmation e-mails to this address. Look for "
                "them in your inbox (and spam folder), or try again tomorrow."
            ),
        )
    alert = AreaAlert.objects.create(
        email=email,
        area=geom,
        address_label=address_label.strip()[:200] if point is not None else "",
        radius_m=radius_m if point is not None else None,
        language=email_language(language),
        frequency=frequency,
        token=secrets.token_urlsafe(32),
    )
    transaction.on_commit(lambda: alert_send_confirmation(alert=alert))
    return alert


def _link(alert: AreaAlert, salt: str, view: str) -> str:
    return site_link(reverse(view, args=[signing.dumps(alert.token, salt=salt)]))


def confirm_link(alert: AreaAlert) -> str:
    return _link(alert, CONFIRM_SALT, "maps:alert_confirm")


def stop_link(alert: AreaAlert) -> str:
    return _link(alert, STOP_SALT, "maps:alert_stop")


def _alert_from(signed: str, salt: str, max_age: dt.timedelta | None) -> AreaAlert | None:
    try:
        token = signing.loads(signed, salt=salt, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(token, str):
        return None
    return AreaAlert.objects.filter(token=token).first()


def alert_for_confirmation(signed: str) -> AreaAlert | None:
    """The subscription a confirmation link names, or None (forged, expired, gone)."""
    return _alert_from(signed, CONFIRM_SALT, CONFIRM_MAX_AGE)


def alert_for_stopping(signed: str) -> AreaAlert | None:
    """The subscription an unsubscribe link names, or None (forged or already stopped)."""
    return _alert_from(signed, STOP_SALT, None)


@transaction.atomic
def alert_confirm(*, signed: str) -> AreaAlert | None:
    """Confirm the subscription (idempotent); its first digest covers what happens from now."""
    alert = alert_for_confirmation(signed)
    if alert is None:
        return None
    if alert.confirmed_at is None:
        now = timezone.now()
        AreaAlert.objects.filter(pk=alert.pk, confirmed_at__isnull=True).update(
            confirmed_at=now, covered_until=now
        )
        alert.refresh_from_db()
    return alert


@transaction.atomic
def alert_unsubscribe(*, signed: str) -> bool:
    """Delete the subscription the link names; False when there was none (already stopped)."""
    alert = alert_for_stopping(signed)
    if alert is None:
        return False
    alert.delete()
    return True


# --- e-mail -----------------------------------------------------------------------------------


def _message(alert: AreaAlert, kind: str, context: dict) -> EmailMultiAlternatives:
    lang = email_language(alert.language)
    stop = stop_link(alert)
    context = context | {
        "lang": lang,
        "alert": alert,
        "stop_url": stop,
        "site_url": settings.INPUTBANK.get("SITE_URL", ""),
    }
    with translation.override(lang):
        subject = render_to_string(f"inputbank/email/alert_{kind}_subject.txt", context)
        text = render_to_string(f"inputbank/email/alert_{kind}_body.txt", context)
        html = render_to_string(f"inputbank/email/alert_{kind}_body.html", context)
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2] or "localhost"
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:200],
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[alert.email],
        headers={
            "Message-ID": f"<alert-{kind}-{secrets.token_hex(8)}@{domain}>",
            "Auto-Submitted": "auto-generated",
            "Content-Language": lang,
            # One click in the mail client (RFC 8058); the link in the text does the same.
            "List-Unsubscribe": f"<{stop}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def alert_send_confirmation(*, alert: AreaAlert, connection=None) -> bool:
    """Send the confirmation e-mail (the only e-mail before confirmation); True when sent.

    A failure is logged and left for the digest job, which sends what is still unsent.
    """
    message = _message(alert, "confirm", {"confirm_url": confirm_link(alert)})
    try:
        message.connection = connection or get_connection(fail_silently=False)
        message.send(fail_silently=False)
    except Exception as error:  # noqa: BLE001 - retried by the digest job
        log.warning("alert %s: confirmation not sent: %s", alert.pk, type(error).__name__)
        return False
    AreaAlert.objects.filter(pk=alert.pk).update(confirmation_sent_at=timezone.now())
    return True


@dataclass
class DigestReport:
    """What one run of the digest job did, by subscription id."""

    sent: list[int] = field(default_factory=list)
    empty: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    confirmations: int = 0
    forgotten: int = 0


def _claim(alert: AreaAlert, since: dt.datetime, until: dt.datetime) -> bool:
    with transaction.atomic():
        return bool(
            AreaAlert.objects.filter(pk=alert.pk, covered_until=since).update(covered_until=until)
        )


def alert_digests_send(*, now: dt.datetime | None = None, connection=None) -> DigestReport:
    """Send every digest that is due; retry unsent confirmations; forget stale unconfirmed ones.

    Must not run inside an outer transaction (each claim is committed before its e-mail).
    """
    now = now or timezone.now()
    report = DigestReport()
    stale = AreaAlert.objects.filter(
        confirmed_at__isnull=True, created_at__lt=now - CONFIRM_MAX_AGE
    )
    report.forgotten = stale.delete()[0]
    connection = connection or get_connection(fail_silently=False)
    unsent = AreaAlert.objects.filter(confirmed_at__isnull=True, confirmation_sent_at__isnull=True)
    for alert in unsent.order_by("id"):
        report.confirmations += alert_send_confirmation(alert=alert, connection=connection)
    for alert in AreaAlert.objects.filter(confirmed_at__isnull=False).order_by("id"):
        since = alert.covered_until or alert.confirmed_at
        if since is None or now - since < PERIODS[alert.frequency] - PERIOD_SLACK:
            continue
        if not _claim(alert, since, now):
            continue  # another run took this period
        items = digest_items(alert.area, since, now)
        if not items:
            report.empty.append(alert.pk)  # nothing new: no e-mail, the period is done
            continue
        context = {"items": items, "since": since, "until": now}
        try:
            message = _message(alert, "digest", context)
            message.connection = connection
            message.send(fail_silently=False)
        except Exception as error:  # noqa: BLE001 - the period is given back and retried
            log.warning("alert %s: digest not sent: %s", alert.pk, type(error).__name__)
            AreaAlert.objects.filter(pk=alert.pk, covered_until=now).update(covered_until=since)
            report.failed.append(alert.pk)
            continue
        report.sent.append(alert.pk)
    return report
