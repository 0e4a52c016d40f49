#!/usr/bin/env bash
# How long Capture.stop() takes after a loopback UDP flood to a closed port (kfree_skb drops
# galore), kernel evidence OFF and AUTO; needs root for AUTO to record.
# Warm: one JVM, warm-up rounds, then rounds alternating OFF and AUTO (median, min, max).
# Cold: fresh JVMs with one capture each, as the first capture of a test JVM.
# Usage: scripts/bench-stop.sh [rounds] [flood-seconds] [warm-up-rounds] [cold-JVMs-per-mode]
# Copy the output (with the load averages it prints) into BENCHMARKS.md "Stop under a flood".
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${PCAPUNIT_BUILD_DIRECTORY:-target-bench}"
./mvnw -B -q -o -Dpcapunit.build.directory="$dir" -pl it -am test-compile -DskipTests
./mvnw -B -q -o -Dpcapunit.build.directory="$dir" -pl core dependency:build-classpath \
  -Dmdep.includeScope=runtime -Dmdep.outputFile="$PWD/core/$dir/bench-classpath.txt"
cp="core/$dir/classes:it/$dir/test-classes:$(cat "core/$dir/bench-classpath.txt")"
native=""
if java -version 2>&1 | grep -qE 'version "(2[2-9]|[3-9][0-9])'; then native="--enable-native-access=ALL-UNNAMED"; fi
bench() {
  # shellcheck disable=SC2086
  java $native -Xmx512m -cp "$cp" io.github.pcapunit.it.bench.StopFloodBench "$@" 2>&1 | grep -v '^SLF4J'
}
echo "# $(uname -srm), $(nproc) CPUs, $(java -version 2>&1 | head -1)"
echo "# warm, before: $(uptime)"
bench "${1:-5}" "${2:-5}" "${3:-2}"
echo "# warm, after: $(uptime)"
for mode in OFF AUTO; do
  for ((i = 1; i <= ${4:-3}; i++)); do
    echo "# cold $mode JVM $i: $(uptime)"
    bench 1 "${2:-5}" 0 "$mode" | grep -E "^$mode +1 "
  done
done
