"""What "public" means is written once (inputbank.public): the ORM and every SQL path agree."""

from __future__ import annotations

import pytest
from django.db import connection

from inputbank import public, services
from inputbank.models import Channel, Input, ModerationStatus, Process
from inputbank.models.tables import quoted_table
from inputbank.publishing import layers, tiles
from inputbank.reads.features import Audience, property_names
from tests.factories import make_input, make_process, make_theme, point


def _ids(sql: str) -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {row[0] for row in cursor.fetchall()}


@pytest.fixture
def every_kind(db):
    """One input of every kind the public rule has to tell apart, with themes and a process."""
    theme = make_theme("transport")
    process = make_process("sentrum")
    kinds = {
        "published": make_input("Publisert med tema.", themes=(theme,), process=process),
        "published_no_place": make_input(
            "Generelt innspill uten sted.", no_location=True, location_source="none"
        ),
        "pending": make_input("Venter på moderering.", published=False),
        "rejected": make_input("Avvist innspill.", published=False),
        "childrens_walk": make_input("Skoleveien min.", channel=Channel.BARNETRAKK),
        "restricted_pending": make_input(
            "Skoleveien, ikke moderert.", channel=Channel.BARNETRAKK, published=False
        ),
    }
    services.input_reject(input=kinds["rejected"], moderator=None, reason="Ikke saklig.")
    kinds["restricted_later"] = make_input("Begrenset etterpå.", geom=point(10.66, 59.44))
    # Children's walks (Barnetråkk) are location-restricted: the exact place is never public.
    restricted = ("childrens_walk", "restricted_pending", "restricted_later")
    Input.objects.filter(pk__in=[kinds[k].pk for k in restricted]).update(location_restricted=True)
    return {name: Input.objects.get(pk=item.pk) for name, item in kinds.items()}


def test_the_fixture_holds_what_it_says(every_kind):
    assert every_kind["childrens_walk"].location_restricted
    assert every_kind["rejected"].status == ModerationStatus.REJECTED
    assert every_kind["published_no_place"].geom is None


def test_only_published_unrestricted_input_is_public(every_kind):
    public_ids = set(Input.objects.published().values_list("pk", flat=True))
    assert public_ids == {every_kind["published"].pk, every_kind["published_no_place"].pk}


def test_the_sql_twin_selects_exactly_the_rows_of_the_queryset(every_kind):
    table = quoted_table(Input)
    assert _ids(f"SELECT i.id FROM {table} i WHERE {public.public_sql('i')}") == set(
        Input.objects.filter(public.public_q()).values_list("pk", flat=True)
    )
    assert _ids(f"SELECT i.id FROM {table} i WHERE {public.counted_sql('i')}") == set(
        Input.objects.filter(public.counted_q()).values_list("pk", flat=True)
    )


def test_counted_input_adds_restricted_input_only(every_kind):
    counted = set(Input.objects.moderated_published().values_list("pk", flat=True))
    published = set(Input.objects.published().values_list("pk", flat=True))
    restricted = {every_kind["childrens_walk"].pk, every_kind["restricted_later"].pk}
    assert counted == published | restricted


def test_the_gis_views_agree_with_the_queryset(every_kind):
    """Migration 0008 froze a copy of public_sql: this fails if the two ever differ."""
    published = set(Input.objects.published().values_list("pk", flat=True))
    source = layers.INPUT_SOURCE
    assert _ids(f"SELECT v.fid FROM {source} v WHERE {public.VIEW_PUBLIC}") == published
    assert _ids("SELECT fid FROM gis.innspill") == published


def test_the_prefixed_condition_works_across_a_relation(every_kind):
    process = Process.objects.filter(inputs__in=Input.objects.published()).distinct()
    assert list(process) == list(Process.objects.filter(public.public_q("inputs__")).distinct())


def test_the_names_public_py_relies_on_are_the_models(db):
    """public.py imports no model (querysets import it): its names must still be the model's."""
    assert ModerationStatus.PUBLISHED.value == public._PUBLISHED
    assert Input._meta.get_field("status").column == public._STATUS
    assert Input._meta.get_field("location_restricted").column == public._RESTRICTED


def test_tiles_and_ogc_use_the_one_condition():
    from inputbank.publishing.ogc_provider import InputProvider

    # The spatial collection adds "located" to the one condition, never its own idea of public.
    assert InputProvider.base_where == f"({public.VIEW_PUBLIC}) AND v.geom IS NOT NULL"
    assert f"({public.VIEW_PUBLIC})" in tiles.FEATURES_SQL


# --- The allow-list of public fields ------------------------------------------------------


def test_every_public_gis_column_is_a_layer_column():
    names = [c.name for c in layers.INPUT_COLUMNS]
    assert set(names) == public.PUBLIC_GIS_COLUMNS
    assert len(names) == len(set(names))


def test_staff_columns_are_not_public():
    staff = {c.name for c in layers.STAFF_INPUT_COLUMNS}
    assert not staff & public.PUBLIC_GIS_COLUMNS


def test_the_api_public_properties_are_exactly_the_allow_list():
    assert set(property_names(Audience.PUBLIC)) == public.PUBLIC_API_PROPERTIES


def test_higher_audiences_see_more_than_the_public():
    for audience in (Audience.GIS, Audience.MODERATOR, Audience.CASE_OFFICER):
        assert set(property_names(audience)) >= public.PUBLIC_API_PROPERTIES


def test_personal_and_moderation_fields_are_never_public():
    never = {"contributor", "original_text", "rejection_reason", "location_description",
             "has_contributor", "location_restricted", "moderated_at"}  # fmt: skip
    assert not never & public.PUBLIC_API_PROPERTIES
    assert not {"status", "begrenset"} & public.PUBLIC_GIS_COLUMNS


def test_tile_attributes_come_from_public_columns():
    # hovedtema is the first of tema: derived, not a column of its own.
    assert set(tiles._ATTRIBUTES) - {"hovedtema"} <= public.PUBLIC_GIS_COLUMNS
