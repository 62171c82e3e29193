"""The manifest of ./scripts/backup and its checks in ./scripts/restore (plain Python + psycopg).

    backup_manifest.py write   <backup folder> <database url>
    backup_manifest.py verify  <backup folder>                  checksums of the files
    backup_manifest.py empty   <database url>                   exit 1 when it holds tables
    backup_manifest.py compare <backup folder> <database url>   row counts + canonical checksum

The canonical checksum is an md5 over every input's id, status, texts and geometry in id
order: equal after a restore means the inputs came back exactly, not only as many of them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
import tarfile
from pathlib import Path

import psycopg

FILES = ("db.dump", "media.tar")
CANONICAL_INPUTS = """
    SELECT md5(coalesce(string_agg(
        concat_ws('|', public_id, status, text, public_text, ST_AsEWKT(geom)),
        E'\\n' ORDER BY public_id), ''))
    FROM inputbank_input
"""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _tables(cur) -> list[str]:
    cur.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
        "AND tablename <> 'spatial_ref_sys' ORDER BY tablename"
    )
    return [row[0] for row in cur.fetchall()]


def database_facts(url: str) -> dict:
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        counts = {}
        for table in _tables(cur):
            cur.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cur.fetchone()[0]
        cur.execute(CANONICAL_INPUTS)
        canonical = cur.fetchone()[0]
        cur.execute("SELECT app, max(name) FROM django_migrations GROUP BY app ORDER BY app")
        migrations = dict(cur.fetchall())
        cur.execute("SELECT current_database(), current_setting('server_version')")
        name, version = cur.fetchone()
    return {
        "database": name,
        "server_version": version,
        "migrations": migrations,
        "rows": counts,
        "canonical_inputs_md5": canonical,
    }


def write(folder: Path, url: str) -> None:
    with tarfile.open(folder / "media.tar") as tar:
        media_files = sum(1 for member in tar.getmembers() if member.isfile())
    manifest = {
        "format": 1,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "files": {
            name: {"sha256": sha256(folder / name), "bytes": (folder / name).stat().st_size}
            for name in FILES
        },
        "media_files": media_files,
        **database_facts(url),
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    rows = manifest["rows"]
    print(f"backup: {sum(rows.values())} rows in {len(rows)} tables, {media_files} files")


def verify(folder: Path) -> None:
    manifest = json.loads((folder / "manifest.json").read_text())
    for name, expected in manifest["files"].items():
        actual = sha256(folder / name)
        if actual != expected["sha256"]:
            sys.exit(f"{name}: checksum differs from the manifest ({actual}); do not restore it")
    print("checksums match the manifest")


def empty(url: str) -> None:
    with psycopg.connect(url) as conn, conn.cursor() as cur:
        sys.exit(1 if _tables(cur) else 0)


def compare(folder: Path, url: str) -> None:
    manifest = json.loads((folder / "manifest.json").read_text())
    facts = database_facts(url)
    problems = [
        f"{table}: {rows} rows in the backup, {facts['rows'].get(table)} restored"
        for table, rows in manifest["rows"].items()
        if facts["rows"].get(table) != rows
    ]
    if facts["canonical_inputs_md5"] != manifest["canonical_inputs_md5"]:
        problems.append("the inputs differ from the backup (canonical checksum)")
    if problems:
        sys.exit("restore differs from the backup:\n  " + "\n  ".join(problems))
    total = sum(manifest["rows"].values())
    print(f"restored: {total} rows in {len(manifest['rows'])} tables match the manifest")


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "write":
        write(Path(args[0]), args[1])
    elif command == "verify":
        verify(Path(args[0]))
    elif command == "empty":
        empty(args[0])
    elif command == "compare":
        compare(Path(args[0]), args[1])
    else:
        sys.exit(__doc__)
