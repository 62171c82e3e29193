"""Arguments over HTTP: in the prior-input answer, listed with the input filters, and the
earlier answer shown to the resident who says it again."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from inputbank.models import Input, Outcome
from inputbank.services import argument_answer, argument_rename
from tests.api.helpers import LIST_URL, PRIOR_URL, body, post_json, submission
from tests.factories import make_input, make_theme, point

pytestmark = pytest.mark.django_db

HERE = (10.6612, 59.4352)
AREA = {"type": "Point", "coordinates": list(HERE)}


@pytest.fixture
def lights(db):
    theme = make_theme("trygghet")
    texts = [
        "Gatelysene i Kongens gate er ødelagt, det er mørkt om kvelden.",
        "Gatelysa i Kongens gate er øydelagde, det er mørkt og utrygt.",
        "Kongens gate is dark at night, the street lights are broken.",
    ]
    return [make_input(t, geom=point(*HERE), themes=(theme,)) for t in texts]


def test_prior_input_lists_the_argument_with_its_voices_and_reason(api, lights):
    pending = make_input(
        "Gatelysene i Kongens gate er ødelagt. Mørkt!", geom=point(*HERE), published=False
    )
    data = body(post_json(api, PRIOR_URL, {"geometry": AREA, "buffer_m": 100}))
    [argument] = data["arguments"]
    assert argument["voices"] == 3
    assert set(argument["input_ids"]) == {str(i.public_id) for i in lights}
    assert str(pending.public_id) not in argument["input_ids"]  # anonymous: published only
    assert argument["themes"] == ["trygghet"]
    assert re.search(r"\b\d+ m\b", argument["reason"])  # how far apart, in metres
    assert argument["text"] == lights[0].public_text
    assert argument["response"] is None
    assert "contributor" not in str(argument)


def test_a_crowded_area_groups_its_arguments_from_the_newest_hits_and_says_so(
    api, lights, settings
):
    # At L densities (240 000 hits in 500 m) the grouping is capped: the arguments come from
    # the newest PRIOR_ARGUMENT_HITS hits, while the summary and the gaps count every hit.
    settings.INPUTBANK = {**settings.INPUTBANK, "PRIOR_ARGUMENT_HITS": 2}
    for year, item in zip((2021, 2022, 2023), lights, strict=True):
        Input.objects.filter(pk=item.pk).update(
            received_at=timezone.make_aware(dt.datetime(year, 6, 1, 12))
        )
    data = body(post_json(api, PRIOR_URL, {"geometry": AREA, "buffer_m": 100}))
    assert data["summary"]["total"] == 3
    assert data["arguments_hits"] == 2
    [argument] = data["arguments"]
    assert argument["voices"] == 2
    assert argument["input_ids"] == [str(lights[1].public_id), str(lights[2].public_id)]
    assert argument["text"] == lights[1].public_text  # the earliest of the grouped wordings
    assert all(
        set(s["input_ids"]) <= set(argument["input_ids"])
        for t in data["theme_summaries"]
        for s in t["sentences"]
    )


def test_an_area_under_the_cap_groups_every_hit(api, lights):
    data = body(post_json(api, PRIOR_URL, {"geometry": AREA, "buffer_m": 100}))
    assert data["arguments_hits"] == data["summary"]["total"] == 3


def test_staff_see_pending_voices_and_the_officers_title(officer_api, case_officer, lights):
    make_input("Gatelysene i Kongens gate er ødelagt. Mørkt!", geom=point(*HERE), published=False)
    argument_rename(argument=lights[0].argument, title="Mørk Kongens gate", decided_by=None)
    response = officer_api.get("/api/v1/arguments/", {"status": "published,pending"})
    [argument] = body(response)["arguments"]
    assert argument["voices"] == 4
    assert argument["title"] == "Mørk Kongens gate"


def test_arguments_list_takes_the_input_filters(api, lights):
    make_input("Bygg skatepark i Nesparken!", geom=point(10.665, 59.4308))
    assert len(body(api.get("/api/v1/arguments/"))["arguments"]) == 2
    only = body(api.get("/api/v1/arguments/", {"theme": "trygghet"}))["arguments"]
    assert [a["voices"] for a in only] == [3]
    assert api.get("/api/v1/arguments/", {"themes": "x"}).status_code == 400


def test_a_resident_saying_it_again_sees_the_earlier_answer(api, form_token, lights):
    argument_answer(
        argument=lights[0].argument,
        outcome=Outcome.ADOPTED,
        justification="Lysene skiftes i vår.",
        decided_by=None,
        decision_reference="2022/388-14",
    )
    response = post_json(
        api,
        LIST_URL,
        submission(
            form_token,
            text="Gatelysene i Kongens gate virker ikke, det er mørkt.",
            geometry={"type": "Point", "coordinates": list(HERE)},
            themes=["trygghet"],
        ),
    )
    heard = body(response)["heard_before"]
    assert heard["voices"] == 3
    assert heard["response"]["decision_reference"] == "2022/388-14"
    data = body(post_json(api, PRIOR_URL, {"geometry": AREA, "buffer_m": 100}))
    assert data["arguments"][0]["response"]["justification"] == "Lysene skiftes i vår."


def test_prior_input_quotes_each_theme_with_its_sources_and_names_the_gaps(api, lights):
    pending = make_input(
        "Gatelysene i Kongens gate er ødelagt.", geom=point(*HERE), published=False
    )
    data = body(post_json(api, PRIOR_URL, {"geometry": AREA, "buffer_m": 100, "gaps_since": 2020}))
    [theme] = data["theme_summaries"]
    assert theme["theme"] == "trygghet"
    published = {str(i.public_id): i.public_text for i in lights}
    for sentence in theme["sentences"]:
        assert sentence["input_ids"]
        assert str(pending.public_id) not in sentence["input_ids"]
        assert all(sentence["text"] in published[i] for i in sentence["input_ids"])
    gaps = data["gaps"]
    assert gaps["since_year"] == 2020
    assert "trygghet" not in {g["slug"] for g in gaps["themes"]}
    assert gaps["children_and_young"]["complete"] is False  # the public: Barnetråkk unseen
    wrong = post_json(api, PRIOR_URL, {"geometry": AREA, "gaps_since": 12})
    assert wrong.status_code == 400
