#!/usr/bin/env bash
# Sourced by test.sh and bench.sh: `postgres_start` runs a throw-away PostgreSQL from
# Debian's binaries (initdb into a temporary directory, a free port on 127.0.0.1, no
# fsync: nothing in it outlives the run) and exports TESSERA_TEST_DATABASE_URL;
# `postgres_stop` (also run at exit) stops it and removes the directory.
# initdb refuses to run as root, so as root the cluster belongs to the postgres user.

postgres_start() {
  local bin
  bin=$(compgen -G "/usr/lib/postgresql/*/bin" | sort -V | tail -1)
  [[ -x $bin/initdb ]] || { echo "PostgreSQL is not installed (scripts/setup.sh installs it)" >&2; return 1; }
  PG_BIN=$bin
  PG_DIR=$(mktemp -d /tmp/tessera-pg.XXXXXX)
  PG_AS=()
  if [[ $(id -u) == 0 ]]; then
    chown postgres: "$PG_DIR"
    PG_AS=(runuser -u postgres --)
  fi
  local port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "${PG_AS[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres >"$PG_DIR/initdb.log"
  "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w start \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_DIR -c fsync=off -c max_connections=400" >/dev/null
  trap postgres_stop EXIT
  export TESSERA_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
  echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

postgres_stop() {
  [[ -n ${PG_DIR:-} && -d $PG_DIR ]] || return 0
  "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  PG_DIR=
  unset TESSERA_TEST_DATABASE_URL
}
