"""Load the demo: themes and role users and processes (ORM, a handful), then input (COPY),
then its arguments.

The input rows themselves are generated in ``inputbank.demo.inputs``; for a demo of up to
GROUP_LIMIT inputs the arguments are formed after the load in ``inputbank.demo.grouping``
(the product's matching rule, in one pass), in a larger bank (the benchmark's) each input is
written in its argument (``inputbank.demo.placed``: grouping ten million would take hours).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from contextlib import nullcontext

from django.contrib.auth.models import Group, User
from django.contrib.gis.geos import GEOSGeometry
from django.db import connection, transaction

from geo.crs import STORAGE_SRID
from inputbank import roles
from inputbank.demo.grouping import group_demo_inputs
from inputbank.demo.inputs import (
    BULK_INDEX_THRESHOLD,
    DEFAULT_SEED,
    DemoProcess,
    InputCounts,
    generate_inputs,
)
from inputbank.demo.places import FIXTURES, moss_boundary, process_area
from inputbank.models import (
    Argument,
    Attachment,
    Comment,
    Contributor,
    Input,
    Process,
    Response,
    Support,
    Theme,
    input_themes_history,
)
from inputbank.models.tables import quoted_table

__all__ = ["DEFAULT_SEED", "InputCounts", "load_demo"]

LANGS = ("nb", "nn", "en", "ar", "pl", "uk")
# Up to this many inputs the loader forms the arguments itself (5 000: a few seconds).
GROUP_LIMIT = 20_000
# Demo log-ins (demo data only; printed by load_demo).
DEMO_USERS = [
    ("admin", "demo-admin", None),
    ("saksbehandler", "demo-saksbehandler", roles.CASE_OFFICERS),
    ("moderator", "demo-moderator", roles.MODERATORS),
    ("gis", "demo-gis", roles.GIS),
    ("radgiver", "demo-radgiver", roles.PARTICIPATION_ADVISERS),
]


def load_themes() -> dict[str, Theme]:
    """Create missing themes from fixtures/themes.json (existing ones are left as edited)."""
    data = json.loads((FIXTURES / "themes.json").read_text(encoding="utf-8"))
    themes: dict[str, Theme] = {t.slug: t for t in Theme.objects.all()}
    for order, spec in enumerate(data["themes"]):
        if spec["slug"] in themes:
            continue
        names = {f"name_{lang}": spec["name"].get(lang, "") or None for lang in LANGS}
        themes[spec["slug"]] = Theme.objects.create(
            slug=spec["slug"],
            parent=themes.get(spec.get("parent")),
            colour=spec["colour"],
            icon=spec.get("icon", ""),
            sort_order=order * 10,
            name=spec["name"]["nb"],
            **names,
        )
    return themes


def load_users() -> list[tuple[str, str, str]]:
    """Create one demo user per role (and an admin); return (username, password, role)."""
    out = []
    for username, password, role in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"is_staff": True, "is_superuser": role is None}
        )
        if created:
            user.set_password(password)
            user.save()
        if role:
            user.groups.add(Group.objects.get_or_create(name=role)[0])
        out.append((username, password, role or "superuser"))
    for role in roles.ALL_ROLES:
        Group.objects.get_or_create(name=role)
    return out


# ---- processes -----------------------------------------------------------------------------
def _date(value, today: dt.date) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dict):
        return today + dt.timedelta(days=value["days_from_today"])
    return dt.date.fromisoformat(value)


def load_processes(today: dt.date, boundary) -> list[DemoProcess]:
    data = json.loads((FIXTURES / "demo" / "processes.json").read_text(encoding="utf-8"))
    owner = User.objects.filter(username="saksbehandler").first()
    out = []
    for spec in data["processes"]:
        area = process_area(spec["area"], boundary)
        translated = {}
        for field in ("title", "description", "purpose"):
            for lang in LANGS:
                translated[f"{field}_{lang}"] = spec[field].get(lang) or None
        process, _ = Process.objects.update_or_create(
            slug=spec["slug"],
            defaults={
                "title": spec["title"]["nb"],
                "description": spec["description"]["nb"],
                "purpose": spec["purpose"]["nb"],
                **translated,
                "area": GEOSGeometry(memoryview(area.wkb), srid=STORAGE_SRID),
                "owner_department": spec["owner_department"],
                "owner": owner,
                "opens_on": _date(spec["opens_on"], today),
                "closes_on": _date(spec["closes_on"], today),
                "ladder_step": spec["ladder_step"],
                "channels": spec["channels"],
                "target_groups": spec["target_groups"],
                "case_year": spec["case"][0] if spec["case"] else None,
                "case_sequence": spec["case"][1] if spec["case"] else None,
                "plan_kommunenummer": spec["plan"][0] if spec["plan"] else "",
                "plan_identifier": spec["plan"][1] if spec["plan"] else "",
                "status": spec["status"],
                "hours_used": spec["hours_used"],
                "cost_nok": spec["cost_nok"],
                "evaluation": spec["evaluation"],
            },
        )
        out.append(DemoProcess(process, spec, area))
    return out


def analyze() -> None:
    with connection.cursor() as cursor:
        for model in (Input, Input.themes.through, Response, Contributor):
            cursor.execute(f"ANALYZE {quoted_table(model)}")


def load_demo(
    *,
    counts: InputCounts,
    today: dt.date,
    seed: int = DEFAULT_SEED,
    replace: bool = False,
    log: Callable[[str], None] = print,
) -> dict:
    """Load the whole demo once; with ``replace`` delete earlier input first. Idempotent.

    One transaction, except a bank of BULK_INDEX_THRESHOLD inputs or more (the benchmark's):
    that is written by several processes and commits as it goes (call it outside a
    transaction; an interrupted load leaves part of the input: run it again with replace)."""
    is_bulk = counts.total >= BULK_INDEX_THRESHOLD
    with nullcontext() if is_bulk else transaction.atomic():
        return _load(counts=counts, today=today, seed=seed, replace=replace, log=log)


def _load(*, counts: InputCounts, today: dt.date, seed: int, replace: bool, log) -> dict:
    themes = load_themes()
    users = load_users()
    already = Input.objects.exists()
    if already and not replace:
        log("Demo input already present: nothing more to load (use --replace to regenerate).")
        return {"users": users, "inputs": 0}
    if replace:
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            models = (Input, Input.themes.through, Response, Contributor, Comment, Support,
                      Attachment, Input.history.model, Response.history.model,
                      Comment.history.model, Argument, Argument.history.model,
                      input_themes_history())  # fmt: skip
            tables = ", ".join(quoted_table(model) for model in models)
            cursor.execute(f"TRUNCATE {tables} CASCADE")
    boundary = moss_boundary()
    processes = load_processes(today, boundary)
    log(f"  {len(themes)} themes, {len(processes)} processes")
    n = generate_inputs(
        counts=counts,
        processes=processes,
        themes=themes,
        today=today,
        seed=seed,
        extras=counts.total <= 50_000,
        # Too many to group after the load: each input is written in its argument.
        place_arguments=counts.total > GROUP_LIMIT,
        log=log,
    )
    if counts.total <= GROUP_LIMIT:
        group_demo_inputs(log)
    analyze()
    return {"users": users, "inputs": n}
