#!/usr/bin/env bash
# How long Capture.stop() takes after a loopback UDP flood to a closed port (kfree_skb drops
# galore), kernel evidence OFF and AUTO alternating; needs root for AUTO to record.
# Usage: scripts/bench-stop.sh [rounds] [flood-seconds] [warm-up-rounds]
# Prints one line per mode and round, then median/min/max per mode, and the load average before
# and after; copy them into BENCHMARKS.md "Stop under a flood".
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${PCAPUNIT_BUILD_DIRECTORY:-target-bench}"
./mvnw -B -q -o -Dpcapunit.build.directory="$dir" -pl it -am test-compile -DskipTests
./mvnw -B -q -o -Dpcapunit.build.directory="$dir" -pl core dependency:build-classpath \
  -Dmdep.includeScope=runtime -Dmdep.outputFile="$PWD/core/$dir/bench-classpath.txt"
cp="core/$dir/classes:it/$dir/test-classes:$(cat "core/$dir/bench-classpath.txt")"
native=""
if java -version 2>&1 | grep -qE 'version "(2[2-9]|[3-9][0-9])'; then native="--enable-native-access=ALL-UNNAMED"; fi
echo "# $(uname -srm), $(nproc) CPUs, $(java -version 2>&1 | head -1)"
echo "# before: $(uptime)"
# shellcheck disable=SC2086
java $native -Xmx512m -cp "$cp" io.github.pcapunit.it.bench.StopFloodBench "${1:-5}" "${2:-5}" "${3:-2}"
echo "# after: $(uptime)"
