# Sizes of each mode. Quick mode exists so the test suite can run the whole harness in under a minute;
# its figures are not meant to be read.
if [ "$MODE" = quick ]; then
  WRK_ARGS=(-t1 -c16)
  WRK_SECONDS=1
  WARMUP_SECONDS=1
  CHECK_ROUNDS=1
  WARM_CALLS=200
  SIP_RATES=(200 400)
  SIP_STEP_SECONDS=1
  E2E_RATE=200
  E2E_SECONDS=1
  E2E_WARM_SECONDS=1
  E2E_WAIT=5
  SETTLE_SECONDS=1
  MEMORY_AUTHORIZATIONS=2000
  GROWTH_SMALL=1000
  GROWTH_LARGE=20000
  GROWTH_CONFIRMS=100
  POOL_NUMBERS=10
else
  WRK_ARGS=(-t2 -c64)
  WRK_SECONDS=10
  # Long enough for the server's hot path to reach tier-1 code while wrk saturates both cores: after 3 s the
  # profile still sampled the check's middlewares at tier 0 (BENCHMARKS.md, "Where the time goes").
  WARMUP_SECONDS=10
  # The check alternates with its anchor: three rounds of each, so that one slow moment moves one round.
  CHECK_ROUNDS=3
  WARM_CALLS=3000
  SIP_RATES=(500 1000 2000 3000 3500 4000 4500 5000 6000 7500 9000 12000 15000)
  SIP_STEP_SECONDS=5
  E2E_RATE=1000
  E2E_SECONDS=10
  # Both processes are still compiling (tier 1, and the server's webhook path for the first time) for about
  # 8 s of calls at this rate; after a 3 s warm-up a background GC and their JIT fell into the measured
  # calls (perf, BENCHMARKS.md "Fifth pass"), which the row is not meant to measure: its cold start is a row
  # of its own.
  E2E_WARM_SECONDS=10
  E2E_WAIT=20
  # A SIP step the server could not keep up with leaves 486s retransmitting until Timer H (64 × T1 = 32 s):
  # the next row starts after they are gone, so it measures its own calls and not the last step's backlog.
  SETTLE_SECONDS=35
  MEMORY_AUTHORIZATIONS=100000
  GROWTH_SMALL=10000
  GROWTH_LARGE=1000000
  GROWTH_CONFIRMS=2000
  POOL_NUMBERS=50
fi

# Every pending pair the SIP search may use: each step gets its own, so every INVITE confirms one.
SIP_PAIRS=0
for r in "${SIP_RATES[@]}"; do SIP_PAIRS=$((SIP_PAIRS + r * SIP_STEP_SECONDS)); done
E2E_CALLS=$((E2E_RATE * E2E_SECONDS))
E2E_WARM_CALLS=$((E2E_RATE * E2E_WARM_SECONDS))
