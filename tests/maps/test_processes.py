"""Process pages: what a consultation is, its compiled input, and the map others can embed."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from inputbank.models import LadderStep, ProcessStatus
from tests.factories import box, make_input, make_process

pytestmark = pytest.mark.django_db


def html_of(response):
    assert response.status_code == 200
    return response.content.decode()


def test_the_list_groups_open_upcoming_and_earlier(english, sentrum):
    today = timezone.localdate()
    make_process(
        "kommende",
        title="Kommende plan",
        status=ProcessStatus.PLANNED,
        opens_on=today + dt.timedelta(days=30),
        closes_on=today + dt.timedelta(days=80),
    )
    make_process(
        "gammel",
        title="Gammel plan",
        status=ProcessStatus.CLOSED,
        opens_on=dt.date(2021, 1, 1),
        closes_on=dt.date(2021, 3, 1),
    )
    html = html_of(english.get(reverse("maps:process_list")))
    open_now, rest = html.split("Coming", 1)
    coming, earlier = rest.split("Earlier", 1)
    assert "Sentrumsplan" in open_now
    assert "Kommende plan" in coming
    assert "Gammel plan" in earlier


def test_the_page_shows_purpose_dates_and_ladder_step(english, sentrum):
    html = html_of(english.get(reverse("maps:process_detail", args=["sentrum"])))
    assert "Et levende sentrum." in html
    assert sentrum.closes_on.strftime("%Y") in html
    assert '<li aria-current="step">Dialogue</li>' in html
    assert "talks with residents" in html


def test_an_open_process_invites_input_to_it(english, sentrum):
    html = html_of(english.get(reverse("maps:process_detail", args=["sentrum"])))
    assert 'href="/give/?process=sentrum"' in html


def test_a_closed_process_says_so_and_offers_general_input(english):
    make_process(
        "lukket",
        status=ProcessStatus.CLOSED,
        opens_on=dt.date(2021, 1, 1),
        closes_on=dt.date(2021, 3, 1),
    )
    html = html_of(english.get(reverse("maps:process_detail", args=["lukket"])))
    assert "This consultation is closed" in html
    assert "?process=lukket" not in html


def test_compiled_input_comes_with_answers_and_counts(english, answered, pending):
    make_input("Ubesvart om torget", process=answered.process)
    html = html_of(english.get(reverse("maps:process_detail", args=["sentrum"])))
    assert "Published inputs: 2." in html
    assert "Adopted: 1." in html
    assert "Not answered yet: 1." in html
    assert "Sykkelveien er tatt inn i planen." in html
    assert "Hemmelig ventende innspill" not in html


def test_the_embed_snippet_points_at_the_embeddable_map(english, sentrum):
    html = html_of(english.get(reverse("maps:process_detail", args=["sentrum"])))
    assert "&lt;iframe src=&quot;http://testserver/processes/sentrum/embed/&quot;" in html


def test_the_embeddable_map_may_be_framed_by_other_sites(client, sentrum):
    response = client.get(reverse("maps:process_embed", args=["sentrum"]))
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]


def test_other_pages_may_not_be_framed(client, sentrum):
    response = client.get(reverse("maps:process_detail", args=["sentrum"]))
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_the_map_script_draws_the_area_and_input_but_no_text(client, answered, pending):
    response = client.get(reverse("maps:process_map_js", args=["sentrum"]))
    assert response["Content-Type"].startswith("text/javascript")
    script = response.content.decode()
    assert "var map_process" in script
    assert "10.64, 59.42" in script  # a corner of the process area, lon/lat
    assert "[10.658, 59.434]" in script  # the published input
    assert "#b03a2e" in script  # coloured by its theme
    assert "sykkelvei" not in script.lower()
    assert "Hemmelig" not in script


def test_the_page_and_its_script_agree_on_the_map_element(client, sentrum):
    html = html_of(client.get(reverse("maps:process_detail", args=["sentrum"])))
    script = client.get(reverse("maps:process_map_js", args=["sentrum"])).content.decode()
    element_id = f"map_process{sentrum.pk}_1"
    assert f'id="{element_id}"' in html
    assert f'L.map(\n                "{element_id}"' in script


def test_a_process_without_area_still_gets_a_map_of_moss(client):
    make_process("uten-omrade", area=None)
    response = client.get(reverse("maps:process_map_js", args=["uten-omrade"]))
    assert "fitBounds" in response.content.decode()


def test_an_unknown_process_is_not_found(client):
    assert client.get(reverse("maps:process_detail", args=["nope"])).status_code == 404
    assert client.get(reverse("maps:process_map_js", args=["nope"])).status_code == 404


def test_process_titles_are_escaped(client):
    make_process(
        "x",
        title="<script>alert(1)</script>",
        area=box(10.64, 59.42, 10.68, 59.45),
        ladder_step=LadderStep.INFORMATION,
    )
    html = html_of(client.get(reverse("maps:process_detail", args=["x"])))
    assert "<script>alert(1)" not in html


def test_a_quote_in_the_title_cannot_break_out_of_the_snippet(client):
    make_process("sitat", title='Plan "Nord" <b>')
    html = html_of(client.get(reverse("maps:process_detail", args=["sitat"])))
    # Shown as text; once copied, the title attribute is still one escaped value.
    assert "title=&quot;Plan &amp;quot;Nord&amp;quot; &amp;lt;b&amp;gt;&quot;" in html
