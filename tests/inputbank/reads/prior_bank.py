"""The bank prior input's tests ask about, and how they ask (``tests/inputbank/reads/
test_prior_input*.py``): a 200 × 150 m block of Moss sentrum with anonymous input beside a
letter from a named resident, a closed 2019 consultation beside an open one, input just
outside, pending, rejected and children's input.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import orjson
import pytest
from django.contrib.gis.geos import Polygon
from django.utils import timezone

from inputbank import services
from inputbank.models import Channel, Input, Outcome, ProcessStatus, Stage
from inputbank.reads.prior_input import PriorInputResult, prior_input
from tests.factories import make_input, make_process, make_theme
from tests.inputbank.reads.sentrum import KARI, at, block, line


def area() -> Polygon:
    """The question's area: a 200 × 150 m block of the centre."""
    return block(0, 0, 200, 150)


def circle(dx: float, dy: float, radius: float) -> Polygon:
    """A round area drawn with many vertices (more than query_area keeps in one piece)."""
    return at(dx, dy).buffer(radius, quadsegs=80)


def aware(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


def received(item: Input, when: dt.datetime) -> Input:
    Input.objects.filter(pk=item.pk).update(received_at=when)
    return item


def pid(item: Input) -> str:
    return str(item.public_id)


def ask(user, geometry=None, **kw) -> PriorInputResult:
    return prior_input(user=user, geometry=area() if geometry is None else geometry, **kw)


def collection(result: PriorInputResult) -> dict:
    return orjson.loads(result.feature_collection)


def features(result: PriorInputResult) -> list[dict]:
    return collection(result)["features"]


def hit_ids(result: PriorInputResult) -> set[str]:
    ids = [f["id"] for f in features(result)]
    assert len(ids) == len(set(ids)), "an input was returned twice"
    return set(ids)


def by_id(result: PriorInputResult) -> dict[str, dict]:
    return {f["id"]: f for f in features(result)}


def ids_of(*items: Input) -> set[str]:
    return {pid(i) for i in items}


@pytest.fixture
def bank(case_officer):
    """Input in and around the block, two consultations of it and one elsewhere."""
    trafikk = make_theme("trafikk")
    themes = SimpleNamespace(
        trafikk=trafikk, sykkel=make_theme("sykkel", parent=trafikk), gront=make_theme("gront")
    )
    old = make_process(
        "kystsone-2019",
        area=block(-100, -100, 300, 250),
        title="Kystsoneplan 2019",
        status=ProcessStatus.CLOSED,
        opens_on=dt.date(2019, 3, 1),
        closes_on=dt.date(2019, 5, 1),
    )
    open_now = make_process("sentrum-2025", area=block(150, 100, 400, 300), title="Sentrumsplanen")
    elsewhere = make_process(
        "jeloy-turvei",
        area=block(2000, 2000, 2500, 2500),
        status=ProcessStatus.CLOSED,
        opens_on=dt.date(2022, 4, 1),
        closes_on=dt.date(2022, 6, 1),
    )
    point = received(
        make_input(
            "Fotgjengerfeltet ved Torget er farlig for skolebarn.",
            geom=at(50, 50),
            themes=(themes.trafikk,),
            process=old,
        ),
        aware(2019, 4, 2, 10),
    )
    services.response_record(
        input=point,
        outcome=Outcome.NOT_ADOPTED,
        justification="Krysset ble bygget om i 2020; et nytt fotgjengerfelt trengs ikke.",
        decided_by=case_officer,
        stage=Stage.FINAL,
        decision_reference="2019/1234-7",
        decided_at=aware(2019, 10, 1, 9),
    )
    # A letter from a named resident: a line drawn across the block, both ends outside it.
    letter = services.input_register(
        text="Sykkelveien langs Kongens gate må skilles fra fortauet. Hilsen Kari Nordmann",
        geom=line((-100, 75), (300, 75)),
        themes=[themes.sykkel, themes.gront],
        channel=Channel.LETTER,
        registered_by=case_officer,
        contributor=KARI,
        process=open_now,
        received_at=aware(2023, 9, 14, 12),
        publish=True,
    )
    # A park drawn as an area, one corner of it inside the block.
    park = received(
        make_input(
            "Parken ved Kanalen trenger flere benker og trær.",
            geom=block(150, 100, 260, 220),
            themes=(themes.gront,),
        ),
        aware(2025, 5, 20, 18),
    )
    outside = SimpleNamespace(
        point=make_input("Bråkete byggeplass om natta.", geom=at(260, 50), themes=(trafikk,)),
        parallel=make_input("Hull i veien.", geom=line((-100, -50), (300, -50))),
        # Its bounding box overlaps the block's corner; the line itself passes it by.
        diagonal=make_input("Snarveien er gjørmete.", geom=line((-150, 100), (50, 300))),
    )
    pending = make_input("Flere sykkelstativer ved Torget.", geom=at(100, 100), published=False)
    rejected = make_input("Tull og tøys.", geom=at(120, 60), published=False)
    services.input_reject(input=rejected, moderator=case_officer, reason="Ikke et innspill")
    walk = services.input_register(
        text="Her går jeg til skolen, det er skummelt å krysse.",
        geom=line((80, -30), (80, 40)),
        themes=[themes.trafikk],
        channel=Channel.BARNETRAKK,
        registered_by=case_officer,
        publish=True,
    )
    walk_elsewhere = services.input_register(
        text="Mørk sti bak hallen.",
        geom=line((600, 600), (650, 650)),
        themes=[],
        channel=Channel.BARNETRAKK,
        registered_by=case_officer,
        publish=True,
    )
    return SimpleNamespace(
        themes=themes,
        old=old,
        open_now=open_now,
        elsewhere=elsewhere,
        point=point,
        letter=letter,
        park=park,
        outside=outside,
        pending=pending,
        rejected=rejected,
        walk=walk,
        walk_elsewhere=walk_elsewhere,
    )
