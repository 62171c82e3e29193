"""The backup drill: ./scripts/backup, then ./scripts/restore into a fresh database and an empty
media folder; rows, inputs and attachment files come back exactly."""

import json
import os
import subprocess

import pytest
from django.core.files.base import ContentFile
from django.db import connection

from inputbank.models import Attachment
from tests.factories import make_input, point
from tests.ops.servers import ROOT, app_database_url

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

FRESH_DB = "test_innspillsbank_restore_drill"


def _run(script: str, *args: str, media, database_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "MEDIA_ROOT": str(media)}
    return subprocess.run(
        [str(ROOT / "scripts" / script), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture
def fresh_database():
    """An empty database on the same server, made from template0 like a new server's."""
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{FRESH_DB}"')
        cursor.execute(f'CREATE DATABASE "{FRESH_DB}" TEMPLATE template0')
    yield app_database_url(FRESH_DB)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{FRESH_DB}" WITH (FORCE)')


def test_backup_restores_into_a_fresh_database_and_media_folder(tmp_path, settings, fresh_database):
    settings.MEDIA_ROOT = tmp_path / "media"
    letter = make_input("Brev om Storgata", geom=point(10.66, 59.43))
    make_input("Uten sted", no_location=True, published=False)
    attachment = Attachment.objects.create(
        input=letter,
        file=ContentFile(b"%PDF-1.4 scanned letter", name="brev.pdf"),
        original_name="brev.pdf",
        content_type="application/pdf",
        size_bytes=23,
    )

    backup = _run("backup", str(tmp_path / "backups"), media=settings.MEDIA_ROOT,
                  database_url=app_database_url())  # fmt: skip
    assert backup.returncode == 0, backup.stderr
    folder = tmp_path / "backups" / backup.stdout.strip().splitlines()[-1].rsplit("/", 1)[-1]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["rows"]["inputbank_input"] == 2
    assert manifest["media_files"] == 1

    restored_media = tmp_path / "restored-media"
    restore = _run("restore", str(folder), media=restored_media, database_url=fresh_database)
    assert restore.returncode == 0, restore.stderr + restore.stdout
    assert "match the manifest" in restore.stdout
    assert (restored_media / attachment.file.name).read_bytes() == b"%PDF-1.4 scanned letter"


def test_a_damaged_backup_is_not_restored(tmp_path, settings, fresh_database):
    settings.MEDIA_ROOT = tmp_path / "media"
    make_input()
    backup = _run("backup", str(tmp_path / "b"), media=settings.MEDIA_ROOT,
                  database_url=app_database_url())  # fmt: skip
    folder = tmp_path / "b" / backup.stdout.strip().splitlines()[-1].rsplit("/", 1)[-1]
    with (folder / "db.dump").open("ab") as dump:
        dump.write(b"bitrot")
    restore = _run("restore", str(folder), media=tmp_path / "m2", database_url=fresh_database)
    assert restore.returncode != 0
    assert "checksum differs" in restore.stderr


def test_restore_refuses_a_database_in_use(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    make_input()
    backup = _run("backup", str(tmp_path / "b"), media=settings.MEDIA_ROOT,
                  database_url=app_database_url())  # fmt: skip
    folder = tmp_path / "b" / backup.stdout.strip().splitlines()[-1].rsplit("/", 1)[-1]
    restore = _run("restore", str(folder), media=tmp_path / "m2", database_url=app_database_url())
    assert restore.returncode != 0
    assert "already holds tables" in restore.stderr
