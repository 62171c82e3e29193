"""Area alerts through the real SMTP path: double opt-in, digests, one-click unsubscribe."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.utils import timezone

from inputbank import services
from inputbank.models import AreaAlert
from inputbank.services.alerts import (
    AlertRefused,
    alert_confirm,
    alert_digests_send,
    alert_subscribe,
    alert_unsubscribe,
)
from inputbank.services.privacy import area_alerts_erase, retention_apply
from tests.factories import MOSS_CENTRE, box, make_input, make_process, point

pytestmark = pytest.mark.django_db

FAR = point(10.77, 59.36)  # inside Moss, kilometres from the centre


@pytest.fixture(autouse=True)
def _fresh_counts():
    """The e-mail limits count in the shared cache: each test starts with none sent."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def subscribe(django_capture_on_commit_callbacks):
    def _subscribe(**extra):
        args = {"email": "ola@example.no", "point": MOSS_CENTRE, "radius_m": 500}
        with django_capture_on_commit_callbacks(execute=True):
            return alert_subscribe(**(args | extra))

    return _subscribe


def text(message) -> str:
    return message.get_body(("plain",)).get_content()


def link(message, kind: str) -> str:
    """The signed token of the confirm or stop link in an e-mail."""
    return re.search(rf"/alerts/{kind}/([^/\s]+)/", text(message)).group(1)


def confirmed(smtp_server, subscribe, **extra) -> AreaAlert:
    alert = subscribe(**extra)
    assert alert_confirm(signed=link(smtp_server.messages[-1], "confirm")) is not None
    return alert


def test_nothing_but_the_confirmation_is_sent_before_confirming(smtp_server, subscribe):
    subscribe(address_label="Dronningens gate 1")
    [message] = smtp_server.messages
    assert message["To"] == "ola@example.no"
    assert message["Subject"] == "Bekreft varselet ditt fra Moss kommune"
    assert "500 m rundt Dronningens gate 1" in text(message)
    assert link(message, "stop") in message["List-Unsubscribe"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    make_process("ny-plan")
    assert alert_digests_send(now=timezone.now() + dt.timedelta(days=8)).sent == []
    assert len(smtp_server.messages) == 1


def test_a_confirmed_alert_gets_one_digest_with_whats_new_in_its_area(smtp_server, subscribe):
    before = make_input("Gammelt svar i området.")
    services.response_record(input=before, outcome="noted", justification="Før.", decided_by=None)
    alert = confirmed(smtp_server, subscribe, frequency="day")
    inside = make_process("sentrum-nord", title="Sentrum nord")
    make_process("langt-unna", title="Langt unna", area=box(10.76, 59.35, 10.78, 59.37))
    near = make_input("Benk ved torget, takk.")
    services.response_record(
        input=near, outcome="adopted", justification="Benken kommer.", decided_by=None
    )
    far = make_input("Lys i lysløypa.", geom=FAR)
    services.response_record(input=far, outcome="adopted", justification="Ja.", decided_by=None)
    unanswered = make_input("Ubesvart ved torget.")

    assert alert_digests_send(now=timezone.now() + dt.timedelta(hours=12)).sent == []
    report = alert_digests_send(now=timezone.now() + dt.timedelta(days=1))
    assert report.sent == [alert.pk]
    digest = smtp_server.messages[-1]
    body = text(digest)
    assert "Sentrum nord" in body and f"/processes/{inside.slug}/" in body
    assert "Benk ved torget" in body and f"/inputs/{near.public_id}/" in body
    for absent in ("Langt unna", "Lys i lysløypa", "Gammelt svar", unanswered.public_text):
        assert absent not in body
    assert link(digest, "stop")
    # The same period is never sent twice.
    assert alert_digests_send(now=timezone.now() + dt.timedelta(days=1, minutes=5)).sent == []


def test_a_digest_goes_out_in_the_subscribers_language(smtp_server, subscribe):
    confirmed(smtp_server, subscribe, language="nn")
    make_process("hamna", title="Hamna")
    alert_digests_send(now=timezone.now() + dt.timedelta(days=7))
    digest = smtp_server.messages[-1]
    assert digest["Content-Language"] == "nn"
    assert "Nye høyringar" in text(digest)


def test_nothing_new_sends_nothing_and_a_failed_send_is_retried(smtp_server, subscribe):
    alert = confirmed(smtp_server, subscribe, frequency="day")
    yesterday = timezone.now() - dt.timedelta(days=1)
    AreaAlert.objects.filter(pk=alert.pk).update(confirmed_at=yesterday, covered_until=yesterday)
    assert alert_digests_send().empty == [alert.pk]
    make_process("ny")
    smtp_server.refuse = 1
    assert alert_digests_send(now=timezone.now() + dt.timedelta(days=2)).failed == [alert.pk]
    retried = alert_digests_send(now=timezone.now() + dt.timedelta(days=2, minutes=1))
    assert retried.sent == [alert.pk]


def test_unsubscribing_deletes_the_alert_and_no_more_mail_comes(smtp_server, subscribe):
    confirmed(smtp_server, subscribe)
    stop = link(smtp_server.messages[-1], "stop")
    assert alert_unsubscribe(signed=stop)
    assert not AreaAlert.objects.exists()
    make_process("ny")
    sent_before = len(smtp_server.messages)
    alert_digests_send(now=timezone.now() + dt.timedelta(days=30))
    assert len(smtp_server.messages) == sent_before
    assert not alert_unsubscribe(signed=stop)


def test_links_are_signed_per_purpose(smtp_server, subscribe):
    alert = subscribe()
    message = smtp_server.messages[-1]
    assert alert_confirm(signed=link(message, "stop")) is None
    assert not alert_unsubscribe(signed=link(message, "confirm"))
    assert not alert_unsubscribe(signed=alert.token)
    assert alert_confirm(signed=link(message, "confirm")[:-2] + "xx") is None


def test_unconfirmed_alerts_are_forgotten_after_a_week(smtp_server, subscribe):
    subscribe()
    assert alert_digests_send(now=timezone.now() + dt.timedelta(days=8)).forgotten == 1
    assert not AreaAlert.objects.exists()


def test_an_unsent_confirmation_is_sent_by_the_digest_job(smtp_server, subscribe):
    smtp_server.refuse = 1
    subscribe()
    assert smtp_server.messages == []
    assert alert_digests_send().confirmations == 1
    assert link(smtp_server.messages[-1], "confirm")


LINE = {"type": "LineString", "coordinates": [[10.65, 59.43], [10.66, 59.44]]}


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"email": "not-an-address"}, "email"),
        ({"point": None}, "area"),
        ({"point": (5.32, 60.39)}, "area"),  # Bergen: not in Moss
        ({"radius_m": 20}, "radius"),
        ({"radius_m": 50_000}, "radius"),
        ({"point": None, "area": LINE}, "area"),
        ({"frequency": "hourly"}, "frequency"),
    ],
)
def test_a_bad_subscription_is_refused_with_a_clear_reason(smtp_server, subscribe, extra, field):
    with pytest.raises(AlertRefused) as refused:
        subscribe(**extra)
    assert refused.value.field == field
    assert str(refused.value.message)
    assert not AreaAlert.objects.exists()
    assert smtp_server.messages == []


