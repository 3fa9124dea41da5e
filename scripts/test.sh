#!/usr/bin/env bash
# The project's test command: builds once, runs every test suite (SQLite and
# PostgreSQL flavours, browser tests, the official Node.js SDK against a live
# server) and ends with one summary line: "N passed, N failed[, N skipped]".
#
# Works on a bare Debian 12 with the .NET 10 SDK: missing system packages are
# installed with apt-get. Set PC_KEEP_TEST_OUTPUT=1 to keep TRX files and logs.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DEBIAN_FRONTEND=noninteractive

CHROMIUM_BIN=/usr/bin/chromium
WORK_DIR="$(mktemp -d)"       # TRX files, logs, scratch HOME, server data
RESULTS_DIR="$WORK_DIR/results"
mkdir -p "$RESULTS_DIR"
SERVER_PID=""

# Per-run results, filled by record_run.
RUN_NAMES=() RUN_PASSED=() RUN_FAILED=() RUN_SKIPPED=() RUN_NOTES=()
ANY_RUN_FAILED=0

# shellcheck source=scripts/lib/common.sh
source "$REPO_ROOT/scripts/lib/common.sh"

# ---------------------------------------------------------------------------
# Cleanup: always stop what we started, even after failures or Ctrl-C.
# ---------------------------------------------------------------------------
cleanup() {
  local rc=$?
  stop_server
  stop_postgres
  [[ "${PC_KEEP_TEST_OUTPUT:-0}" == 1 ]] || rm -rf "$WORK_DIR"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

# HTTP status of GET http://127.0.0.1:PORT/PATH, or nothing if unreachable (no curl on bare Debian).
http_status() {
  local port=$1 path=$2 line
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$path" "$port" >&3
  IFS= read -r -t 5 line <&3 || true
  exec 3<&- 3>&-
  line=${line%$'\r'}
  [[ "$line" == HTTP/* ]] && echo "${line#* }" | cut -d' ' -f1
}

# record_run NAME PASSED FAILED SKIPPED EXIT_CODE [NOTE]
# A non-zero exit always counts as at least one failure, so the summary line
# can never say "0 failed" while the script fails.
record_run() {
  local name=$1 passed=$2 failed=$3 skipped=$4 rc=$5 note=${6:-}
  if [[ "$rc" != 0 ]]; then
    ANY_RUN_FAILED=1
    if [[ "$failed" == 0 ]]; then
      failed=1
      note="${note:+$note; }exit code $rc"
    fi
  fi
  [[ "$failed" != 0 ]] && ANY_RUN_FAILED=1
  RUN_NAMES+=("$name") RUN_PASSED+=("$passed") RUN_FAILED+=("$failed")
  RUN_SKIPPED+=("$skipped") RUN_NOTES+=("$note")
}

# ---------------------------------------------------------------------------
# System packages
# ---------------------------------------------------------------------------

ensure_packages() {
  local missing=()
  postgres_bin_dir >/dev/null || missing+=(postgresql)
  [[ -x "$CHROMIUM_BIN" ]] || missing+=(chromium)
  command -v node >/dev/null 2>&1 || missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  [[ ${#missing[@]} == 0 ]] && return 0

  log "Installing missing packages: ${missing[*]}"
  if ! command -v apt-get >/dev/null 2>&1; then
    warn "apt-get not available; tests needing ${missing[*]} will fail"
    return 0
  fi
  as_root apt-get update -q || warn "apt-get update failed"
  if ! as_root apt-get install -y -q --no-install-recommends "${missing[@]}"; then
    # One unavailable package must not block the others: retry one by one.
    local pkg
    for pkg in "${missing[@]}"; do
      as_root apt-get install -y -q --no-install-recommends "$pkg" \
        || warn "could not install '$pkg'; the tests that need it will fail"
    done
  fi
}

# ---------------------------------------------------------------------------
# Throwaway PostgreSQL
# ---------------------------------------------------------------------------

# ---------------------------------------------------------------------------
# .NET build and test runs
# ---------------------------------------------------------------------------
build_solution() {
  log "dotnet build PartnerCenter.slnx -c Release"
  if ! dotnet build PartnerCenter.slnx -c Release >"$WORK_DIR/build.log" 2>&1; then
    cat "$WORK_DIR/build.log"
    return 1
  fi
  tail -n 3 "$WORK_DIR/build.log"
}

# Attribute value of the TRX <Counters .../> element (0 if absent).
trx_counter() {
  local trx=$1 attr=$2 value
  value=$(grep -o '<Counters [^>]*' "$trx" | grep -o " $attr=\"[0-9]*\"" | grep -o '[0-9]\+' | head -n 1 || true)
  echo "${value:-0}"
}

# run_dotnet_tests RUN_NAME PROJECT_DIR [VAR=value ...]
run_dotnet_tests() {
  local name=$1 dir=$2; shift 2
  local projects=("$dir"/*.csproj) csproj
  csproj=${projects[0]}
  if [[ ! -f "$csproj" ]]; then
    log "Skipping $name: no .csproj in $dir"
    return 0
  fi

  local trx_name="${name//[^A-Za-z0-9_.-]/_}.trx" rc=0
  log "$name: dotnet test $csproj ($*)"
  env "$@" dotnet test "$csproj" -c Release --no-build \
    --logger "trx;LogFileName=$trx_name" --results-directory "$RESULTS_DIR" || rc=$?

  local trx="$RESULTS_DIR/$trx_name"
  if [[ ! -f "$trx" ]]; then
    record_run "$name" 0 0 0 "$rc" "no TRX produced"
    return 0
  fi
  local failed=$(( $(trx_counter "$trx" failed) + $(trx_counter "$trx" error) \
                 + $(trx_counter "$trx" timeout) + $(trx_counter "$trx" aborted) ))
  # xUnit skips show up as total - executed, with notExecuted left at 0.
  local skipped=$(( $(trx_counter "$trx" total) - $(trx_counter "$trx" executed) ))
  (( skipped < $(trx_counter "$trx" notExecuted) )) && skipped=$(trx_counter "$trx" notExecuted)
  record_run "$name" "$(trx_counter "$trx" passed)" "$failed" "$skipped" "$rc"
}

# A run that could not even start (e.g. no PostgreSQL) still shows up as a failure.
fail_run() {
  local name=$1 why=$2
  warn "$name not run: $why"
  record_run "$name" 0 1 0 1 "$why"
}

# ---------------------------------------------------------------------------
# Node.js SDK against a live server
# ---------------------------------------------------------------------------
stop_server() {
  if [[ -n "$SERVER_PID" ]]; then
    # The server runs in its own process group: 'dotnet run' starts the app as a child.
    kill -TERM -- "-$SERVER_PID" 2>/dev/null || true
    local _
    for _ in $(seq 1 20); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.25; done
    kill -KILL -- "-$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}

# start_server PORT DATA_DIR: returns once /health/ready answers 200 (60 s max).
start_server() {
  local port=$1 data_dir=$2 server_log="$WORK_DIR/server.log" _ status
  log "Starting server on 127.0.0.1:$port (--demo)"
  setsid dotnet run -c Release --no-build --project src/PartnerCenter.Server -- \
    --urls "http://127.0.0.1:$port" --data-dir "$data_dir" --demo >"$server_log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 120); do
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      warn "server exited early; its log:"; cat "$server_log" >&2
      SERVER_PID=""
      return 1
    fi
    status=$(http_status "$port" /health/ready 2>/dev/null || true)
    [[ "$status" == 200 ]] && return 0
    sleep 0.5
  done
  warn "server not ready after 60 s (last status: ${status:-none}); its log:"
  cat "$server_log" >&2
  return 1
}

# Value of a "# pass N" style line in node's TAP summary (0 if absent).
tap_counter() {
  local value
  value=$(grep -E "^# $2 [0-9]+$" "$1" | tail -n 1 | grep -o '[0-9]\+' || true)
  echo "${value:-0}"
}

run_node_sdk_tests() {
  local name="sdk-node" dir="$REPO_ROOT/tests/sdk-node"
  if [[ ! -f "$dir/package.json" ]]; then
    log "Skipping $name: no tests/sdk-node/package.json"
    return 0
  fi
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    fail_run "$name" "node/npm not installed"
    return 0
  fi

  local port data_dir="$WORK_DIR/server-data" scratch_home="$WORK_DIR/home"
  mkdir -p "$data_dir" "$scratch_home"
  port=$(free_port) || { fail_run "$name" "no free port for the server"; return 0; }
  start_server "$port" "$data_dir" || { fail_run "$name" "server did not become ready"; return 0; }

  # Scratch HOME: npm's cache and the SDK's ~/.huaweicloud must not touch the real one.
  local install=(npm install --no-audit --no-fund)
  [[ -f "$dir/package-lock.json" ]] && install=(npm ci --no-audit --no-fund)
  log "$name: ${install[*]}"
  if ! (cd "$dir" && HOME="$scratch_home" "${install[@]}"); then
    stop_server
    fail_run "$name" "npm install failed"
    return 0
  fi

  log "$name: node --test"
  local tap="$WORK_DIR/sdk-node.tap" rc=0
  (cd "$dir" && HOME="$scratch_home" PC_API_URL="http://127.0.0.1:$port" \
    PC_DEMO_CREDENTIALS="$data_dir/demo-credentials.json" \
    node --test --test-reporter=tap sdk.test.js) >"$tap" 2>&1 || rc=$?
  cat "$tap"
  if [[ "$rc" != 0 ]]; then
    echo "--- server log (last 100 lines) ---"
    tail -n 100 "$WORK_DIR/server.log" || true
  fi
  stop_server

  local failed=$(( $(tap_counter "$tap" fail) + $(tap_counter "$tap" cancelled) ))
  local skipped=$(( $(tap_counter "$tap" skipped) + $(tap_counter "$tap" todo) ))
  record_run "$name" "$(tap_counter "$tap" pass)" "$failed" "$skipped" "$rc"
}

# ---------------------------------------------------------------------------
# Summary
# ---------------------------------------------------------------------------
print_summary() {
  local total_passed=0 total_failed=0 total_skipped=0 i
  [[ "${PC_KEEP_TEST_OUTPUT:-0}" == 1 ]] && echo "Test output kept in $WORK_DIR"
  log "Summary"
  printf '%-28s %8s %8s %8s  %s\n' RUN PASSED FAILED SKIPPED NOTE
  for i in "${!RUN_NAMES[@]}"; do
    printf '%-28s %8s %8s %8s  %s\n' "${RUN_NAMES[$i]}" "${RUN_PASSED[$i]}" \
      "${RUN_FAILED[$i]}" "${RUN_SKIPPED[$i]}" "${RUN_NOTES[$i]}"
    total_passed=$((total_passed + RUN_PASSED[i]))
    total_failed=$((total_failed + RUN_FAILED[i]))
    total_skipped=$((total_skipped + RUN_SKIPPED[i]))
  done
  printf '%-28s %8s %8s %8s\n' TOTAL "$total_passed" "$total_failed" "$total_skipped"

  [[ "$total_passed" == 0 ]] && ANY_RUN_FAILED=1
  # Must stay the very last line: CI reads it.
  if [[ "$total_skipped" -gt 0 ]]; then
    echo "$total_passed passed, $total_failed failed, $total_skipped skipped"
  else
    echo "$total_passed passed, $total_failed failed"
  fi
}

# ---------------------------------------------------------------------------
main() {
  ensure_packages

  local pg_ok=1
  # fsync off and many connections: speed and parallel test databases matter, durability does not.
  start_postgres -c fsync=off -c max_connections=300 || pg_ok=0
  # Tests create their own databases from this; exported even if PostgreSQL failed so they fail loudly.
  export PC_TEST_PG="Host=127.0.0.1;Port=${PG_PORT:-5432};Username=postgres;Database=postgres"

  if ! build_solution; then
    record_run "build" 0 1 0 1 "dotnet build failed"
    print_summary
    exit 1
  fi

  run_dotnet_tests "Core.Tests (sqlite)" tests/PartnerCenter.Core.Tests PC_TEST_DB=sqlite
  if [[ "$pg_ok" == 1 ]]; then
    run_dotnet_tests "Core.Tests (postgres)" tests/PartnerCenter.Core.Tests PC_TEST_DB=postgres
  else
    fail_run "Core.Tests (postgres)" "PostgreSQL unavailable"
  fi

  run_dotnet_tests "Server.Tests (sqlite)" tests/PartnerCenter.Server.Tests PC_TEST_DB=sqlite
  if [[ "$pg_ok" == 1 ]]; then
    run_dotnet_tests "Server.Tests (postgres)" tests/PartnerCenter.Server.Tests PC_TEST_DB=postgres
  else
    fail_run "Server.Tests (postgres)" "PostgreSQL unavailable"
  fi

  run_dotnet_tests "Browser.Tests (sqlite)" tests/PartnerCenter.Browser.Tests \
    PC_TEST_DB=sqlite PC_CHROMIUM="$CHROMIUM_BIN"

  run_node_sdk_tests

  print_summary
  [[ "$ANY_RUN_FAILED" == 0 ]]
}

main "$@"
