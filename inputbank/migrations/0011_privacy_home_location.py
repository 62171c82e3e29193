"""Input at a contributor's home is public only generalised (inputbank.location_privacy).

``Input.location_is_home`` says the place is a home. The GIS view ``inputbank_gis_inputs``
gains ``offentlig_geom`` (the generalised geometry for homes, the geometry otherwise) and the
public view ``gis.innspill`` (with the typed views built on it) publishes that column as its
``geom``. Staff exports keep the exact ``geom``.
"""

import importlib

from django.db import migrations, models

_0008 = importlib.import_module("inputbank.migrations.0008_gis_public_column")
_TYPE = "geometry(Geometry, 25832)"
# inputbank.location_privacy.public_geom_sql("i") as it was written for this migration (a
# migration keeps its own copy; tests check the view against the module).
_PUBLIC_GEOM = (
    "CASE WHEN i.location_is_home AND i.geom IS NOT NULL THEN ST_SetSRID(ST_MakePoint("
    "floor(ST_X(ST_PointOnSurface(i.geom)) / 50) * 50 + 25.0, "
    "floor(ST_Y(ST_PointOnSurface(i.geom)) / 50) * 50 + 25.0), ST_SRID(i.geom)) ELSE i.geom END"
)


def _input_view(offentlig_geom: str) -> str:
    """0008's input view with one more column at the end (CREATE OR REPLACE may add columns)."""
    view = _0008.INPUT_VIEW
    last = f"    ({_0008.PUBLIC}) AS offentlig\n"
    assert last in view, "migration 0008's view changed: rewrite this one"
    return view.replace(
        last,
        f"    ({_0008.PUBLIC}) AS offentlig,\n    ({offentlig_geom})::{_TYPE} AS offentlig_geom\n",
    )


def _public_view(geom: str) -> str:
    return f"""
CREATE OR REPLACE VIEW gis.innspill WITH (security_barrier) AS
SELECT fid, "lokalId", navnerom, "versjonId", tekst, tema, temanavn, kanal, spraak, mottatt,
       publisert, kilde, prosess, saksnr, utfall, svar, fase, svardato, vedtaksref,
       {geom}::{_TYPE} AS geom
FROM inputbank_gis_inputs
WHERE offentlig;
"""


FORWARD = _input_view(_PUBLIC_GEOM) + _public_view("offentlig_geom")
# Back: the public view shows the exact place again; the input view keeps its extra column
# (a view cannot drop one), now a plain copy of geom, so the field can go.
BACKWARD = _public_view("geom") + _input_view("i.geom")


class Migration(migrations.Migration):
    dependencies = [
        ("inputbank", "0010_privacy_retention_and_requests"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalinput",
            name="location_is_home",
            field=models.BooleanField(
                db_default=False,
                default=False,
                help_text="Shown to the public only at about 50 m accuracy",
                verbose_name="the place is the contributor's home",
            ),
        ),
        migrations.AddField(
            model_name="input",
            name="location_is_home",
            field=models.BooleanField(
                db_default=False,
                default=False,
                help_text="Shown to the public only at about 50 m accuracy",
                verbose_name="the place is the contributor's home",
            ),
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
