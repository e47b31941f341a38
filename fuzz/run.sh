#!/usr/bin/env bash
# Runs the afl.rs fuzz targets (fuzz/src/bin/*.rs), each for SECONDS
# seconds (default 20) from its seed corpus (fuzz/corpus/TARGET), then
# prints executions, exec/s, paths (corpus count) and crashes per target.
# Installs cargo-afl from crates.io when missing. Crashes are left in
# $OUT/TARGET/default/crashes: copy each into fuzz/regressions/TARGET/,
# where server/tests/fuzz_corpus.rs replays it.
#
#   fuzz/run.sh                    # every target, 20 s each (CI)
#   SECONDS_PER_TARGET=3600 fuzz/run.sh router   # a long run of one
#   EXECUTIONS=10000000 SECONDS_PER_TARGET=86400 fuzz/run.sh   # 10 million each
#
# Environment: SECONDS_PER_TARGET, EXECUTIONS (stop a target after this
# many), OUT (default: a temporary folder,
# removed at the end unless KEEP=1), CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")"

per_target=${SECONDS_PER_TARGET:-20}
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=(http_head chunked json_body router)

if ! cargo afl --version >/dev/null 2>&1; then
  cargo install --locked cargo-afl@0.18.2
fi
# afl.rs builds AFL++ itself the first time (needs a C compiler and make).
cargo afl config --build >/dev/null 2>&1 || true
cargo afl build --release -q
bin_dir="${CARGO_TARGET_DIR:-target}/release"

out=${OUT:-$(mktemp -d)}
mkdir -p "$out"
cleanup() { [[ "${KEEP:-0}" == 1 ]] || rm -rf "$out"; }
trap cleanup EXIT

# No core-dump handler or CPU governor checks on shared machines; a
# crashing input is what we look for, not the system's settings.
export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_QUIET=1

status=0
printf '| target | executions | exec/s | paths | crashes | hangs |\n|---|---|---|---|---|---|\n'
for target in "${targets[@]}"; do
  # A request through the API writes SQLite: slow on a busy machine, so
  # its time limit is wider (a hang past it is still reported).
  limit=1000
  [[ "$target" == router ]] && limit=5000+
  nice -n 19 cargo afl fuzz -V "$per_target" ${EXECUTIONS:+-E "$EXECUTIONS"} -t "$limit" -i "corpus/$target" -o "$out/$target" \
    "$bin_dir/$target" >"$out/$target.log" 2>&1 || true
  stats="$out/$target/default/fuzzer_stats"
  if [[ ! -f "$stats" ]]; then
    echo "fuzz/run.sh: $target did not start:" >&2
    tail -n 30 "$out/$target.log" >&2
    status=1
    continue
  fi
  get() { awk -F' *: *' -v k="$1" '$1 == k {print $2}' "$stats"; }
  crashes=$(get saved_crashes)
  printf '| %s | %s | %s | %s | %s | %s |\n' "$target" "$(get execs_done)" "$(get execs_per_sec)" \
    "$(get corpus_count)" "$crashes" "$(get saved_hangs)"
  if [[ "${crashes:-0}" != 0 ]]; then
    echo "fuzz/run.sh: $target crashed; inputs:" >&2
    ls "$out/$target/default/crashes" >&2
    [[ "${KEEP:-0}" == 1 ]] || cp -r "$out/$target/default/crashes" "/tmp/rapport-fuzz-crashes-$target"
    status=1
  fi
done
exit $status