def test_a_drawn_area_is_stored_in_the_storage_crs(smtp_server, subscribe):
    area = {
        "type": "Polygon",
        "coordinates": [[[10.65, 59.43], [10.67, 59.43], [10.67, 59.44], [10.65, 59.43]]],
    }
    alert = subscribe(point=None, area=area)
    alert.refresh_from_db()
    assert alert.area.srid == 25832 and alert.radius_m is None


def test_erasure_for_an_email_deletes_its_alerts(smtp_server, subscribe):
    subscribe(email="Ola@Example.no")
    subscribe(email="kari@example.no")
    assert area_alerts_erase(email="ola@example.no") == 1
    assert list(AreaAlert.objects.values_list("email", flat=True)) == ["kari@example.no"]


def test_retention_leaves_alerts_alone(smtp_server, subscribe):
    confirmed(smtp_server, subscribe)
    retention_apply(today=timezone.localdate() + dt.timedelta(days=3650))
    assert AreaAlert.objects.count() == 1


def test_one_address_gets_few_confirmation_emails_whoever_asks(smtp_server, subscribe, settings):
    """Someone typing a victim's address again and again cannot flood the inbox."""
    settings.INPUTBANK = {**settings.INPUTBANK, "THROTTLE_ALERT_EMAILS": "2/day"}
    subscribe(email="kari@example.no")
    subscribe(email="Kari@Example.no ", radius_m=1000)  # the same inbox, written differently
    with pytest.raises(AlertRefused) as refused:
        subscribe(email="kari@example.no", radius_m=2000)
    assert refused.value.field == "email"
    assert "prøv igjen i morgen" in str(refused.value.message)
    assert len(smtp_server.messages) == 2
    assert AreaAlert.objects.count() == 2
    subscribe(email="ola@example.no")  # another address is not affected
    assert len(smtp_server.messages) == 3
