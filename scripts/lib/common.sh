# Shared set-up for ./scripts/run, ./scripts/test and ./scripts/bench. Source it; do not run it.
#
# What it does, each step skipped when already done:
#   1. system packages (PostgreSQL 15 + PostGIS 3, GDAL, gettext, MapServer; Chromium and nginx for tests) via apt-get
#   2. a .venv with the project and its dev tools (re-installed when pyproject.toml changes)
#   3. a project-local PostgreSQL cluster on a unix socket only (no TCP port)
#   4. on request (ensure_replica N), a streaming read replica of it, also socket-only
# and exports DATABASE_URL for Django. With DATABASE_URL already set, step 3 is skipped.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
PG_MAJOR="${PG_MAJOR:-15}"
DB_NAME="${DB_NAME:-innspillsbank}"

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root to run: $* (install sudo, or run the command yourself)"; fi
}

# ---- 1. system packages -------------------------------------------------------------------
# Debian/Ubuntu names. Other systems: PostgreSQL 15 + PostGIS 3, GDAL (runtime + ogr2ogr),
# GNU gettext (msgfmt) and, for the browser tests, Chromium.
ensure_system_packages() {
  local want_browser="${1:-no}" missing=()
  [ -x "/usr/lib/postgresql/$PG_MAJOR/bin/initdb" ] || missing+=("postgresql-$PG_MAJOR")
  [ -f "/usr/share/postgresql/$PG_MAJOR/extension/postgis.control" ] \
    || missing+=("postgresql-$PG_MAJOR-postgis-3" "postgresql-$PG_MAJOR-postgis-3-scripts")
  command -v ogr2ogr >/dev/null || missing+=(gdal-bin)
  command -v msgfmt >/dev/null || missing+=(gettext)
  # WeasyPrint (the prior-input report as PDF) draws text with Pango, in DejaVu (æ, ø, å).
  ls /usr/lib/*/libpangoft2-1.0.so.0 >/dev/null 2>&1 || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
  # grep reads all of fc-list's output (no -q): an early exit would fail the pipe (pipefail).
  fc-list : family 2>/dev/null | grep -i 'dejavu' >/dev/null || missing+=(fonts-dejavu-core)
  # WMS/WFS at /ows: MapServer run per request as a CGI program (inputbank/publishing/mapserver.py).
  [ -x /usr/lib/cgi-bin/mapserv ] || missing+=(cgi-mapserver)
  # Debian's own Python needs python3-venv for 'python3 -m venv' (pyenv builds have it).
  if ! command -v python3.11 >/dev/null && ! command -v python3 >/dev/null; then
    missing+=(python3 python3-venv)
  elif ! "$(command -v python3.11 || command -v python3)" -c 'import ensurepip' 2>/dev/null; then
    missing+=(python3-venv)
  fi
  if [ "$want_browser" = browser ]; then
    [ -x /usr/bin/chromium ] || missing+=(chromium)
    # The proxy tests (tests/ops/test_nginx.py) and the bench's P1 put Debian's nginx in front.
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
  fi
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "missing system packages (${missing[*]}) and no apt-get: install them by hand (see README)"
  log "installing system packages: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# ---- 2. Python environment ----------------------------------------------------------------
find_python() {
  local c
  for c in python3.11 python3; do
    if command -v "$c" >/dev/null && "$c" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
      echo "$c"; return 0
    fi
  done
  die "Python 3.11 is required (Django 5.2 LTS; see README)"
}

ensure_venv() {
  local stamp hash
  hash="$(sha256sum "$ROOT/pyproject.toml" | cut -c1-16)"
  stamp="$VENV/.installed-$hash"
  [ -f "$stamp" ] && return 0
  if [ ! -x "$PY" ]; then
    log "creating $VENV"
    "$(find_python)" -m venv "$VENV"
  fi
  log "installing the project into .venv (pip)"
  local logf="$ROOT/var/pip.log"
  mkdir -p "$ROOT/var"
  if ! { "$PY" -m pip install -q --disable-pip-version-check -U pip \
         && "$PY" -m pip install -q --disable-pip-version-check -e "$ROOT[dev]"; } >"$logf" 2>&1; then
    cat "$logf" >&2
    die "pip install failed (log: $logf)"
  fi
  rm -f "$VENV"/.installed-*
  touch "$stamp"
}

# ---- 3. project-local PostGIS cluster ------------------------------------------------------
PG_BIN="/usr/lib/postgresql/$PG_MAJOR/bin"

# PostgreSQL refuses to run as root: then the cluster runs as the 'postgres' system user.
pg_user() { if [ "$(id -u)" -eq 0 ]; then echo postgres; else id -un; fi; }
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# The cluster lives in var/pg inside the checkout, unless the PostgreSQL user cannot enter that
# path (a clone under a private folder, as CI does) or the socket path would be too long for a
# unix socket (107 bytes): then in /var/tmp, keyed by the checkout's path so clones never share.
pg_base() {
  local inside="$ROOT/var/pg" key
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || as_root useradd --system --home /var/lib/postgresql --shell /bin/bash postgres
  fi
  mkdir -p "$ROOT/var"
  if [ ${#inside} -lt 80 ] && { [ "$(id -u)" -ne 0 ] || runuser -u postgres -- test -x "$ROOT/var"; }; then
    echo "$inside"
  else
    key="$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"
    echo "/var/tmp/innspillsbank-pg-$key"
  fi
}

ensure_cluster() {
  if [ -n "${DATABASE_URL:-}" ]; then
    log "DATABASE_URL is set: using that database, no local cluster"
    return 0
  fi
  local base data sock logf
  base="$(pg_base)"; data="$base/data"; sock="$base/run"; logf="$base/log/postgres.log"
  if [ ! -d "$base" ]; then
    mkdir -p "$base"
    [ "$(id -u)" -eq 0 ] && chown "$(pg_user)" "$base"
  fi
  as_pg mkdir -p "$data" "$sock" "$base/log"
  as_pg chmod 700 "$data" "$sock"
  if [ ! -f "$data/PG_VERSION" ]; then
    log "initialising a PostgreSQL $PG_MAJOR cluster in $data"
    as_pg "$PG_BIN/initdb" -D "$data" -U "$(pg_user)" --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    # Unix socket only: no TCP port that could collide with another server on this machine.
    cat <<CONF | as_pg tee -a "$data/postgresql.conf" >/dev/null
# --- innspillsbank (scripts/lib/common.sh) ---
listen_addresses = ''
unix_socket_directories = '$sock'
unix_socket_permissions = 0700
max_connections = 60
shared_buffers = 512MB
work_mem = 32MB
maintenance_work_mem = 512MB
max_wal_size = 4GB
fsync = ${PG_FSYNC:-on}
CONF
  fi
  if ! as_pg "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    log "starting PostgreSQL (socket in $sock, log in $logf)"
    as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$logf" -w -t 60 start >/dev/null \
      || { tail -n 30 "$logf" >&2; die "PostgreSQL did not start"; }
  fi
  PG_SOCK="$sock"
  # Every new database (also the test databases) is created from template1: give it PostGIS.
  PGOPTIONS="-c client_min_messages=warning" psql_local template1 -qc \
    "CREATE EXTENSION IF NOT EXISTS postgis; CREATE EXTENSION IF NOT EXISTS pg_trgm;" >/dev/null
  if ! psql_local postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1; then
    log "creating database $DB_NAME"
    psql_local postgres -qc "CREATE DATABASE \"$DB_NAME\"" >/dev/null
  fi
  export DATABASE_URL="postgres://$(pg_user)@/$DB_NAME?host=$sock"
  export PGHOST="$sock" PGUSER="$(pg_user)"
}

psql_local() { local db="$1"; shift; psql -X -h "$PG_SOCK" -U "$(pg_user)" -d "$db" "$@"; }

stop_cluster() {
  local data; data="$(pg_base)/data"
  stop_replica 1
  if [ -f "$data/PG_VERSION" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$data" -m fast stop || true
  fi
}

# ---- 4. streaming read replicas ------------------------------------------------------------
# A physical streaming replica of the cluster above (pg_basebackup -R, a replication slot), for
# ./scripts/run --replica and tests/ops/test_replica.py. Like the primary it listens on a unix
# socket only, in a folder of its own, with port 5432+N naming the socket (.s.PGSQL.5433): a
# second server on this machine that cannot collide with anyone's TCP port. Each step is skipped
# when done: the copy is made once, started when stopped, and awaited until it streams.
replica_dir() { echo "$(pg_base)/replica-$1"; }
replica_port() { echo $((5432 + $1)); }

# DATABASE_URL-style address of replica N for database $2 (default DB_NAME).
replica_url() {
  echo "postgres://$(pg_user)@:$(replica_port "$1")/${2:-$DB_NAME}?host=$(replica_dir "$1")/run"
}

replica_running() {
  local data; data="$(replica_dir "$1")/data"
  [ -f "$data/PG_VERSION" ] && as_pg "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1
}

# ensure_replica N: create (once), start and await replica N of the running primary.
ensure_replica() {
  local n="${1:-1}" base data sock port slot primary_sock
  base="$(replica_dir "$n")"; data="$base/data"; sock="$base/run"; port="$(replica_port "$n")"
  slot="innspillsbank_replica_$n"
  primary_sock="$(pg_base)/run"
  as_pg "$PG_BIN/pg_ctl" -D "$(pg_base)/data" status >/dev/null 2>&1 \
    || die "ensure_replica: the primary cluster is not running (./scripts/run starts it)"
  PG_SOCK="$primary_sock"
  # PostgreSQL 15's defaults already allow this (wal_level=replica, 10 WAL senders, and
  # initdb's pg_hba.conf trusts local replication); a cluster changed by hand is refused loudly.
  [ "$(psql_local postgres -tAc 'SHOW wal_level')" != minimal ] \
    || die "ensure_replica: the primary has wal_level=minimal; set it to replica and restart"
  # A slot keeps the WAL a stopped replica still needs; this bounds it, so a replica left
  # stopped cannot fill the primary's disk (it then needs a new copy: remove_replica N).
  if [ "$(psql_local postgres -tAc 'SHOW max_slot_wal_keep_size')" = "-1" ]; then
    psql_local postgres -qc "ALTER SYSTEM SET max_slot_wal_keep_size = '${REPLICA_WAL_KEEP:-2GB}'" \
      -c "SELECT pg_reload_conf()" >/dev/null
  fi
  # A copy that can no longer follow is made again: of a cluster since re-initialised (another
  # system identifier), or whose slot lost WAL it needed while it was stopped.
  if [ -f "$data/PG_VERSION" ]; then
    local lost ours theirs
    lost="$(psql_local postgres -tAc "SELECT wal_status FROM pg_replication_slots
      WHERE slot_name = '$slot'")"
    ours="$(as_pg "$PG_BIN/pg_controldata" -D "$(pg_base)/data" | grep 'system identifier')"
    theirs="$(as_pg "$PG_BIN/pg_controldata" -D "$data" | grep 'system identifier')"
    if [ "$lost" = lost ] || [ -z "$lost" ] || [ "$ours" != "$theirs" ]; then
      log "replica $n cannot follow the primary any more (slot: ${lost:-none}): copying it again"
      remove_replica "$n"
    fi
  fi
  if [ ! -f "$data/PG_VERSION" ]; then
    log "copying the cluster into replica $n ($data, slot $slot)"
    psql_local postgres -qAtc "SELECT pg_create_physical_replication_slot('$slot', true)
      WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = '$slot')" >/dev/null
    as_pg rm -rf "$data"
    as_pg mkdir -p "$data" "$sock" "$base/log"
    as_pg chmod 700 "$data" "$sock"
    # -R writes primary_conninfo + primary_slot_name and standby.signal: it starts as a standby.
    as_pg "$PG_BIN/pg_basebackup" -h "$primary_sock" -U "$(pg_user)" -D "$data" \
      -R -S "$slot" -X stream -c fast
    # Later lines win over the primary's settings copied with the data.
    cat <<CONF | as_pg tee -a "$data/postgresql.conf" >/dev/null
# --- innspillsbank read replica $n (scripts/lib/common.sh) ---
port = $port
unix_socket_directories = '$sock'
shared_buffers = ${REPLICA_SHARED_BUFFERS:-256MB}
hot_standby = on
# Long reads (exports) are not cancelled by the primary's vacuum; the price is that the primary
# keeps row versions a replica's open query still sees (docs/deploy.md, "Read replicas").
hot_standby_feedback = on
CONF
  fi
  if ! replica_running "$n"; then
    log "starting replica $n (socket $sock, port $port)"
    as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$base/log/postgres.log" -w -t 120 start >/dev/null \
      || { tail -n 30 "$base/log/postgres.log" >&2; die "replica $n did not start"; }
  fi
  local i state=""
  for i in $(seq 120); do
    state="$(psql -X -h "$sock" -p "$port" -U "$(pg_user)" -d postgres -tAc \
      "SELECT pg_is_in_recovery() AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver
       WHERE status = 'streaming')" 2>/dev/null || true)"
    [ "$state" = t ] && break
    sleep 0.5
  done
  [ "$state" = t ] || { tail -n 30 "$base/log/postgres.log" >&2; die "replica $n is not streaming"; }
}

stop_replica() {
  local data; data="$(replica_dir "${1:-1}")/data"
  if replica_running "${1:-1}"; then as_pg "$PG_BIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null; fi
}

# remove_replica N: stop it, delete its copy and drop its slot (the primary keeps no WAL for it).
remove_replica() {
  local n="${1:-1}"
  stop_replica "$n"
  as_pg rm -rf "$(replica_dir "$n")"
  PG_SOCK="$(pg_base)/run"
  psql_local postgres -qAtc "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots
    WHERE slot_name = 'innspillsbank_replica_$n'" >/dev/null
}

manage() { "$PY" "$ROOT/manage.py" "$@"; }

# A local, never-committed secret for this checkout; production sets SECRET_KEY itself.
ensure_local_secret() {
  if [ -z "${SECRET_KEY:-}" ]; then
    [ -f "$ROOT/var/secret_key" ] \
      || "$PY" -c 'import secrets; print(secrets.token_urlsafe(50))' > "$ROOT/var/secret_key"
    SECRET_KEY="$(cat "$ROOT/var/secret_key")"
    export SECRET_KEY
  fi
}

# Translations are compiled here, never committed as binaries.
compile_messages() {
  # Only when catalogs exist (compilemessages refuses to run without any locale folder).
  if find "$ROOT/inputbank" "$ROOT/maps" -name '*.po' -print -quit 2>/dev/null | grep -q .; then
    (cd "$ROOT" && "$PY" manage.py compilemessages -v 0 --ignore '.venv/*' --ignore 'var/*')
  fi
}

setup_all() {
  local want_browser="${1:-no}"
  ensure_system_packages "$want_browser"
  ensure_venv
  ensure_cluster
}
