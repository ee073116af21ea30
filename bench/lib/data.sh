# The main data directory: a token, the pool, and pending authorizations written straight into the
# database (bench-tool seed) so that every INVITE of the SIP and end-to-end rows confirms its own one.

# seed DIR NAME ARGS...: bench-tool seed into DIR's database; the key=value output goes to $WORK/seed-NAME.txt.
seed() {
  local dir=$1 name=$2
  shift 2
  "$TOOL" seed --db "$dir/backcall.db" --token-id "$TOKEN_ID" --numbers "$NUMBERS" "$@" >"$WORK/seed-$name.txt" \
    || die "seeding $name failed"
}

prepare_main_data() {
  local dir="$WORK/main"
  log "preparing data: $SIP_PAIRS pending pairs for SIP, $E2E_CALLS for end to end (+ $E2E_WARM_CALLS to warm it up)"
  new_data "$dir"
  E2E_PORT=$(free_port)
  seed "$dir" sip --pending "$SIP_PAIRS" --caller-base 79010000000 --csv "$WORK/sip.csv"
  # The same numbers called by phones nobody waits for: the SIP rows of calls matching no authorization.
  awk -F';' 'NR == 1 { print; next } { printf "7999%07d;%s;0\n", NR, $2 }' "$WORK/sip.csv" >"$WORK/stranger.csv"
  seed "$dir" e2e --pending "$E2E_CALLS" --caller-base 79020000000 --csv "$WORK/e2e.csv" --webhook "http://127.0.0.1:$E2E_PORT/hook"
  seed "$dir" e2e-warm --pending "$E2E_WARM_CALLS" --caller-base 79060000000 --csv "$WORK/e2e-warm.csv" --webhook "http://127.0.0.1:$E2E_PORT/hook"
  seed "$dir" check --pending 1 --caller-base 79030000000
  seed "$dir" warm --pending "$WARM_CALLS" --caller-base 79050000000 --csv "$WORK/warm.csv"
  CHECK_ID=$(kv "$WORK/seed-check.txt" pending_first_id)
}
