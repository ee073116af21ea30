# Growth: the same server on a database holding GROWTH_LARGE authorizations against GROWTH_SMALL (rows
# written by bench-tool seed before the start). Checks read random old ids (not in memory: a database read
# each); confirms go through the PBX endpoint one at a time, each a real match and durable write.

# growth_run NAME ROWS: sets G_CHECK_RPS, G_CHECK_P99, G_CONFIRM_P50, G_CONFIRM_P99.
growth_run() {
  local name=$1 rows=$2 dir="$WORK/$1" out="$WORK/$1-confirm.txt"
  cp -r "$WORK/growth-template" "$dir"
  log "growth: seeding $rows authorizations ($name)"
  seed "$dir" "$name" --finished $((rows - GROWTH_CONFIRMS)) --pending "$GROWTH_CONFIRMS" --caller-base 79040000000 --csv "$WORK/$name.csv"
  start_backcall "$name" "$dir"
  export BENCH_TOKEN=$TOKEN FIRST_ID LAST_ID
  FIRST_ID=$(kv "$WORK/seed-$name.txt" finished_first_id)
  LAST_ID=$(kv "$WORK/seed-$name.txt" finished_last_id)
  run_wrk "$name-check" "$BC_URL/" "$BENCH/wrk/check-random.lua"
  G_CHECK_RPS=$WRK_RPS G_CHECK_P99=$WRK_P99_MS G_CHECK_ERR=$WRK_ERRORS
  "$TOOL" pbx-latency --url "$BC_URL" --key "$(cat "$dir/pbx.key")" --csv "$WORK/$name.csv" --count "$GROWTH_CONFIRMS" --seconds 120 >"$out" \
    || { cat "$out" >&2; die "growth $name: not every call matched"; }
  G_CONFIRM_P50=$(kv "$out" confirm_p50_ms) G_CONFIRM_P99=$(kv "$out" confirm_p99_ms)
  log "growth $name: confirm p50 $G_CONFIRM_P50 ms, p99 $G_CONFIRM_P99 ms"
  stop_backcall "$name"
}

bench_growth() {
  new_data "$WORK/growth-template"
  growth_run growth-small "$GROWTH_SMALL"
  local s_rps=$G_CHECK_RPS s_p99=$G_CHECK_P99 s_err=$G_CHECK_ERR s_c50=$G_CONFIRM_P50 s_c99=$G_CONFIRM_P99
  growth_run growth-large "$GROWTH_LARGE"
  local large small
  large=$(printf "%'d" "$GROWTH_LARGE")
  small=$(printf "%'d" "$GROWTH_SMALL")
  add_row "growth: check of a stored (not in memory) id, throughput, $large rows" "$(num "$G_CHECK_RPS") req/s$(errors_note "$G_CHECK_ERR")" \
    "$(num "$s_rps") req/s at $small rows$(errors_note "$s_err")" "$(ratio "$G_CHECK_RPS" "$s_rps")" "—"
  add_row "growth: check p99, $large rows" "$(num "$G_CHECK_P99") ms" "$(num "$s_p99") ms at $small rows" "$(ratio "$G_CHECK_P99" "$s_p99")" "≤ 1.2×"
  add_row "growth: confirm (PBX endpoint, one at a time) p50 / p99, $large rows" "$(num "$G_CONFIRM_P50") / $(num "$G_CONFIRM_P99") ms" \
    "$(num "$s_c50") / $(num "$s_c99") ms at $small rows" "$(ratio "$G_CONFIRM_P99" "$s_c99") (p99)" "≤ 1.5×"
}
