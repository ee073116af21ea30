# HTTP rows: wrk against the check and the creation endpoints, first on the bare Kestrel anchor app, then
# on Backcall, with the same settings.

# run_wrk NAME URL [LUA]: sets WRK_RPS, WRK_P99_MS, WRK_ERRORS (non-2xx answers plus socket errors).
# A warm-up run first (JIT tiers, connection pools, caches), with other phones when the script creates.
run_wrk() {
  local name=$1 url=$2 script=${3:-} out="$WORK/wrk-$1.txt" args=("${WRK_ARGS[@]}" --latency --timeout 5s)
  [ -z "$script" ] || args+=(-s "$script")
  PHONE_BASE=$((${PHONE_BASE:-9160000000} + 5000000)) timeout 120 wrk "${args[@]}" -d "${WARMUP_SECONDS}s" "$url" >"$out.warmup" 2>&1 \
    || { cat "$out.warmup" >&2; die "wrk $name (warm-up) failed"; }
  timeout 120 wrk "${args[@]}" -d "${WRK_SECONDS}s" "$url" >"$out" 2>&1 || { cat "$out" >&2; die "wrk $name failed"; }
  WRK_RPS=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
  WRK_P99_MS=$(awk '$1 == "99%" { v = $2; u = v; gsub(/[0-9.]/, "", u); gsub(/[a-z]/, "", v);
    f = (u == "us") ? 0.001 : (u == "s") ? 1000 : (u == "m") ? 60000 : 1; printf "%.3f", v * f }' "$out")
  WRK_ERRORS=$(awk '/^Non-2xx/ { n += $NF } /Socket errors/ { for (i = 3; i <= NF; i += 2) { gsub(/,/, "", $(i + 1)); n += $(i + 1) } } END { print n + 0 }' "$out")
  log "wrk $name: $WRK_RPS req/s, p99 $WRK_P99_MS ms, $WRK_ERRORS errors"
}

# errors_note N: a warning beside a figure that counted failed requests (the figure is then not comparable).
errors_note() { [ "${1:-0}" = 0 ] || echo " ($1 errors)"; }

bench_http_anchor() {
  local logfile="$WORK/bare.log" line url
  (export DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production
   exec "$BARE" --urls http://127.0.0.1:0 --Database "$WORK/bare.db") >"$logfile" 2>&1 &
  PIDS[bare]=$!
  line=$(wait_for_line "$logfile" '^bare-kestrel: listening on ' 60 "${PIDS[bare]}")
  url=${line#bare-kestrel: listening on }
  run_wrk anchor-check "$url/api/v1/authcalls/bench/reverse_auth_phone_check/100001"
  A_CHECK_RPS=$WRK_RPS A_CHECK_P99=$WRK_P99_MS A_CHECK_ERR=$WRK_ERRORS
  export BENCH_TOKEN=bench PHONE_BASE=9160000000
  run_wrk anchor-create "$url/" "$BENCH/wrk/create.lua"
  A_CREATE_RPS=$WRK_RPS A_CREATE_P99=$WRK_P99_MS A_CREATE_ERR=$WRK_ERRORS
  stop_pid bare
}

bench_http_backcall() {
  run_wrk check "$BC_URL/api/v1/authcalls/$TOKEN/reverse_auth_phone_check/$CHECK_ID"
  grep -q '"status":"pending"' <(curl -s "$BC_URL/api/v1/authcalls/$TOKEN/reverse_auth_phone_check/$CHECK_ID") \
    || die "the check of $CHECK_ID is not a pending answer"
  add_row "check: throughput (pending id, wrk ${WRK_ARGS[*]} -d${WRK_SECONDS}s)" "$(num "$WRK_RPS") req/s$(errors_note "$WRK_ERRORS")" \
    "$(num "$A_CHECK_RPS") req/s bare Kestrel$(errors_note "$A_CHECK_ERR")" "$(ratio "$WRK_RPS" "$A_CHECK_RPS")" "≥ 0.85×"
  add_row "check: p99 latency" "$(num "$WRK_P99_MS") ms" "$(num "$A_CHECK_P99") ms bare Kestrel" "$(ratio "$WRK_P99_MS" "$A_CHECK_P99")" "≤ 1.5×"

  export BENCH_TOKEN=$TOKEN PHONE_BASE=9170000000
  run_wrk create "$BC_URL/" "$BENCH/wrk/create.lua"
  add_row "create (durable, new phone each): throughput" "$(num "$WRK_RPS") req/s$(errors_note "$WRK_ERRORS")" \
    "$(num "$A_CREATE_RPS") req/s bare SQLite insert$(errors_note "$A_CREATE_ERR")" "$(ratio "$WRK_RPS" "$A_CREATE_RPS")" "—"
  add_row "create: p99 latency" "$(num "$WRK_P99_MS") ms" "$(num "$A_CREATE_P99") ms bare SQLite insert" "$(ratio "$WRK_P99_MS" "$A_CREATE_P99")" "—"
}
