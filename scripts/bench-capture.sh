#!/usr/bin/env bash
# Capture engine vs tcpdump -w on a loopback UDP flood (loss, CPU per packet) and start/stop
# latency of standalone captures and shared-capture slices; needs root, tcpdump.
# Usage: scripts/bench-capture.sh [rates, e.g. 20000,50000,100000,200000,0 (0 = unpaced)] [seconds per run] [latency cycles]
# Prints tables; copy them into BENCHMARKS.md "Capture engine".
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${PCAPUNIT_BUILD_DIRECTORY:-target-bench}"
./mvnw -B -q -Dpcapunit.build.directory="$dir" -pl it -am test-compile -DskipTests
./mvnw -B -q -Dpcapunit.build.directory="$dir" -pl core dependency:build-classpath \
  -Dmdep.includeScope=runtime -Dmdep.outputFile="$PWD/core/$dir/bench-classpath.txt"
cp="core/$dir/classes:it/$dir/test-classes:$(cat "core/$dir/bench-classpath.txt")"
native=""
if java -version 2>&1 | grep -qE 'version "(2[2-9]|[3-9][0-9])'; then native="--enable-native-access=ALL-UNNAMED"; fi
# shellcheck disable=SC2086
exec java $native -Xmx512m -cp "$cp" io.github.pcapunit.it.bench.CaptureBench "${1:-20000,50000,100000,200000,0}" "${2:-2}" "${3:-200}"
