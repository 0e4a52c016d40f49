#!/usr/bin/env bash
# Overhead of kernel evidence (tracefs recorder) on a loopback capture; needs root.
# Usage: scripts/bench-kernel-evidence.sh [rounds] [connections] [datagrams]
# Prints one line per mode and round; copy the table into BENCHMARKS.md "Kernel evidence".
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
exec java $native -Xmx512m -cp "$cp" io.github.pcapunit.it.bench.KernelEvidenceBench "${1:-3}" "${2:-2000}" "${3:-200000}"
