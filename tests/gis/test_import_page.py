"""The staff import page: who may use it, the dry-run report, importing, and cleaning up."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from playwright.sync_api import expect, sync_playwright

from inputbank import roles
from inputbank.models import Input
from tests.chromium import launch
from tests.factories import make_theme, make_user

URL = "/staff/import/"
BROKEN = Path(settings.BASE_DIR) / "fixtures" / "broken"
CSV = (
    "tekst;tema;kanal;dato;lon;lat\n"
    "Benker ved stranda;transport;workshop;2024-05-02;10.66;59.43\n"
    "Lekeplass;<script>alert(1)</script>;workshop;2024-05-02;10.66;59.43\n"
)


def upload(client, content: str = CSV, name: str = "notater.csv", **fields):
    data = {"file": SimpleUploadedFile(name, content.encode()), **fields}
    return client.post(URL, data)


def staged(tmp_path: Path) -> list[Path]:
    root = tmp_path / "staging"
    return list(root.iterdir()) if root.exists() else []


def test_anonymous_users_are_sent_to_log_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(settings.LOGIN_URL)


@pytest.mark.parametrize("role", [None, roles.MODERATORS, roles.PARTICIPATION_ADVISERS])
def test_users_without_the_role_are_refused(client, db, role):
    client.force_login(make_user("someone", *([role] if role else [])))
    assert client.get(URL).status_code == 403
    assert upload(client).status_code == 403


@pytest.mark.parametrize("role", [roles.CASE_OFFICERS, roles.GIS])
def test_case_officers_and_gis_see_the_form(client, db, role):
    client.force_login(make_user("someone", role))
    response = client.get(URL)
    assert response.status_code == 200
    assert b'enctype="multipart/form-data"' in response.content


def test_dry_run_reports_rows_escapes_them_and_stores_nothing(client, themes, gis_user):
    client.force_login(gis_user)
    response = upload(client)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Import 1 valid row" in html
    assert "<td>3</td><td>themes</td>" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert not Input.objects.exists()


def test_importing_the_valid_rows_stores_them_and_forgets_the_upload(
    client, themes, case_officer, tmp_path
):
    client.force_login(case_officer)
    response = upload(client, themes=["green-areas"], publish="on")
    token = response.context["token"]
    assert len(staged(tmp_path)) == 1
    done = client.post(f"{URL}{token}/import")
    assert done.status_code == 200
    assert "1 input was stored" in done.content.decode()
    item = Input.objects.get()
    assert item.registered_by == case_officer
    assert item.status == "published"
    assert {t.slug for t in item.themes.all()} == {"transport", "green-areas"}
    assert staged(tmp_path) == []
    assert client.post(f"{URL}{token}/import").status_code == 404


def test_another_user_cannot_import_someone_elses_upload(client, themes, case_officer, gis_user):
    client.force_login(case_officer)
    token = upload(client).context["token"]
    other = Client()
    other.force_login(gis_user)
    assert other.post(f"{URL}{token}/import").status_code == 404
    assert not Input.objects.exists()


def test_cancel_removes_the_upload(client, themes, case_officer, tmp_path):
    client.force_login(case_officer)
    token = upload(client).context["token"]
    response = client.post(f"{URL}{token}/cancel")
    assert response.status_code == 302
    assert staged(tmp_path) == []


def test_refused_file_shows_why_and_keeps_nothing(client, db, case_officer, tmp_path):
    client.force_login(case_officer)
    response = upload(client, content="<OGRVRTDataSource/>", name="x.vrt")
    assert "cannot be imported" in response.content.decode()
    assert "VRT" in response.content.decode()
    assert staged(tmp_path) == []


def test_bulk_registration_of_workshop_notes_from_xlsx(client, themes, case_officer):
    client.force_login(case_officer)
    content = (BROKEN / "inputs-broken.xlsx").read_bytes()
    response = client.post(
        URL,
        {"file": SimpleUploadedFile("verksted.xlsx", content), "channel": "workshop"},
    )
    html = response.content.decode()
    assert "Import 2 valid rows" in html
    assert "not placed on the map" in html


def test_a_bad_crs_is_a_form_error(client, db, case_officer):
    client.force_login(case_officer)
    response = upload(client, srid="EPSG:abc")
    assert response.status_code == 400
    assert "EPSG" in response.content.decode()


def test_oversized_upload_is_a_form_error(client, db, case_officer, settings):
    settings.IMPORTS = {**settings.IMPORTS, "MAX_UPLOAD_BYTES": 10}
    client.force_login(case_officer)
    assert upload(client).status_code == 400


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_officer_uploads_checks_and_imports_in_a_browser(live_server, tmp_path, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    make_theme("transport")
    officer = make_user("officer", roles.CASE_OFFICERS)
    session = Client()
    session.force_login(officer)
    cookie = session.cookies[settings.SESSION_COOKIE_NAME]
    upload_file = tmp_path / "notater.csv"
    upload_file.write_text(CSV, encoding="utf-8")
    from django.db import connections

    with sync_playwright() as p:
        browser = launch(p)
        context = browser.new_context()
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        page = context.new_page()
        page.goto(f"{live_server.url}{URL}")
        page.set_input_files("#id_file", str(upload_file))
        page.get_by_role("button", name="Check the file (dry run)").click()
        expect(page.get_by_role("heading", name="Import report (dry run)")).to_be_visible()
        expect(page.get_by_role("table")).to_contain_text("unknown theme")
        page.get_by_role("button", name="Import 1 valid row").click()
        expect(page.get_by_role("status")).to_contain_text("1 input was stored")
        browser.close()
    connections.close_all()
    assert Input.objects.get().text == "Benker ved stranda"
