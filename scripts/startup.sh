#!/usr/bin/env bash
# Measures how long the server takes from start to ready (/health/ready answers 200) and its resident memory once idle,
# on a fresh SQLite data dir, without and with --demo. Runs the built server directly (no `dotnet run` build step):
#
#   scripts/startup.sh            # builds Release first
#   PC_STARTUP_RUNS=3 scripts/startup.sh
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet build src/PartnerCenter.Server -c Release >/dev/null
SERVER_DLL="$REPO_ROOT/src/PartnerCenter.Server/bin/Release/net10.0/PartnerCenter.Server.dll"
PORT=${PC_STARTUP_PORT:-5399}
RUNS=${PC_STARTUP_RUNS:-1}

measure() {
  local label=$1; shift
  local dir pid start ready_ms rss i
  for i in $(seq 1 "$RUNS"); do
    dir=$(mktemp -d)
    start=$(date +%s%N)
    dotnet "$SERVER_DLL" --urls "http://127.0.0.1:$PORT" --data-dir "$dir" "$@" >"$dir/server.log" 2>&1 &
    pid=$!
    until [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/health/ready" || true)" == 200 ]]; do
      kill -0 "$pid" 2>/dev/null || { echo "the server exited:"; cat "$dir/server.log"; exit 1; }
      sleep 0.05
    done
    ready_ms=$(( ($(date +%s%N) - start) / 1000000 ))
    sleep 10 # idle: the first job tick and the warm-up are over
    rss=$(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid/status")
    kill "$pid"; wait "$pid" 2>/dev/null || true
    rm -rf "$dir"
    printf '%-14s run %d: ready in %5d ms, %4d MiB resident when idle\n' "$label" "$i" "$ready_ms" "$rss"
  done
}

command -v curl >/dev/null || { echo "curl is needed (apt-get install curl)"; exit 1; }
measure "without demo"
measure "with --demo" --demo
