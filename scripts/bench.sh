#!/usr/bin/env bash
# The budget-consumption benchmark on SQLite and PostgreSQL (bench/PartnerCenter.Bench; see ../shared/benchmarks.md):
# starts a throwaway PostgreSQL as scripts/test.sh does, runs the bench in Release against both databases, and
# cleans up. Never part of the test suite. Extra arguments go to the bench, e.g.:
#
#   scripts/bench.sh --seconds 5 --workers 1,4 --runs 3
#
# PC_BENCH_DB=postgres (or sqlite) runs one database only.
# The cluster keeps PostgreSQL's durable defaults (fsync, synchronous_commit on), as production would run;
# PC_BENCH_PG_OPTS adds server options, e.g. PC_BENCH_PG_OPTS="-c synchronous_commit=off"; PC_BENCH_PG_EXTRA adds
# Npgsql connection-string keywords, e.g. PC_BENCH_PG_EXTRA="Max Auto Prepare=32" (what-if experiments).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DEBIAN_FRONTEND=noninteractive

PG_ROOT=""    # throwaway cluster: data/, socket, log
PG_BIN=""
PG_PORT=""

log() { printf '\n==> %s\n' "$*" >&2; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }

# Always stop what we started, even after failures or Ctrl-C.
cleanup() {
  local rc=$?
  if [[ -n "$PG_ROOT" && -f "$PG_ROOT/data/postmaster.pid" ]]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_ROOT/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  [[ -n "$PG_ROOT" ]] && rm -rf "$PG_ROOT"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

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

# A TCP port on loopback that nothing listens on (bash-only).
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

# The newest installed PostgreSQL's bin directory.
postgres_bin_dir() {
  local dir newest=""
  for dir in /usr/lib/postgresql/*/bin; do
    [[ -x "$dir/initdb" ]] && newest=$(printf '%s\n%s\n' "$newest" "$dir" | sort -V | tail -n 1)
  done
  [[ -n "$newest" ]] && echo "$newest"
}

ensure_postgres() {
  postgres_bin_dir >/dev/null && return 0
  log "Installing postgresql"
  command -v apt-get >/dev/null 2>&1 || { warn "apt-get not available"; return 1; }
  as_root apt-get update -q || warn "apt-get update failed"
  as_root apt-get install -y -q --no-install-recommends postgresql
}

start_postgres() {
  PG_BIN=$(postgres_bin_dir || true)
  [[ -n "$PG_BIN" ]] || { warn "PostgreSQL binaries not found under /usr/lib/postgresql"; return 1; }
  PG_PORT=$(free_port) || { warn "no free port for PostgreSQL"; return 1; }
  PG_ROOT=$(mktemp -d)
  is_root && chown postgres:postgres "$PG_ROOT"

  log "Starting PostgreSQL ($PG_BIN) on 127.0.0.1:$PG_PORT"
  if ! as_postgres "$PG_BIN/initdb" -D "$PG_ROOT/data" -A trust -U postgres >"$PG_ROOT/initdb.log" 2>&1; then
    cat "$PG_ROOT/initdb.log" >&2
    return 1
  fi
  # Enough connections for 32 workers' pools; durability left at the defaults (see the header).
  if ! as_postgres "$PG_BIN/pg_ctl" -D "$PG_ROOT/data" -l "$PG_ROOT/postgres.log" \
      -o "-p $PG_PORT -k $PG_ROOT -c listen_addresses=127.0.0.1 -c max_connections=300 ${PC_BENCH_PG_OPTS:-}" \
      -w start >/dev/null; then
    cat "$PG_ROOT/postgres.log" >&2 || true
    return 1
  fi
}

main() {
  ensure_postgres || { warn "cannot install PostgreSQL"; exit 1; }
  start_postgres || { warn "PostgreSQL did not start"; exit 1; }

  log "dotnet build bench/PartnerCenter.Bench -c Release"
  dotnet build bench/PartnerCenter.Bench -c Release -v quiet -nologo >&2

  # The bench creates its own database on this server and drops it afterwards.
  PC_BENCH_PG="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres${PC_BENCH_PG_EXTRA:+;$PC_BENCH_PG_EXTRA}" \
    dotnet run -c Release --no-build --project bench/PartnerCenter.Bench -- --db "${PC_BENCH_DB:-both}" "$@"
}

main "$@"
