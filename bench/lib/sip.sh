# SIP rows: the highest INVITE rate sipp sustains with 0 failed calls and 0 retransmissions, searched
# upward over SIP_RATES (each step SIP_STEP_SECONDS), first against Kamailio answering 486 statelessly,
# then against Backcall with full matching; every step uses its own slice of pending pairs.

declare -A SIP_P50=() SIP_P99=()

# sip_step TARGET LABEL RATE OFFSET: one sipp run; returns 0 when the step passed, and fills SIP_P50/P99[LABEL-RATE].
sip_step() {
  local target=$1 label=$2 rate=$3 offset=$4 calls=$(($3 * SIP_STEP_SECONDS)) dir="$WORK/sipp-$2-$3" rc=0 started elapsed stat
  mkdir -p "$dir"
  { echo SEQUENTIAL; tail -n +$((offset + 2)) "$WORK/sip.csv" | head -n "$calls"; } >"$dir/calls.csv"
  started=$(date +%s%N)
  (cd "$dir" && timeout $((SIP_STEP_SECONDS * 3 + 30)) sipp "$target" -sf "$BENCH/sip/uac-486.xml" -inf calls.csv \
    -t u1 -i 127.0.0.1 -p "$(free_port)" -mp "$(free_port)" -r "$rate" -m "$calls" -l 200000 \
    -recv_timeout 5000 -timeout $((SIP_STEP_SECONDS * 3 + 20))s -nostdin \
    -trace_stat -stf stat.csv -fd 1 -trace_rtt -rtt_freq 1 >sipp.out 2>&1) || rc=$?
  elapsed=$((($(date +%s%N) - started) / 1000000))
  stat=$(awk -F';' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    { f = $c["FailedCall(C)"]; r = $c["Retransmissions(C)"]; s = $c["SuccessfulCall(C)"] } END { print f + 0, r + 0, s + 0 }' "$dir/stat.csv" 2>/dev/null || echo "? ? ?")
  read -r failed retrans ok <<<"$stat"
  local rtt
  rtt=$(tail -q -n +2 "$dir"/*_rtt.csv 2>/dev/null | cut -d';' -f2 | sort -n |
    awk '{ v[NR] = $1 } END { if (NR == 0) { print "n/a n/a"; exit } i50 = int(NR * 0.5 + 0.999); i99 = int(NR * 0.99 + 0.999); print v[i50], v[i99] }')
  SIP_P50[$label-$rate]=${rtt% *}
  SIP_P99[$label-$rate]=${rtt#* }
  log "sipp $label $rate/s: rc $rc, $ok ok, $failed failed, $retrans retransmissions, ${elapsed} ms, rtt p50/p99 ${rtt/ //} ms"
  # Passed: every call answered as scripted, nothing retransmitted, and sipp kept the pace (a step that
  # took much longer than planned was not offered at this rate).
  [ "$rc" = 0 ] && [ "$failed" = 0 ] && [ "$retrans" = 0 ] && [ "$ok" = "$calls" ] \
    && [ "$elapsed" -le $((SIP_STEP_SECONDS * 1300 + 3000)) ]
}

# sip_search TARGET LABEL: sets SIP_MAX[LABEL] (0 when even the first step failed).
declare -A SIP_MAX=()
sip_search() {
  local target=$1 label=$2 offset=0 rate
  SIP_MAX[$label]=0
  for rate in "${SIP_RATES[@]}"; do
    sip_step "$target" "$label" "$rate" "$offset" || break
    SIP_MAX[$label]=$rate
    offset=$((offset + rate * SIP_STEP_SECONDS))
  done
}

bench_sip_anchor() {
  local port dir="$WORK/kamailio"
  port=$(free_port)
  mkdir -p "$dir"
  sed -e "s/@PORT@/$port/" -e "s#@MPATH@#$(kamailio_modules)#" -e "s/@CHILDREN@/$(nproc)/" \
    "$BENCH/sip/kamailio.cfg.in" >"$dir/kamailio.cfg"
  kamailio -f "$dir/kamailio.cfg" -DD -E -Y "$dir" -P "$dir/kamailio.pid" >"$dir/kamailio.log" 2>&1 &
  PIDS[kamailio]=$!
  sleep 1
  kill -0 "${PIDS[kamailio]}" 2>/dev/null || { cat "$dir/kamailio.log" >&2; die "kamailio did not start"; }
  sip_search "127.0.0.1:$port" kamailio
  # The same fixed-rate UAC as the end-to-end row, for response times finer than sipp's whole milliseconds.
  "$TOOL" e2e --sip "127.0.0.1:$port" --csv "$WORK/e2e.csv" --count "$E2E_CALLS" --rate "$E2E_RATE" --wait 5 \
    >"$WORK/uac-kamailio.txt" || die "the UAC run against Kamailio failed"
  stop_pid kamailio
}

kamailio_modules() {
  local d
  for d in /usr/lib/x86_64-linux-gnu/kamailio/modules /usr/lib/aarch64-linux-gnu/kamailio/modules /usr/lib/kamailio/modules /usr/local/lib64/kamailio/modules; do
    [ -f "$d/sl.so" ] && { echo "$d/"; return; }
  done
  die "Kamailio's sl module not found"
}

bench_sip_backcall() {
  # Warm-up on pairs of its own (JIT tiers, pools): Kamailio, native code, needs none.
  "$TOOL" e2e --sip "$BC_SIP" --csv "$WORK/warm.csv" --count "$WARM_CALLS" --rate 500 --wait 5 >"$WORK/uac-warm.txt" \
    || { cat "$WORK/uac-warm.txt" >&2; die "the SIP warm-up failed"; }
  sip_search "$BC_SIP" backcall
  local b=${SIP_MAX[backcall]} k=${SIP_MAX[kamailio]} top=${SIP_RATES[-1]}
  local capped=""
  [ "$k" != "$top" ] || capped=" (the top step: sipp or the search range is the limit)"
  add_row "SIP: highest INVITE rate, 0 failed, 0 retransmitted (sipp, ${SIP_STEP_SECONDS} s steps)" "$b calls/s" \
    "$k calls/s Kamailio stateless 486$capped" "$(ratio "$b" "$k")" "≥ 0.5×"
  add_row "SIP: sipp response time p50 / p99 at $b calls/s" "${SIP_P50[backcall-$b]:-n/a} / ${SIP_P99[backcall-$b]:-n/a} ms" \
    "${SIP_P50[kamailio-$b]:-n/a} / ${SIP_P99[kamailio-$b]:-n/a} ms Kamailio (sipp counts whole ms)" \
    "$(ratio "${SIP_P99[backcall-$b]:-}" "${SIP_P99[kamailio-$b]:-}") (p99)" "—"
}
