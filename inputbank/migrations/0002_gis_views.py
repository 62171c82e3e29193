"""Database views for GIS tools (QGIS, ArcGIS) and the exports: public columns only.

* ``inputbank_gis_inputs``: every input with its non-personal columns (status included), the
  one column list that exports, OGC API and tiles select from. Not granted to anyone.
* schema ``gis``: what a read-only GIS role may see (scripts/sql/readonly_role.sql):
  ``gis.innspill`` (published inputs, all geometry kinds and "no location"),
  ``gis.innspill_punkt``/``_linje``/``_flate`` (one geometry kind each, as ArcGIS wants; the
  column is the stored one, not ``ST_Multi(geom)``, so a client's ``geom && box`` uses the
  GiST index),
  ``gis.prosesser`` and ``gis.tema``. ``security_barrier`` keeps a caller's own conditions
  (say ``tekst::int = 0``, whose error would echo the text) from running on unpublished rows;
  readonly_role.sql marks the bounding-box operator leakproof so ``&&`` still uses the index.

No contributor column (name, e-mail, phone, address), no original text, no user ids ever
appear here. ``navnerom`` comes from the database setting ``innspillsbank.navnerom`` when set
(``ALTER DATABASE ... SET innspillsbank.navnerom = '...'``), else the default namespace.
The SRID literals are allowed here (migrations are frozen SQL).
"""

from django.db import migrations

NAVNEROM = (
    "COALESCE(NULLIF(current_setting('innspillsbank.navnerom', true), ''), "
    "'https://data.moss.kommune.no/innspillsbank')"
)
UTC_TEXT = "to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

FORWARD = f"""
CREATE SCHEMA IF NOT EXISTS gis;

CREATE VIEW inputbank_gis_inputs AS
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
    i.geom AS geom
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

CREATE VIEW gis.innspill WITH (security_barrier) AS
SELECT fid, "lokalId", navnerom, "versjonId", tekst, tema, temanavn, kanal, spraak, mottatt,
       publisert, kilde, prosess, saksnr, utfall, svar, fase, svardato, vedtaksref, geom
FROM inputbank_gis_inputs
WHERE status = 'published';

CREATE VIEW gis.innspill_punkt AS
SELECT fid, "lokalId", navnerom, "versjonId", tekst, tema, temanavn, kanal, spraak, mottatt,
       publisert, kilde, prosess, saksnr, utfall, svar, fase, svardato, vedtaksref,
       geom
FROM gis.innspill WHERE GeometryType(geom) IN ('POINT', 'MULTIPOINT');

CREATE VIEW gis.innspill_linje AS
SELECT fid, "lokalId", navnerom, "versjonId", tekst, tema, temanavn, kanal, spraak, mottatt,
       publisert, kilde, prosess, saksnr, utfall, svar, fase, svardato, vedtaksref,
       geom
FROM gis.innspill WHERE GeometryType(geom) IN ('LINESTRING', 'MULTILINESTRING');

CREATE VIEW gis.innspill_flate AS
SELECT fid, "lokalId", navnerom, "versjonId", tekst, tema, temanavn, kanal, spraak, mottatt,
       publisert, kilde, prosess, saksnr, utfall, svar, fase, svardato, vedtaksref,
       geom
FROM gis.innspill WHERE GeometryType(geom) IN ('POLYGON', 'MULTIPOLYGON');

CREATE VIEW gis.prosesser AS
SELECT
    p.id AS fid,
    md5('innspillsbank:process:' || p.id::text)::uuid AS "lokalId",
    {NAVNEROM} AS navnerom,
    {UTC_TEXT.format("p.updated_at")} AS "versjonId",
    p.slug AS kortnavn,
    p.title AS tittel,
    p.description AS omtale,
    p.purpose AS formaal,
    NULLIF(p.owner_department, '') AS eier,
    p.opens_on AS aapner,
    p.closes_on AS lukker,
    p.ladder_step AS stige,
    array_to_string(p.channels, ',') AS kanaler,
    array_to_string(p.target_groups, ',') AS maalgruppe,
    p.status AS status,
    CASE WHEN p.case_year IS NOT NULL THEN p.case_year::text || '/' || p.case_sequence::text
    END AS saksnr,
    CASE WHEN p.plan_identifier <> '' THEN p.plan_kommunenummer || '-' || p.plan_identifier
    END AS planid,
    p.area AS geom
FROM inputbank_process p;

CREATE VIEW gis.tema AS
SELECT t.id AS fid, t.slug, t.name AS navn, parent.slug AS forelder, t.colour AS farge,
       NULLIF(t.icon, '') AS ikon, t.sort_order AS sortering, t.active AS aktiv
FROM inputbank_theme t
LEFT JOIN inputbank_theme parent ON parent.id = t.parent_id;
"""

BACKWARD = """
DROP SCHEMA IF EXISTS gis CASCADE;
DROP VIEW IF EXISTS inputbank_gis_inputs;
"""


class Migration(migrations.Migration):
    dependencies = [("inputbank", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
