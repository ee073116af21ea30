# Memory: RSS of a fresh server after MEMORY_AUTHORIZATIONS live authorizations were created through the
# API; the anchor is the same process's RSS before the first one.

bench_memory() {
  local dir="$WORK/memory" out="$WORK/memory.txt" idle full
  new_data "$dir"
  start_backcall memory "$dir"
  sleep 2
  idle=$(rss_mb "$BC_PID")
  log "memory: idle RSS $idle MB; creating $MEMORY_AUTHORIZATIONS authorizations"
  "$TOOL" create --url "$BC_URL" --token "$TOKEN" --count "$MEMORY_AUTHORIZATIONS" --concurrency 64 --seconds 300 >"$out" \
    || { cat "$out" >&2; die "could not create $MEMORY_AUTHORIZATIONS authorizations"; }
  sleep 2
  full=$(rss_mb "$BC_PID")
  log "memory: $(tr '\n' ' ' <"$out") RSS $full MB"
  add_row "memory: RSS with $MEMORY_AUTHORIZATIONS live authorizations (created at $(kv "$out" rate_per_s)/s by the API)" "$full MB" \
    "$idle MB same server before them" "$(ratio "$full" "$idle")" "≤ 200 MB at 100,000"
  stop_backcall memory
}
