"""The GIS view says once what "public" means: column ``offentlig`` of ``inputbank_gis_inputs``.

Tiles, the OGC API and ``gis.innspill`` each wrote the condition out over the view's columns
(``status = 'published' AND NOT begrenset``). Now the view computes it once, as ``offentlig``,
and they select ``WHERE offentlig`` (``inputbank.public.VIEW_PUBLIC``).

``PUBLIC`` below is a frozen copy of ``inputbank.public.public_sql("i")`` (migrations must not
change meaning when product code does). tests/inputbank/test_public.py checks that the view's
``offentlig`` rows, ``gis.innspill`` and ``Input.objects.published()`` are the same rows: if
the definition in ``inputbank/public.py`` changes, that test fails until a new migration
recreates this view with the new text.

The column is computed from the input row, so PostgreSQL expands ``WHERE v.offentlig`` into
the same conditions on ``inputbank_input`` as before: the (status, geom) index still serves.
"""

from django.db import migrations

PUBLIC = "i.status = 'published' AND NOT i.location_restricted"

NAVNEROM = (
    "COALESCE(NULLIF(current_setting('innspillsbank.navnerom', true), ''), "
    "'https://data.moss.kommune.no/innspillsbank')"
)
UTC_TEXT = "to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

# As in migration 0004, with ``offentlig`` added at the end (CREATE OR REPLACE VIEW may only
# append columns).
INPUT_VIEW = f"""
CREATE OR REPLACE VIEW inputbank_gis_inputs AS
SELECT
    i.id AS fid,
    i.public_id AS "lokalId",
    {NAVNEROM} AS navnerom,
    {UTC_TEXT.format("GREATEST(i.updated_at, r.updated_at)")} AS "versjonId",
    i.public_text AS tekst,
    th.slugs AS tema,
    th.names AS temanavn,
    i.channel AS kanal,
    i.language AS spraak,
    i.received_at AS mottatt,
    i.published_at AS publisert,
    i.location_source AS kilde,
    p.slug AS prosess,
    CASE WHEN i.case_year IS NOT NULL THEN
        i.case_year::text || '/' || i.case_sequence::text
        || COALESCE('-' || i.case_document::text, '')
    END AS saksnr,
    r.outcome AS utfall,
    r.justification AS svar,
    r.stage AS fase,
    r.decided_at AS svardato,
    NULLIF(r.decision_reference, '') AS vedtaksref,
    i.status AS status,
    i.geom AS geom,
    i.location_restricted AS begrenset,
    ({PUBLIC}) AS offentlig
FROM inputbank_input i
LEFT JOIN inputbank_response r ON r.input_id = i.id
LEFT JOIN inputbank_process p ON p.id = i.process_id
LEFT JOIN LATERAL (
    SELECT string_agg(t.slug, ',' ORDER BY t.sort_order, t.slug) AS slugs,
           string_agg(t.name, ', ' ORDER BY t.sort_order, t.slug) AS names
    FROM inputbank_input_themes it
    JOIN inputbank_theme t ON t.id = it.theme_id
    WHERE it.input_id = i.id
) th ON true;
"""

PUBLISHED_VIEW = """
CREATE OR REPLACE VIEW gis.innspill WITH (security_barrier) AS
SELECT fid, "lokalId", navnerom, "versjonId", tekst, tema, temanavn, kanal, spraak, mottatt,
       publisert, kilde, prosess, saksnr, utfall, svar, fase, svardato, vedtaksref, geom
FROM inputbank_gis_inputs
WHERE {where};
"""

FORWARD = INPUT_VIEW + PUBLISHED_VIEW.format(where="offentlig")
# Going back: gis.innspill with migration 0004's condition; the input view keeps the column
# (a view cannot drop one with CREATE OR REPLACE).
BACKWARD = PUBLISHED_VIEW.format(where="status = 'published' AND NOT begrenset")


class Migration(migrations.Migration):
    dependencies = [("inputbank", "0007_input_published_geom")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
