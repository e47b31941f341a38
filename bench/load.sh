#!/usr/bin/env bash
# API under load: starts a release `rapportd` on a fresh demo database on
# 127.0.0.1, drives it with wrk (Debian's package, installed when missing)
# and prints, per call, requests/s, latency percentiles and the server's
# CPU time per request (user + system, read from /proc/PID/stat).
#
#   bench/load.sh            # 10 s per call, 64 connections (the figures in BENCHMARKS.md)
#   bench/load.sh --quick    # 1 s per call, 8 connections (CI: keeps it working)
#   SCALE=1 bench/load.sh    # on `rapportd seed --scale` data (1,000,000 RFCs) instead
#                            # of the demo: prints the seeding time, the queue page's
#                            # query plan and one-connection runs of the queue and `q`
#                            # (every run ends with the server's resident memory)
#
# Environment: RAPPORTD (a built binary; default: cargo build --release),
# DURATION, CONNECTIONS, RUST_LOG (default warn: request lines cost CPU);
# with SCALE=1 the sizes SCALE_CUSTOMERS (10000), SCALE_CONTACTS (50000),
# SCALE_RFCS (1000000), SCALE_RESPONSES (200000), SCALE_MEETINGS (50000).
set -euo pipefail
cd "$(dirname "$0")/.."

duration=${DURATION:-10}
connections=${CONNECTIONS:-64}
if [[ "${1:-}" == "--quick" ]]; then
  duration=1
  connections=8
fi

if ! command -v wrk >/dev/null 2>&1; then
  (apt-get update -qq && apt-get install -y -qq wrk) >/dev/null 2>&1 || {
    echo "bench/load.sh: wrk is missing and could not be installed" >&2
    exit 1
  }
fi
if [[ -z "${RAPPORTD:-}" ]]; then
  cargo build --release -q -p rapport-server --bin rapportd
  RAPPORTD="${CARGO_TARGET_DIR:-target}/release/rapportd"
fi

work=$(mktemp -d)
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

db="$work/rapport.db"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
if [[ -n "${SCALE:-}" ]]; then
  seed_started=$(date +%s.%N)
  "$RAPPORTD" --db "$db" seed --scale --seed 1 \
    --customers "${SCALE_CUSTOMERS:-10000}" --contacts "${SCALE_CONTACTS:-50000}" \
    --rfcs "${SCALE_RFCS:-1000000}" --responses "${SCALE_RESPONSES:-200000}" \
    --meetings "${SCALE_MEETINGS:-50000}"
  python3 -c "import sys; print(f'seeding: {float(sys.argv[2]) - float(sys.argv[1]):.1f} s wall')" "$seed_started" "$(date +%s.%N)"
  ls -l "$db" | awk '{printf "database: %.0f MB\n", $5 / 1e6}'
  # The queue page's plan, as the server runs it (SQLite's EXPLAIN QUERY PLAN).
  python3 - "$db" <<'PY'
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
sql = ("SELECT id, version, created_ns, updated_ns, fields, priority_rank FROM rfcs "
       "WHERE status = ? ORDER BY priority_rank, id LIMIT ?")
print("queue page plan:", "; ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, ("new", 51))))
PY
else
  "$RAPPORTD" --db "$db" seed --demo >/dev/null
fi
token=$("$RAPPORTD" --db "$db" token create --name bench --permission admin 2>/dev/null)
RUST_LOG=${RUST_LOG:-warn} "$RAPPORTD" --db "$db" serve --listen "127.0.0.1:$port" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 100); do
  curl -fs "$base/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done

auth="Authorization: Bearer $token"
customer=$(curl -fs -H "$auth" "$base/api/v1/customers?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')

# CPU ticks (user + system) of the server so far.
ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }
hz=$(getconf CLK_TCK)

