# shellcheck shell=bash
# Shared by scripts/test.sh and scripts/bench.sh (sourced, not run): logging, root helpers, a free loopback port, and a
# throwaway PostgreSQL cluster in a temp dir. Callers set a cleanup trap that calls stop_postgres.

PG_ROOT=""    # throwaway cluster: data/, socket, logs
PG_BIN=""
PG_PORT=""

log() { printf '\n==> %s\n' "$*" >&2; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }

is_root() { [[ "$(id -u)" == 0 ]]; }

as_root() {
  if is_root; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"
  else warn "not root and no sudo: cannot run '$*'"; return 1
  fi
}

# PostgreSQL refuses to run as root, so the cluster belongs to 'postgres' when we are root.
as_postgres() {
  if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

# A TCP port on loopback that nothing listens on (bash-only: no python/ss needed).
free_port() {
  local port _
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

# The newest installed PostgreSQL's bin directory (several majors may be installed).
postgres_bin_dir() {
  local dir newest=""
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -x "$dir/initdb" ]] && newest=$(printf '%s\n%s\n' "$newest" "$dir" | sort -V | tail -n 1)
  done
  [[ -n "$newest" ]] && echo "$newest"
}

# start_postgres [SERVER OPTIONS...]: initdb and start a cluster on a free loopback port; sets PG_ROOT, PG_BIN, PG_PORT.
start_postgres() {
  PG_BIN=$(postgres_bin_dir || true)
  [[ -n "$PG_BIN" ]] || { warn "PostgreSQL binaries not found under /usr/lib/postgresql"; return 1; }
  PG_PORT=$(free_port) || { warn "no free port for PostgreSQL"; return 1; }
  PG_ROOT=$(mktemp -d)
  is_root && chown postgres:postgres "$PG_ROOT"

  log "Starting PostgreSQL ($PG_BIN) on 127.0.0.1:$PG_PORT"
  if ! as_postgres "$PG_BIN/initdb" -D "$PG_ROOT/data" -A trust -U postgres >"$PG_ROOT/initdb.log" 2>&1; then
    cat "$PG_ROOT/initdb.log" >&2
    warn "initdb failed"
    return 1
  fi
  if ! as_postgres "$PG_BIN/pg_ctl" -D "$PG_ROOT/data" -l "$PG_ROOT/postgres.log" \
      -o "-p $PG_PORT -k $PG_ROOT -c listen_addresses=127.0.0.1 $*" -w start >/dev/null; then
    cat "$PG_ROOT/postgres.log" >&2 || true
    warn "PostgreSQL did not start"
    return 1
  fi
}

stop_postgres() {
  if [[ -n "$PG_ROOT" && -f "$PG_ROOT/data/postmaster.pid" ]]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_ROOT/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  [[ -n "$PG_ROOT" ]] && rm -rf "$PG_ROOT"
  return 0
}
