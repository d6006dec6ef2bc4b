#!/usr/bin/env bash
# Starts (or reuses) a throwaway PostgreSQL for the storage tests and prints the environment they read.
#
#   eval "$(.ci/postgres.sh)"      # installs Debian's postgresql if missing, starts the cluster
#   .ci/postgres.sh stop           # stops it (the data stays until /tmp is cleared)
#
# The cluster lives in $PORTCULLIS_PG_DIR (default /tmp/portcullis-pg), listens on 127.0.0.1 only, on
# the first free port from $PORTCULLIS_PG_PORT (default 55432), and has a role and database
# "portcullis" with a random password kept in the cluster directory. Only the export lines go to
# stdout; every log line goes to stderr. Running it again is safe: it reuses what is already there.
set -euo pipefail

BASE_DIR="${PORTCULLIS_PG_DIR:-/tmp/portcullis-pg}"
DATA_DIR="$BASE_DIR/data"
SOCKET_DIR="$BASE_DIR/socket"
LOG_FILE="$BASE_DIR/postgres.log"
PASSWORD_FILE="$BASE_DIR/password"
FIRST_PORT="${PORTCULLIS_PG_PORT:-55432}"
DB_NAME=portcullis
DB_USER=portcullis

log() { echo "postgres.sh: $*" >&2; }

# Runs a command as the cluster owner: the postgres system user when we are root, else ourselves.
as_owner() {
  if [[ $EUID -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

find_bin_dir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [[ -n "$dir" && -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/postgres" ]]; then
    echo "$dir"
  fi
}

install_postgres() {
  if [[ -n "$(find_bin_dir)" ]]; then
    return
  fi
  if [[ $EUID -ne 0 ]]; then
    log "PostgreSQL is not installed and we are not root: run 'apt-get install -y postgresql' first"
    exit 1
  fi
  log "installing Debian's postgresql package"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2
  apt-get install -y postgresql >&2
  if [[ -z "$(find_bin_dir)" ]]; then
    log "postgresql was installed but no /usr/lib/postgresql/*/bin/initdb was found"
    exit 1
  fi
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
  local port
  for ((port = FIRST_PORT; port < FIRST_PORT + 100; port++)); do
    if ! port_in_use "$port"; then
      echo "$port"
      return
    fi
  done
  log "no free port in $FIRST_PORT..$((FIRST_PORT + 99))"
  exit 1
}

running() {
  as_owner "$BIN/pg_ctl" status -D "$DATA_DIR" >/dev/null 2>&1
}

# The port of the running cluster, read back from the server itself.
running_port() {
  head -n 4 "$DATA_DIR/postmaster.pid" | tail -n 1
}

init_cluster() {
  mkdir -p "$BASE_DIR" "$SOCKET_DIR"
  if [[ ! -s "$PASSWORD_FILE" ]]; then
    (umask 077 && od -An -tx1 -N24 /dev/urandom | tr -d ' \n' >"$PASSWORD_FILE")
  fi
  if [[ $EUID -eq 0 ]]; then
    chown -R postgres:postgres "$BASE_DIR"
  fi
  chmod 700 "$BASE_DIR"
  if [[ ! -f "$DATA_DIR/PG_VERSION" ]]; then
    log "creating a cluster in $DATA_DIR"
    # A natural-language default collation (ICU en-US, as many production databases have) keeps the
    # tests honest about key order: the store must not depend on the database's collation.
    local locale_args=(--locale=C.UTF-8)
    if "$BIN/initdb" --help | grep -q -- --locale-provider; then
      locale_args+=(--locale-provider=icu --icu-locale=en-US)
    fi
    as_owner "$BIN/initdb" -D "$DATA_DIR" -U postgres --encoding=UTF8 "${locale_args[@]}" \
      --auth-local=peer --auth-host=scram-sha-256 >&2
  fi
}

start_cluster() {
  if running; then
    PORT=$(running_port)
    log "reusing the cluster already running on 127.0.0.1:$PORT"
    return
  fi
  # A server that died leaves its pid file behind; pg_ctl start copes with a stale one by itself.
  PORT=$(free_port)
  log "starting PostgreSQL on 127.0.0.1:$PORT (log: $LOG_FILE)"
  as_owner "$BIN/pg_ctl" start -D "$DATA_DIR" -l "$LOG_FILE" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $SOCKET_DIR" >&2
}

wait_ready() {
  local i
  for ((i = 0; i < 60; i++)); do
    if as_owner "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT"; then
      return
    fi
    sleep 1
  done
  log "PostgreSQL did not accept connections on 127.0.0.1:$PORT within 60 s; see $LOG_FILE"
  exit 1
}

create_role_and_database() {
  local password
  password=$(cat "$PASSWORD_FILE")
  as_owner "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCKET_DIR" -p "$PORT" -U postgres -d postgres \
    -v user="$DB_USER" -v password="$password" >&2 <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'user')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user') \gexec
ALTER ROLE :"user" WITH LOGIN PASSWORD :'password';
SQL
  as_owner "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$SOCKET_DIR" -p "$PORT" -U postgres -d postgres \
    -v user="$DB_USER" -v db="$DB_NAME" >&2 <<'SQL'
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'user')
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'db') \gexec
SQL
}

BIN=""
if [[ "${1:-start}" == "stop" ]]; then
  BIN=$(find_bin_dir)
  if [[ -n "$BIN" && -f "$DATA_DIR/PG_VERSION" ]] && running; then
    as_owner "$BIN/pg_ctl" stop -D "$DATA_DIR" -m fast -w >&2
  fi
  exit 0
fi

install_postgres
BIN=$(find_bin_dir)
init_cluster
start_cluster
wait_ready
create_role_and_database

echo "export PORTCULLIS_TEST_POSTGRES_URL='jdbc:postgresql://127.0.0.1:$PORT/$DB_NAME'"
echo "export PORTCULLIS_TEST_POSTGRES_USER='$DB_USER'"
echo "export PORTCULLIS_TEST_POSTGRES_PASSWORD='$(cat "$PASSWORD_FILE")'"
