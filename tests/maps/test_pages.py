"""The map page, the give-input page, languages and the rules every public page keeps."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from inputbank.models import ProcessStatus
from tests.factories import make_process

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    ("maps:home", []),
    ("maps:give", []),
    ("maps:input_list", []),
    ("maps:process_list", []),
    ("maps:search", []),
    ("maps:accessibility", []),
    ("maps:privacy", []),
]


def test_home_lists_open_consultations_only(client, sentrum):
    make_process("ferdig", title="Ferdig plan", status=ProcessStatus.CLOSED)
    html = client.get(reverse("maps:home")).content.decode()
    assert "Sentrumsplan" in html
    assert "Ferdig plan" not in html


def test_home_gives_the_map_its_process_areas_as_lon_lat_data(client, sentrum):
    html = client.get(reverse("maps:home")).content.decode()
    data = re.search(r'<script id="process-data" type="application/json">(.*?)</script>', html)
    assert '"slug": "sentrum"' in data.group(1)
    assert '"type": "MultiPolygon"' in data.group(1)
    assert "[10.64, 59.42]" in data.group(1)


def test_home_leaves_loading_input_to_the_script(client, settings):
    settings.INPUTBANK = {**settings.INPUTBANK, "MAP_POINTS_MAX": 20_000, "MAX_PAGE_SIZE": 5000}
    html = client.get(reverse("maps:home")).content.decode()
    assert 'data-grid-url="/api/v1/inputs/grid/"' in html
    assert 'data-inputs-url="/api/v1/inputs/"' in html
    # Never more points per request than the API gives in one page.
    assert 'data-points-max="5000"' in html


def test_a_bbox_link_opens_the_map_on_that_part_of_moss(client):
    html = client.get(reverse("maps:home"), {"bbox": "10.65,59.43,10.67,59.44"}).content.decode()
    assert 'data-bbox="10.65,59.43,10.67,59.44"' in html


def test_a_bbox_link_preloads_the_dots_the_script_asks_for(client):
    html = client.get(reverse("maps:home"), {"bbox": "10.65,59.43,10.67,59.44"}).content.decode()
    url = re.search(r'<link rel="preload" href="([^"]+)" as="fetch" crossorigin>', html).group(1)
    assert f'data-first-points="{url}"' in html
    assert url.startswith("/api/v1/inputs/dots/?bbox=10.65%2C59.43%2C10.67%2C59.44&amp;")


@pytest.mark.parametrize("bbox", ["0,0,1,1", "10.67,59.43,10.65,59.44", "abc", "nan,1,2,3", ""])
def test_a_bbox_outside_moss_or_garbage_is_ignored(client, bbox):
    html = client.get(reverse("maps:home"), {"bbox": bbox}).content.decode()
    assert "data-bbox=" not in html
    assert 'rel="preload"' not in html


def test_a_search_result_link_centres_the_map(client):
    html = client.get(reverse("maps:home"), {"at": "10.6556,59.4332"}).content.decode()
    assert 'data-at="10.6556,59.4332"' in html


@pytest.mark.parametrize("at", ["0,0", "59.43,10.65", "abc", "nan,nan", "10.6"])
def test_a_place_outside_moss_or_garbage_is_ignored(client, at):
    html = client.get(reverse("maps:give"), {"at": at}).content.decode()
    assert "data-at=" not in html


def test_give_offers_open_processes_and_preselects_the_one_linked(client, sentrum):
    html = client.get(reverse("maps:give"), {"process": "sentrum"}).content.decode()
    assert '<option value="sentrum" selected>Sentrumsplan</option>' in html


def test_give_ignores_a_process_that_is_not_open(client, sentrum):
    today = timezone.localdate()
    make_process("lukket", status=ProcessStatus.CLOSED, closes_on=today)
    html = client.get(reverse("maps:give"), {"process": "lukket"}).content.decode()
    assert 'value="lukket"' not in html
    assert " selected>" not in html.split('id="process"', 1)[1].split("</select>", 1)[0]


def test_give_has_the_bot_trap_and_a_csrf_cookie(client):
    response = client.get(reverse("maps:give"))
    html = response.content.decode()
    assert 'name="website"' in html and 'tabindex="-1"' in html
    assert "csrftoken" in response.cookies


def test_give_defaults_the_feedback_language_to_the_interface_language(client):
    client.cookies["django_language"] = "uk"
    html = client.get(reverse("maps:give")).content.decode()
    select = html.split('id="feedback-language"', 1)[1].split("</select>", 1)[0]
    assert '<option value="uk" selected>' in select


def test_bokmal_is_the_default_language(client):
    html = client.get("/").content.decode()
    assert '<html lang="nb" dir="ltr">' in html
    assert "Gi innspill" in html


def test_arabic_is_right_to_left(client):
    client.cookies["django_language"] = "ar"
    html = client.get("/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "قدّم ملاحظة" in html


def test_choosing_a_language_is_remembered(client):
    response = client.post(reverse("set_language"), {"language": "pl", "next": "/processes/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "pl"
    html = client.get(reverse("maps:process_list")).content.decode()
    assert '<html lang="pl"' in html


def test_domain_words_are_translated_too(client, answered):
    client.cookies["django_language"] = "nn"
    html = client.get(reverse("maps:input_detail", args=[answered.public_id])).content.decode()
    assert "Teke til følgje" in html


@pytest.mark.parametrize(("name", "args"), PUBLIC_PAGES)
def test_pages_have_no_inline_scripts(client, sentrum, name, args):
    html = client.get(reverse(name, args=args)).content.decode()
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag


@pytest.mark.parametrize(("name", "args"), PUBLIC_PAGES)
def test_pages_send_the_strict_content_security_policy(client, name, args):
    csp = client.get(reverse(name, args=args))["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";", 1)[0]


def test_pages_never_load_from_a_cdn(client, sentrum, answered):
    urls = [reverse(n, args=a) for n, a in PUBLIC_PAGES]
    urls += [reverse("maps:process_detail", args=["sentrum"]), f"/inputs/{answered.public_id}/"]
    for url in urls:
        html = client.get(url).content.decode()
        assert not re.search(r'(src|href)="https?://(?!www\.uutilsynet)', html), url


def test_a_missing_page_is_a_friendly_404(client):
    response = client.get("/finnes-ikke/")
    assert response.status_code == 404
    assert "Fant ikke siden" in response.content.decode()


def test_post_to_a_page_is_refused(client):
    assert client.post(reverse("maps:home")).status_code == 405