# Every run reports its 99.9th percentile (wrk's --latency stops at 99).
cat >"$work/stats.lua" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("p999 %.2fms\n", latency:percentile(99.9) / 1000))
end
LUA
cat "$work/stats.lua" >"$work/post.lua"
cat >>"$work/post.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $token"
wrk.body = '{"customer_id":"$customer","title":"Load test request"}'
LUA

# The 90/10 mix: nine reads (the queue page, an RFC's customer) to one durable create.
cat "$work/stats.lua" >"$work/mixed.lua"
cat >>"$work/mixed.lua" <<LUA
local n = 0
local auth = {["Authorization"] = "Bearer $token"}
local post = {["Authorization"] = "Bearer $token", ["Content-Type"] = "application/json"}
request = function()
  n = n + 1
  if n % 10 == 0 then
    return wrk.format("POST", "/api/v1/rfcs", post, '{"customer_id":"$customer","title":"Load test request"}')
  elseif n % 2 == 0 then
    return wrk.format("GET", "/api/v1/customers/$customer", auth)
  end
  return wrk.format("GET", "/api/v1/rfcs?status=new&sort=priority&limit=50", auth)
end
LUA

printf '| call | requests/s | p50 | p99 | p99.9 | server CPU per request |\n|---|---|---|---|---|---|\n'
run() {
  local name=$1 path=$2; shift 2
  local before after
  before=$(ticks)
  local out
  local script="$work/stats.lua"
  if [[ "${1:-}" == "-s" ]]; then script=$2; shift 2; fi
  out=$(wrk -t1 -c"$connections" -d"${duration}s" --latency -s "$script" "$@" "$base$path")
  after=$(ticks)
  python3 - "$name" "$before" "$after" "$hz" <<PY "$out"
import re, sys
name, before, after, hz = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
out = sys.argv[5]
def latency(p):
    m = re.search(r"^\s*%s%%\s+(\S+)" % re.escape(p), out, re.M)
    return m.group(1) if m else "-"
reqs = re.search(r"^\s*(\d+) requests in", out, re.M)
rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
n = int(reqs.group(1)) if reqs else 0
p999 = re.search(r"^p999 (\S+)", out, re.M)
failed = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
if failed or n == 0:
    sys.exit(f"bench/load.sh: {name}: {failed.group(1) + ' failed answers' if failed else 'no answers'}\n{out}")
cpu = (after - before) / hz / n * 1e6 if n else float("nan")
print(f"| {name} | {float(rate.group(1)) if rate else 0:,.0f} | {latency('50')} | {latency('99')} | {p999.group(1) if p999 else '-'} | {cpu:.1f} µs |")
PY
}
run "GET /healthz" /healthz
run "GET /api/v1/customers/{id}" "/api/v1/customers/$customer" -H "$auth"
run "GET /api/v1/me" /api/v1/me -H "$auth"
run "queue page (status=new, sort=priority, limit=50)" "/api/v1/rfcs?status=new&sort=priority&limit=50" -H "$auth"
run "q search (rfcs?q=vpn)" "/api/v1/rfcs?q=vpn" -H "$auth"
run "POST /api/v1/rfcs (durable)" /api/v1/rfcs -s "$work/post.lua"
run "90/10 mix (queue page, customer; durable create)" / -s "$work/mixed.lua"
if [[ -n "${SCALE:-}" ]]; then
  # One connection: the latency a single user sees, at size.
  connections=1
  run "queue page, 1 connection" "/api/v1/rfcs?status=new&sort=priority&limit=50" -H "$auth"
  run "q hit (rfcs?q=vpn), 1 connection" "/api/v1/rfcs?q=vpn" -H "$auth"
  run "q miss (rfcs?q=zqxw), 1 connection" "/api/v1/rfcs?q=zqxw" -H "$auth"
  run "q hit, customers (customers?q=registry), 1 connection" "/api/v1/customers?q=registry" -H "$auth"
fi
# The server's resident memory: now and its peak over every run above.
awk '/^VmRSS|^VmHWM/ {printf "server %s %.0f MiB\n", $1, $2 / 1024}' "/proc/$server_pid/status"
