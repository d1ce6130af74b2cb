#!/usr/bin/env bash
# Runs every fuzz target (or the ones named) for a bounded time each.
#
#   fuzz/run.sh                 # every target, 20 s each
#   FUZZ_SECONDS=300 fuzz/run.sh rdf_body validate
#
# cargo-fuzz needs a nightly compiler; RUSTC_BOOTSTRAP=1 lets the stable one build with the
# nightly flags it passes (-Zsanitizer). The fuzz crate depends on Agora without default
# features, so RocksDB is never built here. The build and the working corpora live outside the
# clone ($HOME/.cache/agora); the seeds come from fixtures/ and fuzz/seeds/. A crash leaves its
# input in fuzz/artifacts/<target>/ and makes this script fail.
set -euo pipefail
cd "$(dirname "$0")"

seconds="${FUZZ_SECONDS:-20}"
cache="${AGORA_CACHE:-$HOME/.cache/agora}"
export CARGO_TARGET_DIR="${AGORA_FUZZ_TARGET_DIR:-$cache/fuzz-target}"
export RUSTC_BOOTSTRAP=1
corpora="$cache/fuzz-corpus"
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(rdf_body sparql_query validate http_request kaleidos_delta)
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi

# Seeds: fixtures with the format byte the targets expect in front, plus fuzz/seeds/<target>.
seed() { # target file prefix-byte
  local dir="$corpora/$1"
  mkdir -p "$dir"
  { printf "\\x$3"; cat "$2"; } >"$dir/seed-$(basename "$2")-$3"
}
for file in ../fixtures/valid/*.ttl ../fixtures/invalid/*.ttl; do
  seed rdf_body "$file" 00
  seed validate "$file" 00
done
for file in ../fixtures/demo/*.trig ../fixtures/demo/*.nq; do
  [ -e "$file" ] || continue
  seed rdf_body "$file" 01
  seed validate "$file" 01
done
for file in ../queries/*.rq; do
  mkdir -p "$corpora/sparql_query"
  cp "$file" "$corpora/sparql_query/seed-$(basename "$file")"
done
for target in sparql_query http_request kaleidos_delta; do
  mkdir -p "$corpora/$target"
  cp seeds/"$target"/* "$corpora/$target/" 2>/dev/null || true
done

# One build for every target: without ASan (Agora forbids unsafe code; the sanitizer would
# only slow the run), with libFuzzer's coverage and debug assertions.
cargo fuzz build --sanitizer none
status=0
log="$(mktemp)"
for target in "${targets[@]}"; do
  echo "== fuzz $target for $seconds s"
  # -timeout: one input taking longer than 10 s is a hang; -rss_limit_mb: a blow-up.
  if cargo fuzz run --sanitizer none "$target" "$corpora/$target" -- \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=3072 -print_final_stats=1 \
      >"$log" 2>&1; then
    grep -E "^stat::(number_of_executed_units|peak_rss_mb)|^Done" "$log" || true
  else
    tail -40 "$log"
    echo "!! $target failed: the input is in fuzz/artifacts/$target/"
    status=1
  fi
done
rm -f "$log"
exit $status
