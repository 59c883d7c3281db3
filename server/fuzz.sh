#!/usr/bin/env bash
# Fuzzes every target in src/test/java/fluxrelay/fuzz (or the ones named) with Jazzer for SECONDS each
# (default 30), one target per JVM, one after the other (Jazzer fuzzes one test per JVM; one process at
# a time keeps the other core free). Findings are stored by Jazzer as crash-* files in the target's
# inputs directory under src/test/resources/fluxrelay/fuzz/, where plain `mvn verify` replays them.
#
#   server/fuzz.sh                 30 s per target (CI runs `server/fuzz.sh 20`)
#   server/fuzz.sh 600             a longer local run
#   server/fuzz.sh 300 AmfFuzz...  chosen targets only (class names)
#
# Exit status: 0 when every target fuzzed for its time without a finding; 1 on a finding (a failing input);
# 2 when a target could not be fuzzed at all (build or setup problem). Never fails for running out of time.
# The whole output is kept in target/fuzz/; the generated corpus in .cifuzz-corpus/ (not committed)
# carries over between local runs. Extra Maven options: MVN_OPTS="-o" server/fuzz.sh.
set -uo pipefail
cd "$(dirname "$0")"

seconds=${1:-30}
shift || true
case "$seconds" in ''|*[!0-9]*) echo "usage: $0 [SECONDS] [TargetClass ...]" >&2; exit 2 ;; esac
if [ $# -gt 0 ]; then
  targets=("$@")
else
  targets=()
  for f in src/test/java/fluxrelay/fuzz/*FuzzTest.java; do targets+=("$(basename "$f" .java)"); done
fi
list=$(IFS=,; echo "${targets[*]}")
mkdir -p target/fuzz
log=target/fuzz/fuzz-$(date +%Y%m%dT%H%M%S).log
before=$(find src/test/resources/fluxrelay/fuzz -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' | sort)

echo "fuzzing ${#targets[@]} targets for ${seconds}s each; output in server/$log"
# reuseForks=false: a fresh JVM per test class, so every target gets its own Jazzer session.
# Coverage feedback also from Netty's HTTP codec and Jackson, which parse for the HTTP and admin targets.
export JAZZER_INSTRUMENT="${JAZZER_INSTRUMENT:-fluxrelay.**,io.netty.handler.codec.http.**,com.fasterxml.jackson.**}"
JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${seconds}s" mvn -B ${MVN_OPTS:-} test -Dtest="$list" -DreuseForks=false \
  -Dsurefire.failIfNoSpecifiedTests=false >"$log" 2>&1
status=$?

# One line per target: libFuzzer's own count of executions and seconds.
awk '/^\[INFO\] Running fluxrelay\.fuzz\./ { sub(/.*\./, ""); target = $0 }
     /^Done [0-9]+ runs in [0-9]+ second/ { printf "  %-30s %10d runs in %4d s\n", target, $2, $5 }
     /<<< FAILURE! -- in fluxrelay\.fuzz\./ { sub(/.*\./, ""); print "  " $0 ": FINDING" }' "$log"

after=$(find src/test/resources/fluxrelay/fuzz -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' | sort)
new=$(comm -13 <(echo "$before") <(echo "$after") | sed '/^$/d')
missing=()
for t in "${targets[@]}"; do
  awk -v t="$t" '/^\[INFO\] Running fluxrelay\.fuzz\./ { run = ($0 ~ "\\." t "$") } run && /^Done [0-9]+ runs/ { ok = 1 } END { exit !ok }' "$log" \
    || missing+=("$t")
done

failed=$(grep -c '<<< FAILURE! -- in fluxrelay\.fuzz\.' "$log")
echo "fuzz: $(( ${#targets[@]} - failed - ${#missing[@]} )) passed, $(( failed + ${#missing[@]} )) failed"
if [ -n "$new" ] || grep -qE 'FuzzTestFinding|^== Java Exception:' "$log"; then
  echo "FUZZING FOUND A FAILING INPUT. New inputs (replayed by mvn verify from now on):"
  echo "${new:-  (none stored: see the log)}"
  grep -E '^== Java Exception:|^\[ERROR\] .*FuzzTestFinding' "$log" | head -20
  exit 1
fi
if [ $status -ne 0 ] || [ ${#missing[@]} -gt 0 ]; then
  echo "fuzzing did not run for: ${missing[*]:-(see log)}; maven exit status $status; tail of server/$log:"
  tail -40 "$log"
  exit 2
fi
echo "fuzzing done: no findings"
