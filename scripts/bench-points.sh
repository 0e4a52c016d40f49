#!/usr/bin/env bash
# Capture points: per-test cost of a capture at one network-namespace point against two (one TCP
# exchange between a client and a server namespace per "test", and the capture alone), variants
# alternating within each round. Needs root.
# Usage: scripts/bench-points.sh [rounds, default 15] [warm-up rounds, default 3]
# Prints one line per round, median/min/max per variant, the added time per test and the ratio two /
# one point, and the load average before and after; copy them into BENCHMARKS.md "Capture points".
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${PCAPUNIT_BUILD_DIRECTORY:-target-bench}"
./mvnw -B -q -o -Dpcapunit.build.directory="$dir" -pl it -am test-compile -DskipTests
./mvnw -B -q -o -Dpcapunit.build.directory="$dir" -pl core dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$PWD/core/$dir/bench-points-classpath.txt"
cp="core/$dir/classes:core/$dir/test-classes:it/$dir/test-classes:$(cat "core/$dir/bench-points-classpath.txt")"
native=""
if java -version 2>&1 | grep -qE 'version "(2[2-9]|[3-9][0-9])'; then native="--enable-native-access=ALL-UNNAMED"; fi
echo "# $(uname -srm), $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) CPUs, $(java -version 2>&1 | head -1)"
echo "# before: $(uptime)"
# shellcheck disable=SC2086
java $native -Xmx512m -cp "$cp" io.github.pcapunit.it.bench.CapturePointsBench "${1:-15}" "${2:-3}" "it/$dir/points"
echo "# after: $(uptime)"
