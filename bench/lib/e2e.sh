# End to end: INVITE sent → webhook received, at a fixed rate, by bench-tool's UAC and loopback receiver
# (one process, one clock). The anchor is the INVITE → 486 time of the same calls: the difference is
# what confirmation, the outbox and the webhook delivery add.
#
# The measured calls are the steady state, as every other row: the receiver answers a few hundred requests
# of its own first (bench-tool), then E2E_WARM_SECONDS of calls at the same rate run the server's webhook
# path for the first time and are left out; their first second is reported on a row of its own.

bench_e2e() {
  local out="$WORK/e2e.txt" k="$WORK/uac-kamailio.txt"
  # The SIP search ends on a step the server could not keep up with: let its backlog (queued commits,
  # retransmitted 486s) drain so it is not charged to this row.
  log "e2e: settling ${SETTLE_SECONDS} s after the SIP search"
  sleep "$SETTLE_SECONDS"
  "$TOOL" e2e ${E2E_LATENCIES:+--latencies "$E2E_LATENCIES"} --sip "$BC_SIP" --csv "$WORK/e2e.csv" --count "$E2E_CALLS" --rate "$E2E_RATE" --port "$E2E_PORT" --wait "$E2E_WAIT" \
    --warm-csv "$WORK/e2e-warm.csv" --warm-count "$E2E_WARM_CALLS" --settle 2 >"$out" \
    || log "end to end: not every call got its webhook (reported in the row)"
  log "e2e: $(tr '\n' ' ' <"$out")"
  local sent rate missing p99 cold
  sent=$(kv "$out" sent)
  rate=$(kv "$out" send_rate_per_s)
  missing=$(kv "$out" missing)
  p99="$(num "$(kv "$out" e2e_p99_ms)") ms"
  # Webhooks that never came within the wait are slower than any that did: then p99 is only a lower bound.
  [ "$missing" = 0 ] || p99="> $p99 ($missing of $sent webhooks not received within $E2E_WAIT s)"
  add_row "end to end INVITE → webhook p50 ($sent calls at $rate calls/s, after a $E2E_WARM_SECONDS s warm-up)" "$(num "$(kv "$out" e2e_p50_ms)") ms" \
    "$(num "$(kv "$out" sip_p50_ms)") ms INVITE → 486, same calls" "$(ratio "$(kv "$out" e2e_p50_ms)" "$(kv "$out" sip_p50_ms)")" "—"
  add_row "end to end INVITE → webhook p99" "$p99" \
    "$(num "$(kv "$out" sip_p99_ms)") ms INVITE → 486, same calls" "$(ratio "$(kv "$out" e2e_p99_ms)" "$(kv "$out" sip_p99_ms)")" "≤ 10 ms at 1,000 calls/s"
  cold="$(num "$(kv "$out" cold_e2e_p50_ms)") / $(num "$(kv "$out" cold_e2e_p99_ms)") ms"
  [ "$(kv "$out" warm_missing)" = 0 ] || cold="$cold ($(kv "$out" warm_missing) of $(kv "$out" warm_sent) warm-up webhooks not received)"
  add_row "end to end, cold start: p50 / p99 of the warm-up's first $(kv "$out" cold_calls) calls (first webhooks this server sends)" "$cold" \
    "$(num "$(kv "$out" cold_sip_p50_ms)") / $(num "$(kv "$out" cold_sip_p99_ms)") ms INVITE → 486, same calls" \
    "$(ratio "$(kv "$out" cold_e2e_p99_ms)" "$(kv "$out" cold_sip_p99_ms)") (p99)" "— (reported, not a target)"
  add_row "SIP: INVITE → 486 p50 / p99 at $rate calls/s (µs clock)" "$(num "$(kv "$out" sip_p50_ms)") / $(num "$(kv "$out" sip_p99_ms)") ms" \
    "$(num "$(kv "$k" sip_p50_ms)") / $(num "$(kv "$k" sip_p99_ms)") ms Kamailio" "$(ratio "$(kv "$out" sip_p99_ms)" "$(kv "$k" sip_p99_ms)") (p99)" "p99 ≤ 5 ms"
}
