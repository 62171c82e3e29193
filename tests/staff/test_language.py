"""The workspace speaks each officer's own language (bokmål, nynorsk or English), not the
browser's, and writes numbers, money and dates the Norwegian way."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import formats, translation

from inputbank import roles
from inputbank.models import StaffProfile
from tests.factories import make_process, make_user

pytestmark = pytest.mark.django_db

NBSP = "\xa0"


def officer(language):
    return make_user("officer", roles.CASE_OFFICERS, language=language)


def test_an_officer_without_a_choice_reads_bokmal_whatever_the_browser_says(client):
    client.force_login(officer(None))
    page = client.get(reverse("staff:dashboard"), HTTP_ACCEPT_LANGUAGE="en-GB,en")
    text = page.content.decode()
    assert "Saksbehandlers arbeidsflate" in text
    assert "Case officer workspace" not in text
    assert page["Content-Language"] == "nb"


def test_an_officer_who_chose_nynorsk_reads_nynorsk(client):
    client.force_login(officer("nn"))
    text = client.get(reverse("staff:process_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Medverknadsprosessar" in text
    assert "Ikkje svart" in text
    # The site's language switch would not apply here: the menu links to the officer's own.
    assert 'class="language-form"' not in text
    assert 'href="/staff/language/"' in text


def test_the_language_page_saves_the_choice_and_the_next_page_speaks_it(client):
    user = officer(None)
    client.force_login(user)
    form = client.get(reverse("staff:language")).content.decode()
    assert "Språket på arbeidsflaten" in form
    response = client.post(reverse("staff:language"), {"language": "nn"}, follow=True)
    assert StaffProfile.objects.get(user=user).language == "nn"
    assert "Arbeidsflata brukar no språket du valde." in response.content.decode()
    client.post(reverse("staff:language"), {"language": "en"})
    assert "Case officer workspace" in client.get(reverse("staff:dashboard")).content.decode()


def test_an_unknown_language_is_refused(client):
    user = officer(None)
    client.force_login(user)
    response = client.post(reverse("staff:language"), {"language": "de"})
    assert response.status_code == 200
    assert not StaffProfile.objects.filter(user=user).exists()


def test_resident_pages_still_follow_the_browser(client):
    client.force_login(officer("nn"))
    text = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en"' in text


def test_hours_and_kroner_are_written_the_norwegian_way(client):
    process = make_process(hours_used=Decimal("2270.0"), cost_nok=Decimal("96000.00"))
    client.force_login(officer("nb"))
    text = client.get(reverse("staff:process_detail", args=[process.pk])).content.decode()
    assert f"2{NBSP}270 timer, 96{NBSP}000 kr" in text
    assert "2270,0" not in text and "NOK" not in text


def test_nynorsk_counts_hours_in_nynorsk(client):
    process = make_process(hours_used=Decimal("1"), cost_nok=Decimal("1500.5"))
    client.force_login(officer("nn"))
    text = client.get(reverse("staff:process_detail", args=[process.pk])).content.decode()
    assert f"1 time, 1{NBSP}500 kr" in text or f"1 time, 1{NBSP}501 kr" in text


def test_years_and_ids_in_forms_are_never_grouped(client):
    make_process(opens_on=dt.date(2024, 3, 1), closes_on=dt.date(2024, 5, 1))
    client.force_login(officer("nb"))
    text = client.get(reverse("staff:indicators"), {"year": "2024"}).content.decode()
    assert "<h2>2024" in text
    assert "<td>2024</td>" in text
    assert f"2{NBSP}024" not in text


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_django_formats_for_norwegian_are_the_ones_casework_uses(language):
    # No FORMAT_MODULE_PATH of our own: Django's nb and nn formats are right; this holds them.
    with translation.override(language):
        assert formats.get_format("THOUSAND_SEPARATOR") == NBSP
        assert formats.get_format("DECIMAL_SEPARATOR") == ","
        assert formats.get_format("SHORT_DATE_FORMAT") == "d.m.Y"
        assert formats.number_format(2270) == f"2{NBSP}270"
        assert formats.number_format(Decimal("1234.5"), 1) == f"1{NBSP}234,5"


def test_the_import_report_names_row_problems_in_the_officers_language(client):
    client.force_login(officer("nn"))
    csv = "tekst;kanal;lon;lat\n;brev;10.66;59.43\nBenk her;brevdue;10.66;59.43\n"
    response = client.post(
        "/staff/import/", {"file": SimpleUploadedFile("notat.csv", csv.encode()), "srid": "4326"}
    )
    text = response.content.decode()
    assert "Importrapport (prøvekøyring)" in text
    assert "Las 2 rader: 0 gyldige, 2 med feil." in text
    assert "teksten er tom" in text
    assert "ukjend kanal &#x27;brevdue&#x27;" in text


def test_csv_hours_and_costs_read_as_numbers_in_a_norwegian_spreadsheet(client):
    make_process(
        opens_on=dt.date(2024, 3, 1),
        closes_on=dt.date(2024, 5, 1),
        hours_used=Decimal("2270.5"),
        cost_nok=Decimal("96000.00"),
    )
    client.force_login(officer("nb"))
    body = client.get(reverse("staff:indicators_csv"), {"year": "2024"}).content.decode("utf-8-sig")
    assert body.splitlines()[0] == "År;Enhet;Indikator;Kategori;Verdi"
    assert ";Timer brukt;;2270,5" in body
    assert ";Kostnad (kr);;96000" in body
