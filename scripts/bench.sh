#!/usr/bin/env bash
# The budget-consumption benchmark on SQLite and PostgreSQL (bench/PartnerCenter.Bench; see ../shared/benchmarks.md):
# starts a throwaway PostgreSQL as scripts/test.sh does, runs the bench in Release against both databases, and
# cleans up. Never part of the test suite. Extra arguments go to the bench, e.g.:
#
#   scripts/bench.sh --seconds 5 --workers 1,4 --runs 3
#   scripts/bench.sh --mode usage --resources 10000 --hours 720   # pay-per-use ingestion and hourly rating
#   scripts/bench.sh --mode http --workers 1,4,16 --runs 3         # orders over HTTP against the server as a process
#   scripts/bench.sh --mode simulation --steps 1000000 --seed 7    # the seeded simulation of the money paths, run long
#
# PC_BENCH_DB=postgres (or sqlite) runs one database only.
# The cluster keeps PostgreSQL's durable defaults (fsync, synchronous_commit on), as production would run;
# PC_BENCH_PG_OPTS adds server options, e.g. PC_BENCH_PG_OPTS="-c synchronous_commit=off"; PC_BENCH_PG_EXTRA adds
# Npgsql connection-string keywords, e.g. PC_BENCH_PG_EXTRA="Max Auto Prepare=32" (what-if experiments).
# PC_BENCH_SERVER_ENV sets environment variables on the server that --mode http starts, and on it only, e.g.
# PC_BENCH_SERVER_ENV="DOTNET_gcServer=1 DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=70" (the runtime's knobs).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DEBIAN_FRONTEND=noninteractive

# shellcheck source=scripts/lib/common.sh
source "$REPO_ROOT/scripts/lib/common.sh"

# Always stop what we started, even after failures or Ctrl-C.
cleanup() {
  local rc=$?
  stop_postgres
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ensure_postgres() {
  postgres_bin_dir >/dev/null && return 0
  log "Installing postgresql"
  command -v apt-get >/dev/null 2>&1 || { warn "apt-get not available"; return 1; }
  as_root apt-get update -q || warn "apt-get update failed"
  as_root apt-get install -y -q --no-install-recommends postgresql
}

main() {
  ensure_postgres || { warn "cannot install PostgreSQL"; exit 1; }
  # Enough connections for 32 workers' pools; durability left at the defaults (see the header).
  # shellcheck disable=SC2086
  start_postgres -c max_connections=300 ${PC_BENCH_PG_OPTS:-} || exit 1

  log "dotnet build bench/PartnerCenter.Bench -c Release"
  dotnet build bench/PartnerCenter.Bench -c Release -v quiet -nologo >&2

  # The bench creates its own database on this server and drops it afterwards.
  PC_BENCH_PG="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres${PC_BENCH_PG_EXTRA:+;$PC_BENCH_PG_EXTRA}" \
    dotnet run -c Release --no-build --project bench/PartnerCenter.Bench -- --db "${PC_BENCH_DB:-both}" "$@"
}

main "$@"
