"""Published input as a list and as a page: only what the public may see, escaped."""

import pytest
from django.urls import reverse

from inputbank import services
from inputbank.models import Contributor, Input
from inputbank.services import ContributorData
from tests.factories import make_input, make_theme

pytestmark = pytest.mark.django_db


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_shows_published_input_with_its_answer(client, answered):
    html = page(client, reverse("maps:input_list"))
    assert "Trygg sykkelvei langs kanalen, takk." in html
    assert "Tatt til følge" in html  # the outcome, in bokmål by default


def test_pending_and_rejected_input_is_not_listed(client, answered, pending):
    rejected = make_input("Avvist innspill om kanalen", published=False)
    services.input_reject(input=rejected, moderator=None, reason="off topic")
    html = page(client, reverse("maps:input_list"))
    assert "Hemmelig ventende innspill" not in html
    assert "Avvist innspill" not in html


def test_location_restricted_input_is_not_listed(client, answered):
    child = make_input("Skoleveien min er skummel")
    Input.objects.filter(pk=child.pk).update(location_restricted=True)
    assert "Skoleveien min" not in page(client, reverse("maps:input_list"))


def test_the_theme_filter_includes_sub_themes(client, transport):
    cycling = make_theme("sykkel", parent=transport, name="Sykkel")
    make_input("Sykkelparkering ved stasjonen", themes=(cycling,))
    make_input("Mer grøntareal i parken", themes=(make_theme("gront"),))
    html = page(client, reverse("maps:input_list"), theme="transport")
    assert "Sykkelparkering ved stasjonen" in html
    assert "Mer grøntareal" not in html


def test_the_word_filter_finds_inflected_forms(client, answered):
    make_input("Benker i parken")
    html = page(client, reverse("maps:input_list"), q="sykkelveiene")
    assert "Trygg sykkelvei" in html
    assert "Benker i parken" not in html


def test_the_answer_filter_finds_unanswered_input(client, answered):
    make_input("Ubesvart innspill om torget")
    html = page(client, reverse("maps:input_list"), outcome="none")
    assert "Ubesvart innspill" in html
    assert "Trygg sykkelvei" not in html


def test_unknown_filter_values_are_ignored_not_errors(client, answered):
    html = page(client, reverse("maps:input_list"), theme="<script>", outcome="x", page="abc")
    assert "Trygg sykkelvei" in html
    assert "<script>" not in html.split("</header>", 1)[1].split("<footer", 1)[0]


def test_an_unknown_process_filter_finds_nothing(client, answered):
    assert "Trygg sykkelvei" not in page(client, reverse("maps:input_list"), process="nope")


def test_the_list_is_paged(client):
    for i in range(23):
        make_input(f"Innspill nummer {i}")
    first = page(client, reverse("maps:input_list"))
    second = page(client, reverse("maps:input_list"), page=2)
    assert first.count('class="card"') == 20
    assert second.count('class="card"') == 3


def test_the_input_page_shows_text_answer_and_decision(client, answered):
    html = page(client, reverse("maps:input_detail", args=[answered.public_id]))
    assert "Trygg sykkelvei langs kanalen, takk." in html
    assert "Sykkelveien er tatt inn i planen." in html
    assert "PS 45/24" in html
    assert str(answered.public_id) in html


@pytest.mark.parametrize("state", ["pending", "rejected", "restricted"])
def test_input_the_public_may_not_see_is_not_found(client, state):
    item = make_input("Ikke for alle", published=state == "restricted")
    if state == "rejected":
        services.input_reject(input=item, moderator=None, reason="personal data")
    if state == "restricted":
        Input.objects.filter(pk=item.pk).update(location_restricted=True)
    response = client.get(reverse("maps:input_detail", args=[item.public_id]))
    assert response.status_code == 404
    assert "Ikke for alle" not in response.content.decode()


def test_contact_details_never_reach_the_page(client):
    contributor = ContributorData(
        name="Kari Nordmann", email="kari@example.no", phone="+47 912 34 567", wants_feedback=True
    )
    item = make_input("Bedre belysning i Kongens gate", contributor=contributor)
    Input.objects.filter(pk=item.pk).update(location_description="Kongens gate 12")
    html = page(client, reverse("maps:input_detail", args=[item.public_id]))
    for secret in ("Kari Nordmann", "kari@example.no", "912 34 567", "Kongens gate 12"):
        assert secret not in html
    assert "Kongens gate 12" not in page(client, reverse("maps:input_list"))


def test_the_name_is_shown_when_the_contributor_consented(client):
    contributor = ContributorData(name="Ola Nordmann", consent_publish_name=True)
    item = make_input("Flere benker ved stranden", contributor=contributor)
    assert Contributor.objects.filter(consent_publish_name=True).exists()
    assert "Ola Nordmann" in page(client, reverse("maps:input_detail", args=[item.public_id]))


def test_only_published_comments_are_shown(client, answered):
    answered.comments.create(text="Enig!", public_text="Enig!", status="published")
    answered.comments.create(text="Ventende kommentar", public_text="Ventende kommentar")
    html = page(client, reverse("maps:input_detail", args=[answered.public_id]))
    assert "Enig!" in html
    assert "Ventende kommentar" not in html


def test_user_text_is_escaped_everywhere(client, transport):
    evil = '<img src=x onerror="alert(1)"><script>alert(2)</script>'
    theme = make_theme("evil", name=evil)
    item = make_input(evil, themes=(theme,))
    for url in (reverse("maps:input_list"), reverse("maps:input_detail", args=[item.public_id])):
        html = page(client, url)
        assert "<script>alert(2)" not in html
        assert '<img src=x onerror="alert(1)">' not in html
        assert "&lt;script&gt;alert(2)&lt;/script&gt;" in html


def test_the_geometry_reaches_the_page_as_lon_lat_data(client, answered):
    html = page(client, reverse("maps:input_detail", args=[answered.public_id]))
    assert '<script id="input-geometry" type="application/json">' in html
    assert '"coordinates": [10.658, 59.434]' in html


def test_the_list_can_show_the_part_of_the_map_it_came_from(client):
    from tests.factories import point

    make_input("Innspill i sentrum", geom=point(10.658, 59.434))
    make_input("Innspill i Rygge", geom=point(10.72, 59.38))
    html = page(client, reverse("maps:input_list"), bbox="10.65,59.43,10.67,59.44")
    assert "Innspill i sentrum" in html
    assert "Innspill i Rygge" not in html
    assert 'name="bbox" value="10.65,59.43,10.67,59.44"' in html


@pytest.mark.parametrize("bbox", ["1,2,3", "a,b,c,d", "10.7,59.4,10.6,59.5", "nan,1,2,3"])
def test_a_broken_map_area_shows_everything(client, answered, bbox):
    assert "Trygg sykkelvei" in page(client, reverse("maps:input_list"), bbox=bbox)
