"""After retention and erasure, a pg_dump of the whole database holds none of the erased values."""

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from inputbank.models import Channel, Contributor, FeedbackDelivery, Outcome
from inputbank.services import ContributorData, input_register, input_submit, response_record
from inputbank.services.privacy import contributor_erase, retention_apply
from tests.factories import make_process, make_user, point

ERASED = ContributorData(
    name="Synnøve Kvernmo",
    email="synnove.kvernmo@example.no",
    phone="+47 934 56 781",
    postal_address="Lyngveien 17C, 1534 Moss",
    organisation="Lyngveien vel",
    wants_feedback=True,
)
RETIRED = ContributorData(
    name="Bjarne Torgersen", email="bjarne.t@example.no", postal_address="Elvegata 4"
)
VALUES = (
    "Synnøve",
    "Kvernmo",
    "synnove.kvernmo",
    "934 56 781",
    "Lyngveien 17C",
    "Lyngveien vel",
    "Bjarne",
    "Torgersen",
    "bjarne.t@",
    "Elvegata 4",
)


def _pg_dump() -> str:
    settings = connection.settings_dict
    candidates = [Path(f"/usr/lib/postgresql/{v}/bin/pg_dump") for v in (15, 16, 17)]
    binary = next((str(p) for p in candidates if p.exists()), shutil.which("pg_dump"))
    env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
    command = [binary, "--no-owner", "-d", settings["NAME"]]
    if settings.get("HOST"):
        command += ["-h", settings["HOST"]]
    if settings.get("PORT"):
        command += ["-p", str(settings["PORT"])]
    if settings.get("USER"):
        command += ["-U", settings["USER"]]
    return subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout


def _load(officer):
    old = make_process(opens_on=dt.date(2025, 1, 1), closes_on=dt.date(2025, 2, 1))
    still_open = make_process(opens_on=dt.date(2025, 1, 1), closes_on=dt.date(2099, 1, 1))
    input_submit(text="Anonymt: flere søppelkasser.", geom=point(), themes=[], process=old)
    retired = input_submit(
        text="Jeg bor i Elvegata 4 og ønsker fortau. Mvh Bjarne Torgersen",
        geom=point(),
        themes=[],
        process=old,
        contributor=RETIRED,
    )
    letter = input_register(
        text=(
            "Vi bor i Lyngveien 17C, 1534 Moss og er imot høyhus.\n"
            "Ring 934 56 781 eller skriv til synnove.kvernmo@example.no\n"
            "Med vennlig hilsen\nSynnøve Kvernmo, Lyngveien vel"
        ),
        geom=point(),
        themes=[],
        channel=Channel.LETTER,
        registered_by=officer,
        process=still_open,
        contributor=ERASED,
        location_description="Lyngveien 17C",
        source_group="Lyngveien vel",
    )
    letter.location_description = "Lyngveien 17C (hjemme)"
    letter.save()  # another history row with the address
    response_record(
        input=letter,
        outcome=Outcome.NOTED,
        justification="Takk for brevet, Synnøve Kvernmo.",
        decided_by=officer,
    )
    for contributor in (letter.contributor, retired.contributor):
        LogEntry.objects.create(
            user=officer,
            content_type=ContentType.objects.get_for_model(Contributor),
            object_id=str(contributor.pk),
            object_repr=str(contributor),
            action_flag=CHANGE,
            change_message=f"Rettet adresse for {contributor.name}",
        )
    FeedbackDelivery.objects.create(
        input=letter,
        content_key="k",
        last_error="550 <synnove.kvernmo@example.no>: mailbox unavailable",
    )
    return letter


@pytest.mark.django_db(transaction=True)
def test_no_erased_or_retired_value_is_left_anywhere_in_the_database():
    officer = make_user("arkiv", "case_officers")
    letter = _load(officer)
    before = _pg_dump()
    assert [value for value in VALUES if value not in before] == []  # there to be found
    assert retention_apply(today=dt.date(2025, 6, 1)) == 1  # Bjarne's process is long closed
    contributor_erase(contributor=Contributor.objects.get(pk=letter.contributor_id))
    dump = _pg_dump()
    left = [value for value in (*VALUES, "93456781") if value.lower() in dump.lower()]
    assert left == []
    assert "Anonymt: flere søppelkasser." in dump  # input is kept
    assert "og er imot høyhus." in dump
