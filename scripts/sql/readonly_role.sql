-- A read-only login for GIS tools (QGIS, ArcGIS, FME) that sees the public views only.
--
-- Run as a superuser (or the database owner) against the innspillsbank database:
--
--   psql -d innspillsbank -v role=gis_lesetilgang -v password='a-long-secret' \
--        -f scripts/sql/readonly_role.sql
--
-- What the role can do: SELECT on the views in schema "gis" (innspill, innspill_punkt,
-- innspill_linje, innspill_flate, prosesser, tema). Those views show published inputs with
-- their public (redacted) text, themes and response, processes and themes; never contributor
-- data, original text, unpublished input or user accounts. The views are owned by the
-- application's role, so the reader needs (and gets) no right on any table.
--
-- What it cannot do: read or write any table (inputbank_input, inputbank_contributor, ...),
-- create objects, or run for long (statement_timeout) - a forgotten QGIS layer must not hold
-- the database busy.
--
-- Safe to run again (it updates the password and re-applies the grants).

\set ON_ERROR_STOP on

SELECT format('CREATE ROLE %I LOGIN', :'role')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec

ALTER ROLE :"role" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT
    PASSWORD :'password' CONNECTION LIMIT 20;
ALTER ROLE :"role" SET statement_timeout = '60s';
ALTER ROLE :"role" SET default_transaction_read_only = on;

-- Nothing by default: no CREATE anywhere, no access to the application's tables.
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM :"role";
REVOKE CREATE ON SCHEMA public FROM :"role";
REVOKE ALL ON DATABASE :"DBNAME" FROM :"role";
GRANT CONNECT ON DATABASE :"DBNAME" TO :"role";

-- The public views, and the PostGIS catalogue views QGIS reads to find geometry columns.
GRANT USAGE ON SCHEMA gis TO :"role";
GRANT SELECT ON gis.innspill, gis.innspill_punkt, gis.innspill_linje, gis.innspill_flate,
    gis.prosesser, gis.tema TO :"role";
GRANT SELECT ON public.geometry_columns, public.spatial_ref_sys TO :"role";

-- gis.innspill is a security_barrier view (a caller's own conditions cannot run on hidden,
-- unpublished rows). PostgreSQL then uses an index for a condition only if its operator is
-- LEAKPROOF; the bounding-box operator && (geometry_overlaps) only compares boxes and raises
-- no data-dependent error, so marking it leakproof lets QGIS's "geom && <map extent>" use the
-- GiST index. Needs a superuser; re-run after upgrading PostGIS.
ALTER FUNCTION public.geometry_overlaps(geometry, geometry) LEAKPROOF;
