"""Location-restricted input (children's Barnetråkk routes) never reaches a public GIS layer.

``inputbank_gis_inputs`` gains ``begrenset`` (Input.location_restricted, added to the model
after 0002) and ``gis.innspill`` (with the typed views built on it) leaves restricted rows
out. Exports for staff show the column; tiles count restricted input only in the aggregated
grid, never as points.
"""

from django.db import migrations

NAVNEROM = (
    "COALESCE(NULLIF(current_setting('innspillsbank.navnerom', true), ''), "
    "'https://data.moss.kommune.no/innspillsbank')"
)
UTC_TEXT = "to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

FORWARD = f"""
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
    i.location_restricted AS begrenset
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

CREATE OR REPLACE VIEW gis.innspill WITH (security_barrier) AS
SELECT fid, "lokalId", navnerom, "versjonId", tekst, tema, temanavn, kanal, spraak, mottatt,
       publisert, kilde, prosess, saksnr, utfall, svar, fase, svardato, vedtaksref, geom
FROM inputbank_gis_inputs
WHERE status = 'published' AND NOT begrenset;
"""

# Going back: the published view without the restriction (a view cannot drop a column with
# CREATE OR REPLACE, so the input view keeps ``begrenset``).
BACKWARD = """
CREATE OR REPLACE VIEW gis.innspill WITH (security_barrier) AS
SELECT fid, "lokalId", navnerom, "versjonId", tekst, tema, temanavn, kanal, spraak, mottatt,
       publisert, kilde, prosess, saksnr, utfall, svar, fase, svardato, vedtaksref, geom
FROM inputbank_gis_inputs
WHERE status = 'published';
"""


class Migration(migrations.Migration):
    dependencies = [("inputbank", "0003_feedback")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
