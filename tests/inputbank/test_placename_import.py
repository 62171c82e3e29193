"""import_placenames: Kartverket's place-name register (Stedsnavn) into the search, offline."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from inputbank.models import PlaceName
from tests.conftest import FIXTURES, PLACENAME_SAMPLE

pytestmark = pytest.mark.django_db
SAMPLE_TEXT = PLACENAME_SAMPLE.read_text(encoding="utf-8")


def run(path, *args):
    out = io.StringIO()
    call_command("import_placenames", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def write(tmp_path, text, name="stedsnavn.gml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_gml_sample_is_imported_with_names_kinds_and_positions():
    out = run(PLACENAME_SAMPLE)
    assert "33 new" in out
    jeloy = PlaceName.objects.get(name="Jeløy")
    assert (jeloy.name_type, jeloy.kommunenummer, jeloy.stedsnummer) == ("øy", "3103", 102)
    # The other spelling is searchable too.
    assert "jeløya" in jeloy.search_text
    # EPSG:25833 in the file, transformed to storage in SQL: Jeløy lies west of the town.
    moss = PlaceName.objects.get(name="Moss")
    assert jeloy.geom.x < moss.geom.x
    assert PlaceName.objects.get(name="Larkollen").geom.y < moss.geom.y


def test_a_second_import_updates_in_place():
    run(PLACENAME_SAMPLE)
    out = run(PLACENAME_SAMPLE)
    assert "0 new, 33 updated" in out
    assert PlaceName.objects.count() == 33


def test_the_geojson_form_is_read_through_gdal():
    out = run(FIXTURES / "placenames" / "moss-stedsnavn-sample.geojson")
    assert "5 new" in out
    assert PlaceName.objects.filter(name="Kambo").exists()


def test_a_broken_place_refuses_the_whole_file_and_stores_nothing(tmp_path):
    broken = SAMPLE_TEXT.replace(
        "<app:komplettskrivemåte>Kambo</app:komplettskrivemåte>", "", 1
    ).replace("<gml:pos>", "<gml:pos>x", 1)
    with pytest.raises(CommandError) as caught:
        run(write(tmp_path, broken))
    message = str(caught.value)
    assert "2 places cannot be read, so nothing was imported" in message
    assert "stedsnummer 104" in message and "no name" in message
    assert "not numbers" in message
    assert PlaceName.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("<gml:FeatureCollection", "not well-formed"),
        ('<?xml version="1.0"?><root><item/></root>', "no app:Sted"),
        (
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]><x>&e;</x>',
            "DTD or entities",
        ),
        ("lokalId;navn\n1;Moss\n", "neither"),
    ],
    ids=["truncated", "other-xml", "entities", "csv"],
)
def test_a_file_that_is_not_stedsnavn_gets_a_clear_error(tmp_path, text, reason):
    with pytest.raises(CommandError, match=reason):
        run(write(tmp_path, text))
    assert PlaceName.objects.count() == 0


def test_a_position_without_a_crs_is_refused(tmp_path):
    text = SAMPLE_TEXT.replace(' srsName="http://www.opengis.net/def/crs/EPSG/0/25833"', "")
    with pytest.raises(CommandError, match="no srsName"):
        run(write(tmp_path, text))


def test_geojson_without_names_is_refused(tmp_path):
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"id": 1},
                "geometry": {"type": "Point", "coordinates": [10.66, 59.43]},
            }
        ],
    }
    path = write(tmp_path, json.dumps(collection), name="x.geojson")
    with pytest.raises(CommandError, match="stedsnummer"):
        run(path)


def test_other_municipalities_and_places_outside_moss_are_left_out(tmp_path):
    other = SAMPLE_TEXT.replace(
        "<app:kommunenummer>3103</app:kommunenummer>",
        "<app:kommunenummer>3101</app:kommunenummer>",
        1,
    )
    out = run(write(tmp_path, other), "--kommunenummer", "3103")
    assert "32 new" in out and "1 of other municipalities left out" in out
    assert not PlaceName.objects.filter(name="Moss").exists()


def test_prune_removes_names_the_register_no_longer_has(tmp_path):
    run(PLACENAME_SAMPLE)
    start = SAMPLE_TEXT.index("<gml:featureMember>")
    end = SAMPLE_TEXT.index("</gml:featureMember>") + len("</gml:featureMember>")
    without_moss = SAMPLE_TEXT[:start] + SAMPLE_TEXT[end:]
    out = run(write(tmp_path, without_moss), "--kommunenummer", "3103", "--prune")
    assert "1 removed" in out
    assert not PlaceName.objects.filter(name="Moss").exists()


def test_dry_run_stores_nothing():
    out = run(PLACENAME_SAMPLE, "--dry-run")
    assert "Would import 33 place names" in out
    assert PlaceName.objects.count() == 0
