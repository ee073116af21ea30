#!/usr/bin/env bash
# The whole test suite: installs missing system packages, builds, runs every test project, and prints
# one closing line "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")"

# A tracked .cs line over 120 characters fails first, in seconds (C.UTF-8: grep counts characters, not bytes).
if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  echo "test.sh: not a git checkout; the line-width check reads the tracked .cs files (git ls-files)" >&2
  exit 1
fi
wide=$(git ls-files -z '*.cs' | LC_ALL=C.UTF-8 xargs -0r grep -nE '^.{121,}' --) || true
if [ -n "$wide" ]; then
  (
    export LC_ALL=C.UTF-8
    while IFS=: read -r file line text; do
      echo "${file}:${line}: line is ${#text} characters, over the 120 allowed; wrap it" >&2
    done <<<"$wide"
  )
  exit 1
fi

scripts/install-test-deps.sh

results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

dotnet build Backcall.slnx -c Debug -nologo -clp:ErrorsOnly
# Style is part of the build: a change that dotnet format would rewrite fails here, with the file named.
dotnet format Backcall.slnx --verify-no-changes --no-restore
status=0
dotnet test Backcall.slnx -c Debug --no-build -nologo \
  --logger "trx" --logger "console;verbosity=minimal" --results-directory "$results" || status=$?

passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${t:-0} - ${e:-0}))
done
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$passed" -eq 0 ]; then
  echo "test.sh: no test ran" >&2
  exit 1
fi
exit $status
