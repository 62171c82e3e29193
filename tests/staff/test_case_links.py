"""Case numbers and plan ids link to the archive and the plan register when configured."""

import pytest
from django.urls import reverse

from inputbank.casenumbers import archive_url, plan_register_url
from tests.factories import make_process

pytestmark = pytest.mark.django_db
ARCHIVE = "https://elements.example.no/sak/{year}/{sequence}?dok={document}&q={case}"
PLANS = "https://www.arealplaner.no/{kommunenummer}/arealplaner/{planid}"


@pytest.fixture
def officer_client(client, case_officer):
    client.force_login(case_officer)
    return client


@pytest.fixture
def links(settings):
    settings.INPUTBANK = {
        **settings.INPUTBANK,
        "ARCHIVE_CASE_URL": ARCHIVE,
        "PLAN_REGISTER_URL": PLANS,
    }


def test_a_case_and_a_document_fill_the_archive_template(links):
    assert archive_url(2024, 1234) == (
        "https://elements.example.no/sak/2024/1234?dok=&q=2024%2F1234"
    )
    assert archive_url(2024, 1234, 5).endswith("?dok=5&q=2024%2F1234-5")


def test_no_template_or_no_number_gives_no_link(settings, links):
    assert archive_url(None, None) == ""
    assert plan_register_url("3103", "") == ""
    settings.INPUTBANK = {**settings.INPUTBANK, "ARCHIVE_CASE_URL": "", "PLAN_REGISTER_URL": ""}
    assert archive_url(2024, 1234) == ""
    assert plan_register_url("3103", "2021003") == ""


def test_the_process_page_links_case_number_and_plan_id(links, officer_client):
    process = make_process(
        "sentrum",
        title="Sentrumsplan",
        case_year=2024,
        case_sequence=88,
        plan_kommunenummer="3103",
        plan_identifier="2021003",
    )
    page = officer_client.get(reverse("staff:process_detail", args=[process.pk])).content
    assert b'href="https://elements.example.no/sak/2024/88?dok=&amp;q=2024%2F88"' in page
    assert b'href="https://www.arealplaner.no/3103/arealplaner/2021003"' in page
