"""The moderation queue: order, highlighted redactions, publish/edit/reject, audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from inputbank.models import Comment, Input
from tests.factories import make_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def mod_client(client, moderator):
    client.force_login(moderator)
    return client


def test_queue_lists_the_oldest_input_first(mod_client):
    newer = make_input("Nyere innspill", published=False)
    older = make_input("Eldre innspill", published=False)
    Input.objects.filter(pk=older.pk).update(received_at=timezone.now() - dt.timedelta(days=3))
    page = mod_client.get(reverse("staff:moderation")).content.decode()
    assert page.index("Eldre innspill") < page.index(newer.text)


def test_queue_shows_only_pending_input(mod_client):
    make_input("Allerede publisert", published=True)
    make_input("Venter", published=False)
    page = mod_client.get(reverse("staff:moderation")).content.decode()
    assert "Venter" in page
    assert "Allerede publisert" not in page


def test_personal_data_is_highlighted_in_the_original(mod_client):
    make_input("Ring 912 34 567 eller skriv til ola@example.no", published=False)
    page = mod_client.get(reverse("staff:moderation")).content.decode()
    assert '<mark class="redact" title="phone number">912 34 567</mark>' in page
    assert '<mark class="redact" title="e-mail address">ola@example.no</mark>' in page


def test_highlighting_escapes_markup_in_the_text(mod_client):
    make_input("<script>alert(1)</script> 912 34 567", published=False)
    page = mod_client.get(reverse("staff:moderation")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_publishing_with_an_edited_text_redacts_it_again(mod_client, moderator):
    item = make_input("Hei, ring 912 34 567", published=False)
    mod_client.post(
        reverse("staff:moderate_input", kwargs={"public_id": item.public_id}),
        {"action": "publish", "public_text": "Forslag om benk. Kontakt meg på 99887766."},
    )
    item.refresh_from_db()
    assert item.status == "published"
    assert item.public_text == "Forslag om benk. Kontakt meg på [telefonnummer fjernet]."
    assert item.moderated_by == moderator


def test_rejecting_needs_a_reason(mod_client):
    item = make_input("Tull", published=False)
    mod_client.post(
        reverse("staff:moderate_input", kwargs={"public_id": item.public_id}),
        {"action": "reject", "reason": ""},
    )
    item.refresh_from_db()
    assert item.status == "pending"


def test_rejecting_keeps_the_reason(mod_client):
    item = make_input("Tull", published=False)
    mod_client.post(
        reverse("staff:moderate_input", kwargs={"public_id": item.public_id}),
        {"action": "reject", "reason": "Sjikane"},
    )
    item.refresh_from_db()
    assert (item.status, item.rejection_reason) == ("rejected", "Sjikane")


def test_moderation_is_in_the_audit_trail(mod_client, moderator):
    item = make_input("Benk", published=False)
    mod_client.post(
        reverse("staff:moderate_input", kwargs={"public_id": item.public_id}),
        {"action": "publish", "public_text": "Benk"},
    )
    last = item.history.order_by("-history_date").first()
    assert (last.status, last.history_user) == ("published", moderator)


def test_a_pending_comment_is_published_with_its_text_redacted(mod_client, moderator):
    item = make_input("Benk")
    comment = Comment.objects.create(input=item, text="Enig! ola@example.no", public_text="x")
    mod_client.post(
        reverse("staff:moderate_comment", kwargs={"pk": comment.pk}),
        {"action": "publish", "public_text": "Enig! ola@example.no"},
    )
    comment.refresh_from_db()
    assert comment.status == "published"
    assert comment.public_text == "Enig! [e-post fjernet]"
    assert comment.history.order_by("-history_date").first().history_user == moderator


def test_a_comment_can_be_rejected(mod_client):
    comment = Comment.objects.create(input=make_input("Benk"), text="Reklame")
    mod_client.post(
        reverse("staff:moderate_comment", kwargs={"pk": comment.pk}),
        {"action": "reject", "reason": "Reklame"},
    )
    comment.refresh_from_db()
    assert comment.status == "rejected"


def test_comments_are_queued_oldest_first(mod_client):
    item = make_input("Benk")
    first = Comment.objects.create(input=item, text="Første kommentar")
    Comment.objects.create(input=item, text="Andre kommentar")
    Comment.objects.filter(pk=first.pk).update(created_at=timezone.now() - dt.timedelta(days=1))
    page = mod_client.get(reverse("staff:moderation")).content.decode()
    assert page.index("Første kommentar") < page.index("Andre kommentar")


def test_next_cannot_redirect_off_site(mod_client):
    item = make_input("Benk", published=False)
    response = mod_client.post(
        reverse("staff:moderate_input", kwargs={"public_id": item.public_id}),
        {"action": "publish", "public_text": "Benk", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("staff:moderation")
