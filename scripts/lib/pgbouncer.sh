# A throwaway PgBouncer (Debian's 1.18) in transaction mode in front of a throwaway PostgreSQL
# (scripts/lib/postgres.sh, whose PG_PORT, PG_DIR and PG_RUN it uses). Every database of the
# cluster is served (`*`). Under `auth_type = trust` a role must be known: the listed ones, and any
# other (a test's own role) through `auth_query` as the superuser.
# PgBouncer refuses to run as root: as root it runs as the cluster's unprivileged user.

pgbouncer_start_throwaway() {
  if ! command -v pgbouncer >/dev/null; then
    echo "PgBouncer is not installed; .ci/run installs it with apt-get install -y pgbouncer" >&2
    return 1
  fi
  BOUNCER_DIR="$PG_DIR/pgbouncer"
  BOUNCER_PORT=$(pg_free_port)
  mkdir -p "$BOUNCER_DIR"
  printf '"%s" ""\n' platform_test platform_app platform_owner bench >"$BOUNCER_DIR/userlist.txt"
  cat >"$BOUNCER_DIR/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=$PG_PORT

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $BOUNCER_PORT
unix_socket_dir =
auth_type = trust
auth_file = $BOUNCER_DIR/userlist.txt
auth_user = platform_test
auth_query = SELECT usename, passwd FROM pg_catalog.pg_shadow WHERE usename = \$1
pool_mode = transaction
default_pool_size = 10
max_client_conn = 2000
max_db_connections = 40
server_reset_query =
logfile = $BOUNCER_DIR/pgbouncer.log
pidfile = $BOUNCER_DIR/pgbouncer.pid
INI
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres "$BOUNCER_DIR"; fi
  "${PG_RUN[@]}" pgbouncer -d "$BOUNCER_DIR/pgbouncer.ini"
  local ready=no
  for _ in $(seq 1 50); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$BOUNCER_PORT") 2>/dev/null; then ready=yes; break; fi
    sleep 0.1
  done
  if [ "$ready" != yes ]; then
    echo "PgBouncer did not listen on 127.0.0.1:$BOUNCER_PORT within 5 s:" >&2
    tail -n 20 "$BOUNCER_DIR/pgbouncer.log" >&2 || true
    return 1
  fi
  BOUNCER_URL="postgres://platform_test@127.0.0.1:$BOUNCER_PORT/postgres?sslmode=disable"
  echo "started throwaway PgBouncer (transaction mode) on 127.0.0.1:$BOUNCER_PORT"
}

pgbouncer_stop_throwaway() {
  if [ -n "${BOUNCER_DIR:-}" ] && [ -f "$BOUNCER_DIR/pgbouncer.pid" ]; then
    kill "$(cat "$BOUNCER_DIR/pgbouncer.pid")" 2>/dev/null || true
  fi
}
