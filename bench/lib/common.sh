# Shared helpers of bench/run: work directory, processes we start (and only those are stopped), the
# result table, number formatting.

WORK=$(mktemp -d "${TMPDIR:-/tmp}/backcall-bench.XXXXXX")
declare -A PIDS=()
ROWS=()
KEEP_WORK=1

cleanup() {
  local name
  for name in "${!PIDS[@]}"; do
    kill -TERM "${PIDS[$name]}" 2>/dev/null || true
  done
  sleep 0.5
  for name in "${!PIDS[@]}"; do
    kill -KILL "${PIDS[$name]}" 2>/dev/null || true
  done
  if [ "$KEEP_WORK" = 0 ]; then
    rm -rf "$WORK"
  else
    echo "bench: logs and data kept in $WORK" >&2
  fi
}
trap cleanup EXIT

log() { echo "bench: $(date +%H:%M:%S) $*" >&2; }

die() { echo "bench: error: $*" >&2; exit 1; }

require() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || die "$tool is missing (apt-get install wrk sip-tester kamailio)"
  done
}

BACKCALL="$ROOT/src/Backcall.Server/bin/Release/net10.0/backcall"
TOOL="$BENCH/Backcall.BenchTool/bin/Release/net10.0/bench-tool"
BARE="$BENCH/BareKestrel/bin/Release/net10.0/bare-kestrel"

build_release() {
  log "building Release (server, anchor app, bench tool)"
  local project
  for project in "$ROOT/src/Backcall.Server" "$BENCH/BareKestrel" "$BENCH/Backcall.BenchTool"; do
    dotnet build "$project" -c Release -nologo -v q -clp:ErrorsOnly >"$WORK/build.log" 2>&1 \
      || { cat "$WORK/build.log" >&2; die "build of $project failed"; }
  done
}

free_port() { "$TOOL" free-port; }

# kv FILE KEY: the value of a key=value line printed by bench-tool.
kv() { sed -n "s/^$2=//p" "$1" | tail -n1; }

# wait_for_line FILE REGEX SECONDS PID: the first matching line, or fail when the process died or time ran out.
wait_for_line() {
  local file=$1 regex=$2 seconds=$3 pid=$4 i line
  for ((i = 0; i < seconds * 10; i++)); do
    line=$(grep -m1 -E "$regex" "$file" 2>/dev/null || true)
    if [ -n "$line" ]; then
      echo "$line"
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { tail -n 20 "$file" >&2; die "process $pid exited (log $file)"; }
    sleep 0.1
  done
  tail -n 20 "$file" >&2
  die "timed out waiting for '$regex' in $file"
}

stop_pid() {
  local name=$1 pid=${PIDS[$1]:-} i
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 150; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  unset "PIDS[$name]"
}

# The settings every Backcall under test gets: limits meant for abuse lifted (one token and one source send
# everything here), authorizations long-lived enough to outlast the run, loopback webhooks allowed.
backcall_env() {
  export DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production
  export BACKCALL_Tokens__RequestsPerSecond=1000000 BACKCALL_Tokens__Burst=1000000
  export BACKCALL_Authorizations__PerPhoneLimit=1000000 BACKCALL_Authorizations__Lifetime=01:00:00
  export BACKCALL_Sip__RateLimitPerSecond=0
  export BACKCALL_Webhooks__AllowedNetworks__0=127.0.0.0/8
}

cli() { (backcall_env; "$BACKCALL" "$@") ; }

# new_data DIR: a data directory with a token that never runs out and POOL_NUMBERS numbers; sets TOKEN, TOKEN_ID.
new_data() {
  local dir=$1 json numbers=() i
  mkdir -p "$dir"
  json=$(cli token create --name bench --free 1000000000 --json --data "$dir")
  TOKEN=$(sed -n 's/.*"token": *"\([^"]*\)".*/\1/p' <<<"$json" | head -n1)
  TOKEN_ID=$(tr -d '\n ' <<<"$json" | sed -n 's/.*"details":{"id":\([0-9]*\).*/\1/p')
  [ -n "$TOKEN" ] && [ -n "$TOKEN_ID" ] || die "could not read the token from: $json"
  for ((i = 1; i <= POOL_NUMBERS; i++)); do numbers+=("$(printf '+7964%07d' "$i")"); done
  cli number add "${numbers[@]}" --data "$dir" >/dev/null
  NUMBERS=$(IFS=,; echo "${numbers[*]}")
}

# start_backcall NAME DIR: serve on loopback ephemeral ports; sets BC_URL, BC_SIP, BC_PID.
start_backcall() {
  local name=$1 dir=$2 logfile="$WORK/$1.log" line
  (backcall_env; exec "$BACKCALL" serve --http http://127.0.0.1:0 --sip udp:127.0.0.1:0 --data "$dir") >"$logfile" 2>&1 &
  PIDS[$name]=$!
  BC_PID=$!
  line=$(wait_for_line "$logfile" '^backcall: listening on http' 60 "$BC_PID")
  BC_URL=${line#backcall: listening on }
  BC_URL=${BC_URL%/}
  line=$(wait_for_line "$logfile" '^backcall: sip udp listening on ' 10 "$BC_PID")
  BC_SIP=${line#backcall: sip udp listening on }
  log "backcall ($name) at $BC_URL, sip udp $BC_SIP, pid $BC_PID"
}

stop_backcall() { stop_pid "$1"; }

rss_mb() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

# Arithmetic and formatting (awk: bash has no floating point).
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "n/a"; else printf "%.2f×", a / b }'; }
num() { awk -v a="$1" 'BEGIN { if (a == "") print "n/a"; else if (a >= 100) printf "%.0f", a; else if (a >= 10) printf "%.1f", a; else printf "%.2f", a }'; }

# add_row MEASURE FIGURE ANCHOR RATIO TARGET
add_row() { ROWS+=("| $1 | $2 | $3 | $4 | $5 |"); }

print_table() {
  KEEP_WORK=0
  echo
  echo "Mode: $MODE. $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n1), $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo), $(. /etc/os-release; echo "$PRETTY_NAME"), kernel $(uname -r), .NET SDK $(dotnet --version), $(date -u +%Y-%m-%d)."
  echo
  echo "| Measure | Backcall | Anchor (same run) | Ratio | Target |"
  echo "| --- | --- | --- | --- | --- |"
  printf '%s\n' "${ROWS[@]}"
}
