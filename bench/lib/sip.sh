# SIP rows: the highest INVITE rate sipp sustains with 0 failed calls and 0 retransmissions, searched
# upward over SIP_RATES (each step SIP_STEP_SECONDS), first against Kamailio answering 486 statelessly,
# then against Backcall with full matching; every step uses its own slice of pending pairs.

declare -A SIP_P50=() SIP_P99=()

# sip_step TARGET LABEL RATE OFFSET: one sipp run; returns 0 when the step passed, and fills SIP_P50/P99[LABEL-RATE].
sip_step() {
  local target=$1 label=$2 rate=$3 offset=$4 calls=$(($3 * SIP_STEP_SECONDS)) dir="$WORK/sipp-$2-$3" rc=0 started elapsed stat
  mkdir -p "$dir"
  { echo SEQUENTIAL; awk -v from=$((offset + 2)) -v n="$calls" 'NR >= from && NR < from + n' "${SIP_CSV:-$WORK/sip.csv}"; } >"$dir/calls.csv"
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

# kamailio_search LABEL CONFIG: Kamailio from bench/sip/CONFIG.cfg.in, the SIP search against it; for the
# stateless one also the fixed-rate UAC run that anchors the µs INVITE → 486 row.
kamailio_search() {
  local label=$1 config=$2 port dir="$WORK/$1"
  port=$(free_port)
  mkdir -p "$dir"
  sed -e "s/@PORT@/$port/" -e "s#@MPATH@#$(kamailio_modules)#" -e "s/@CHILDREN@/$(nproc)/" \
    "$BENCH/sip/$config.cfg.in" >"$dir/kamailio.cfg"
  # Shared memory for tm: every transaction lives until its wait timer ends (a few seconds at the top rate).
  kamailio -f "$dir/kamailio.cfg" -DD -E -m 1024 -Y "$dir" -P "$dir/kamailio.pid" >"$dir/kamailio.log" 2>&1 &
  PIDS[$label]=$!
  sleep 1
  kill -0 "${PIDS[$label]}" 2>/dev/null || { cat "$dir/kamailio.log" >&2; die "kamailio ($config) did not start"; }
  sip_search "127.0.0.1:$port" "$label"
  if [ "$label" = kamailio ]; then
    # The same fixed-rate UAC as the end-to-end row, for response times finer than sipp's whole milliseconds.
    # A call the anchor never answered (a datagram dropped on a busy machine) is reported beside the figure.
    "$TOOL" e2e --sip "127.0.0.1:$port" --csv "$WORK/e2e.csv" --count "$E2E_CALLS" --rate "$E2E_RATE" --wait 5 \
      >"$WORK/uac-kamailio.txt" || log "the UAC run against Kamailio missed answers: $(tr '\n' ' ' <"$WORK/uac-kamailio.txt")"
  fi
  stop_pid "$label"
}

bench_sip_anchor() {
  kamailio_search kamailio kamailio
  kamailio_search kamailio-tm kamailio-stateful
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
    || log "the SIP warm-up missed answers (discarded anyway): $(tr '\n' ' ' <"$WORK/uac-warm.txt")"
  sip_search "$BC_SIP" backcall
  sip_rows backcall "full matching, each INVITE confirms (durable before its 486)"
  # Calls from phones no authorization waits for, to the same numbers: the search starts over on its own
  # callers (the pool numbers keep their pending authorizations, so each call is judged a wrong caller).
  log "SIP: settling ${SETTLE_SECONDS} s before the calls matching no authorization"
  sleep "$SETTLE_SECONDS"
  SIP_CSV="$WORK/stranger.csv" sip_search "$BC_SIP" stranger
  sip_rows stranger "calls matching no authorization"
}

# sip_rows LABEL WHAT: the rows of one Backcall search, against both Kamailio anchors.
sip_rows() {
  local label=$1 what=$2 b=${SIP_MAX[$1]} k=${SIP_MAX[kamailio]} t=${SIP_MAX[kamailio-tm]} top=${SIP_RATES[-1]}
  local capped="" capped_tm=""
  [ "$k" != "$top" ] || capped=" (the top step: sipp or the search range is the limit)"
  [ "$t" != "$top" ] || capped_tm=" (the top step)"
  add_row "SIP: highest INVITE rate, 0 failed, 0 retransmitted (sipp, ${SIP_STEP_SECONDS} s steps), $what" "$b calls/s" \
    "$k calls/s Kamailio stateless 486$capped" "$(ratio "$b" "$k")" "≥ 0.5×"
  add_row "SIP: the same, against Kamailio stateful (tm, t_reply 486)" "$b calls/s" \
    "$t calls/s Kamailio stateful 486$capped_tm" "$(ratio "$b" "$t")" "≥ 1.0×"
  add_row "SIP: sipp response time p50 / p99 at $b calls/s, $what" "${SIP_P50[$label-$b]:-n/a} / ${SIP_P99[$label-$b]:-n/a} ms" \
    "${SIP_P50[kamailio-$b]:-n/a} / ${SIP_P99[kamailio-$b]:-n/a} ms Kamailio stateless (sipp counts whole ms)" \
    "$(ratio "${SIP_P99[$label-$b]:-}" "${SIP_P99[kamailio-$b]:-}") (p99)" "—"
}
