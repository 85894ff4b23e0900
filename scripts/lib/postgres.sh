# Throwaway PostgreSQL clusters for tests and benchmarks. PostgreSQL refuses to run as root, so
# as root the cluster runs as the unprivileged `postgres` user (created if missing).
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

pg_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

pg_start_throwaway() {
  if [ ! -x "$PG_BIN/initdb" ]; then
    PG_BIN=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")
  fi
  if [ ! -x "$PG_BIN/initdb" ]; then
    echo "PostgreSQL is not installed (no initdb); .ci/run installs it with apt-get install -y postgresql" >&2
    return 1
  fi
  PG_DIR=$(mktemp -d /tmp/platform-pg.XXXXXX)
  PG_PORT=$(pg_free_port)
  PG_RUN=()
  if [ "$(id -u)" -eq 0 ]; then
    id -u postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    chown postgres "$PG_DIR"
    PG_RUN=(runuser -u postgres --)
  fi
  "${PG_RUN[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U platform_test --auth=trust -E UTF8 --no-instructions >"$PG_DIR/initdb.log"
  "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 start \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >/dev/null
  PG_URL="postgres://platform_test@127.0.0.1:$PG_PORT/postgres?sslmode=disable"
  echo "started throwaway PostgreSQL on 127.0.0.1:$PG_PORT ($PG_DIR)"
}

pg_stop_throwaway() {
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ]; then
    "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
  fi
}

# A streaming replica of the throwaway cluster (pg_basebackup -R, a hot standby on its own free
# port), for reads on a replica. It streams through a replication slot, so that the primary keeps
# the WAL it has not received: the suite's CREATE DATABASEs write WAL faster than a loaded replica
# replays it, and without a slot the primary recycled a segment the replica still needed (it then
# stopped replaying for good). Sets REPLICA_DIR, REPLICA_PORT and REPLICA_URL.
pg_start_replica() {
  REPLICA_DIR="$PG_DIR/replica"
  REPLICA_PORT=$(pg_free_port)
  "${PG_RUN[@]}" "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U platform_test -D "$REPLICA_DIR" \
    -R -X stream -c fast -C -S platform_replica >"$PG_DIR/basebackup.log" 2>&1 || { cat "$PG_DIR/basebackup.log" >&2; return 1; }
  "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -l "$PG_DIR/replica.log" -w -t 60 start \
    -o "-p $REPLICA_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c hot_standby_feedback=on" >/dev/null || return 1
  REPLICA_URL="postgres://platform_test@127.0.0.1:$REPLICA_PORT/postgres?sslmode=disable"
  echo "started a streaming replica on 127.0.0.1:$REPLICA_PORT"
}

pg_stop_replica() {
  if [ -n "${REPLICA_DIR:-}" ] && [ -d "$REPLICA_DIR" ]; then
    "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$REPLICA_DIR" -m fast stop >/dev/null 2>&1 || true
  fi
}
