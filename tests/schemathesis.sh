#!/usr/bin/env bash
# API property tests: schemathesis (from PyPI, in a virtual environment)
# runs every check against a real rapportd on a fresh demo database on
# 127.0.0.1, with an admin token, over the OpenAPI document it serves.
# Exits non-zero on any failure of any check. One worker: CPython 3.11's
# parser is not safe for hypothesis' lambda descriptions across threads
# ("AST constructor recursion depth mismatch").
#
#   tests/schemathesis.sh                 # CI: 10 examples per operation, fixed seed
#   SEED=random MAX_EXAMPLES=100 tests/schemathesis.sh  # the long run (TESTING.md)
#
# Environment: RAPPORTD (a built binary; default: the debug build in
# CARGO_TARGET_DIR or target), MAX_EXAMPLES, VENV (default: a venv under
# CARGO_TARGET_DIR or target, kept between runs), SEED (a number, or
# random; default: the fixed seed below).
set -euo pipefail
cd "$(dirname "$0")/.."

# The version this was made green with: a newer one may add checks.
SCHEMATHESIS_VERSION=4.32.5
target=${CARGO_TARGET_DIR:-target}
venv=${VENV:-$target/schemathesis-venv}
max_examples=${MAX_EXAMPLES:-10}

if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
  python3 -m venv "$venv" || {
    (apt-get update -qq && apt-get install -y -qq python3-venv) >/dev/null 2>&1
    python3 -m venv "$venv"
  }
  "$venv/bin/pip" install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
if [[ -z "${RAPPORTD:-}" ]]; then
  cargo build -q -p rapport-server --bin rapportd
  RAPPORTD="$target/debug/rapportd"
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
"$RAPPORTD" --db "$db" seed --demo >/dev/null
token=$("$RAPPORTD" --db "$db" token create --name schemathesis --permission admin 2>/dev/null)
RUST_LOG=${RUST_LOG:-warn} "$RAPPORTD" --db "$db" serve --listen "127.0.0.1:$port" 2>"$work/server.log" &
server_pid=$!
for _ in $(seq 100); do
  curl -fs "$base/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done

# CI's run is the same every time (a fixed seed), so a red run is the
# code's doing and replays exactly; SEED=random explores (the long run).
seed=${SEED:-224610652201285223902166590773200870203}
seed_args=()
[[ "$seed" != random ]] && seed_args=(--seed "$seed")
status=0
"$venv/bin/schemathesis" --config-file tests/schemathesis.toml run "$base/api/v1/openapi.json" \
  -H "Authorization: Bearer $token" \
  --checks all \
  --max-examples "$max_examples" \
  --phases examples,coverage,fuzzing \
  --workers 1 \
  --no-color \
  "${seed_args[@]}" || status=$?
if [[ $status -ne 0 ]]; then
  echo "tests/schemathesis.sh: failures above; the server's log:" >&2
  tail -n 50 "$work/server.log" >&2
fi
exit $status
