# HTTP rows: wrk against the check and the creation endpoints of the bare Kestrel anchor app and of Backcall,
# with the same settings. The check is measured in rounds that alternate the two servers, both running, so a
# slow or fast moment of the machine falls on both: measured minutes apart, the anchor alone moved from 39,000
# to 55,000 req/s between runs of one build (BENCHMARKS.md, "Latest results").

# wrk_to FILE SECONDS URL [LUA]: one wrk run with the bench's settings, its output in FILE (shown on failure).
wrk_to() {
  local out=$1 seconds=$2 url=$3 script=${4:-} args=("${WRK_ARGS[@]}" --latency --timeout 5s)
  [ -z "$script" ] || args+=(-s "$script")
  timeout 120 wrk "${args[@]}" -d "${seconds}s" "$url" >"$out" 2>&1 || { cat "$out" >&2; return 1; }
}

# wrk_once NAME URL [LUA]: one measured wrk run; sets WRK_RPS, WRK_P99_MS, WRK_ERRORS (non-2xx answers plus
# socket errors).
wrk_once() {
  local out="$WORK/wrk-$1.txt"
  wrk_to "$out" "$WRK_SECONDS" "$2" "${3:-}" || die "wrk $1 failed"
  WRK_RPS=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
  WRK_P99_MS=$(awk '$1 == "99%" { v = $2; u = v; gsub(/[0-9.]/, "", u); gsub(/[a-z]/, "", v);
    f = (u == "us") ? 0.001 : (u == "s") ? 1000 : (u == "m") ? 60000 : 1; printf "%.3f", v * f }' "$out")
  WRK_ERRORS=$(awk '/^Non-2xx/ { n += $NF } /Socket errors/ { for (i = 3; i <= NF; i += 2) { gsub(/,/, "", $(i + 1)); n += $(i + 1) } } END { print n + 0 }' "$out")
  log "wrk $1: $WRK_RPS req/s, p99 $WRK_P99_MS ms, $WRK_ERRORS errors"
}

# wrk_warm NAME URL [LUA]: the warm-up run (JIT tiers, connection pools, caches), with other phones when the
# script creates.
wrk_warm() {
  (export PHONE_BASE=$((${PHONE_BASE:-9160000000} + 5000000))
   wrk_to "$WORK/wrk-$1.txt.warmup" "$WARMUP_SECONDS" "$2" "${3:-}") || die "wrk $1 (warm-up) failed"
}

# run_wrk NAME URL [LUA]: a warm-up, then one measured run.
run_wrk() {
  wrk_warm "$@"
  wrk_once "$@"
}

# median N...: the middle value (the mean of the two middle ones for an even count).
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# errors_note N: a warning beside a figure that counted failed requests (the figure is then not comparable).
errors_note() { [ "${1:-0}" = 0 ] || echo " ($1 errors)"; }

# start_bare: the anchor app on a free port (BARE_URL).
start_bare() {
  local logfile="$WORK/bare.log" line
  (export DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production
   exec "$BARE" --urls http://127.0.0.1:0 --Database "$WORK/bare.db") >"$logfile" 2>&1 &
  PIDS[bare]=$!
  line=$(wait_for_line "$logfile" '^bare-kestrel: listening on ' 60 "${PIDS[bare]}")
  BARE_URL=${line#bare-kestrel: listening on }
}

# bench_http_anchor: the anchor app's durable creation, on an otherwise idle machine.
bench_http_anchor() {
  start_bare
  export BENCH_TOKEN=bench PHONE_BASE=9160000000
  run_wrk anchor-create "$BARE_URL/" "$BENCH/wrk/create.lua"
  A_CREATE_RPS=$WRK_RPS A_CREATE_P99=$WRK_P99_MS A_CREATE_ERR=$WRK_ERRORS
  stop_pid bare
}

# bench_http_check: both warmed up, then CHECK_ROUNDS rounds of the anchor's check and Backcall's, each
# WRK_SECONDS; the rows give each side's median round and the median of the rounds' ratios.
bench_http_check() {
  local anchor_url r
  local url="$BC_URL/api/v1/authcalls/$TOKEN/reverse_auth_phone_check/$CHECK_ID"
  local rps=() a_rps=() p99=() a_p99=() rps_ratio=() p99_ratio=() errors=0 a_errors=0
  start_bare
  anchor_url="$BARE_URL/api/v1/authcalls/bench/reverse_auth_phone_check/100001"
  wrk_warm anchor-check "$anchor_url"
  wrk_warm check "$url"
  for ((r = 1; r <= CHECK_ROUNDS; r++)); do
    wrk_once "anchor-check-$r" "$anchor_url"
    a_rps+=("$WRK_RPS") a_p99+=("$WRK_P99_MS") a_errors=$((a_errors + WRK_ERRORS))
    wrk_once "check-$r" "$url"
    rps+=("$WRK_RPS") p99+=("$WRK_P99_MS") errors=$((errors + WRK_ERRORS))
    rps_ratio+=("$(awk -v a="$WRK_RPS" -v b="${a_rps[-1]}" 'BEGIN { print a / b }')")
    p99_ratio+=("$(awk -v a="$WRK_P99_MS" -v b="${a_p99[-1]}" 'BEGIN { print a / b }')")
  done
  grep -q '"status":"pending"' <(curl -s "$url") || die "the check of $CHECK_ID is not a pending answer"
  local rounds="$CHECK_ROUNDS alternating rounds of wrk ${WRK_ARGS[*]} -d${WRK_SECONDS}s"
  log "check rounds: Backcall ${rps[*]} req/s, anchor ${a_rps[*]} req/s"
  add_row "check: throughput (pending id; $rounds, each side's median round)" \
    "$(num "$(median "${rps[@]}")") req/s$(errors_note "$errors")" \
    "$(num "$(median "${a_rps[@]}")") req/s bare Kestrel$(errors_note "$a_errors")" \
    "$(ratio "$(median "${rps_ratio[@]}")" 1) (median of the rounds' ratios)" "≥ 0.85×"
  add_row "check: p99 latency" "$(num "$(median "${p99[@]}")") ms" "$(num "$(median "${a_p99[@]}")") ms bare Kestrel" \
    "$(ratio "$(median "${p99_ratio[@]}")" 1)" "≤ 1.5×"
  stop_pid bare
}

bench_http_backcall() {
  bench_http_check
  export BENCH_TOKEN=$TOKEN PHONE_BASE=9170000000
  run_wrk create "$BC_URL/" "$BENCH/wrk/create.lua"
  add_row "create (durable, new phone each): throughput" "$(num "$WRK_RPS") req/s$(errors_note "$WRK_ERRORS")" \
    "$(num "$A_CREATE_RPS") req/s bare SQLite insert$(errors_note "$A_CREATE_ERR")" "$(ratio "$WRK_RPS" "$A_CREATE_RPS")" "—"
  add_row "create: p99 latency" "$(num "$WRK_P99_MS") ms" "$(num "$A_CREATE_P99") ms bare SQLite insert" "$(ratio "$WRK_P99_MS" "$A_CREATE_P99")" "—"
}
