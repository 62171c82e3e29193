"""The map page is rendered once for every anonymous resident (per language and cache
generation) and served from the shared answer cache with the visitor's own CSRF token, an ETag
and 304s; a new or edited process or theme, or a decision on input, makes the next page fresh."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from inputbank import cache
from inputbank.models import Theme
from maps.public.views.pagecache import CSRF_PLACEHOLDER
from tests.factories import make_process, make_theme

pytestmark = pytest.mark.django_db

HOME = "/"


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_the_second_anonymous_visit_is_served_from_the_cache(client):
    theme = make_theme("trafikk", name="Trafikk")
    assert "Trafikk" in client.get(HOME).content.decode()
    # Renamed behind the models' back (no signal, no refresh): the page still shows the old
    # name, so the second page came from the cache and not from a new rendering.
    Theme.objects.filter(pk=theme.pk).update(name="Omdøpt uten signal")
    again = client.get(HOME).content.decode()
    assert "Trafikk" in again and "Omdøpt uten signal" not in again
    cache.invalidate()  # what a publication's commit does
    assert "Omdøpt uten signal" in client.get(HOME).content.decode()


def test_each_visitor_gets_a_working_csrf_token_of_their_own():
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    pages = [first.get(HOME), second.get(HOME)]
    tokens = [_token(page.content.decode()) for page in pages]
    assert CSRF_PLACEHOLDER not in tokens[0] and CSRF_PLACEHOLDER not in tokens[1]
    assert all("csrftoken" in page.cookies for page in pages)
    assert pages[0].cookies["csrftoken"].value != pages[1].cookies["csrftoken"].value
    # The language form posts with the token from the cached page: accepted.
    answer = first.post(
        reverse("set_language"), {"language": "nn", "next": HOME, "csrfmiddlewaretoken": tokens[0]}
    )
    assert answer.status_code == 302


def test_a_browser_holding_the_page_gets_a_304(client):
    client.get(HOME)  # sets the CSRF cookie
    page = client.get(HOME)
    assert page.status_code == 200
    assert "private" in page["Cache-Control"] and "no-cache" in page["Cache-Control"]
    again = client.get(HOME, HTTP_IF_NONE_MATCH=page["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    # Another browser (another CSRF cookie) with that ETag gets the page with its own token.
    other = Client().get(HOME, HTTP_IF_NONE_MATCH=page["ETag"])
    assert other.status_code == 200


def test_each_language_has_its_own_page(client):
    norsk = client.get(HOME, HTTP_ACCEPT_LANGUAGE="nb").content.decode()
    english = client.get(HOME, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="nb"' in norsk
    assert 'lang="en"' in english


def test_staff_and_linked_views_are_rendered_each_time(client, case_officer):
    theme = make_theme("trafikk", name="Trafikk")
    client.get(HOME)
    Theme.objects.filter(pk=theme.pk).update(name="Ny")
    assert "Ny" in client.get(HOME + "?bbox=10.6,59.4,10.7,59.5").content.decode()
    client.force_login(case_officer)
    assert "Ny" in client.get(HOME).content.decode()


# Real commits (transactional tests): the refresh runs when the change commits.
@pytest.mark.django_db(transaction=True)
def test_a_new_process_or_theme_shows_at_once(client):
    client.get(HOME)
    make_process("havna", title="Havneplanen")
    assert "Havneplanen" in client.get(HOME).content.decode()
    make_theme("natur", name="Natur og friluft")
    assert "Natur og friluft" in client.get(HOME).content.decode()


def test_the_map_on_a_box_is_one_stored_page_with_each_visitors_box(client):
    theme = make_theme("trafikk", name="Trafikk")
    first = client.get(HOME, {"bbox": "10.65,59.43,10.66,59.44"}).content.decode()
    assert 'data-bbox="10.65,59.43,10.66,59.44"' in first
    # Renamed behind the models' back: another box still gets the stored page, with its box.
    Theme.objects.filter(pk=theme.pk).update(name="Omdøpt uten signal")
    other = client.get(HOME, {"bbox": "10.6,59.4,10.7,59.5"})
    html = other.content.decode()
    assert "Trafikk" in html and "Omdøpt uten signal" not in html
    assert 'data-bbox="10.6,59.4,10.7,59.5"' in html
    assert "placeholder" not in html
    # The dots the page preloads (and hands to its script, tests/maps/test_pages.py): this box's.
    preload = re.search(r'<link rel="preload" href="([^"]+)"', html).group(1)
    assert "bbox=10.6%2C59.4%2C10.7%2C59.5" in preload
    assert client.get(preload.replace("&amp;", "&")).status_code == 200


def test_each_box_has_its_own_etag(client):
    client.get(HOME)
    one = client.get(HOME, {"bbox": "10.65,59.43,10.66,59.44"})
    two = client.get(HOME, {"bbox": "10.6,59.4,10.7,59.5"})
    assert one["ETag"] != two["ETag"]
    again = client.get(HOME, {"bbox": "10.6,59.4,10.7,59.5"}, HTTP_IF_NONE_MATCH=one["ETag"])
    assert again.status_code == 200


def test_a_box_that_cannot_be_read_opens_the_map_on_all_of_moss(client):
    html = client.get(HOME, {"bbox": "<script>,1,2"}).content.decode()
    assert "data-bbox" not in html and "<script>,1,2" not in html
